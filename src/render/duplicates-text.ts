import type { DuplicatesEval } from "../pipeline/eval-duplicates.js";
import type { ListedCandidate, ListedDuplicates } from "../pipeline/list-duplicates.js";

/** One candidate: score, id, title, why it was picked, and the merge it would take. */
export function renderCandidate(c: ListedCandidate, indent = "  "): string {
  const lines = [`${indent}${c.score.toFixed(2)}  ${c.report}  ${c.title}`];
  const e = c.evidence;
  const why: string[] = [];
  if (e.sameAs) why.push("the report says it is the same bug");
  if (e.errorLines.length) why.push(`same error line: ${e.errorLines[0]}`);
  if (e.titleTerms.length) why.push(`title words: ${e.titleTerms.slice(0, 5).join(", ")}`);
  if (e.sharedTerms.length) why.push(`rare words in both: ${e.sharedTerms.slice(0, 5).join(", ")}`);
  if (e.daysApart !== null) why.push(`${e.daysApart} days apart`);
  if (e.advisories) why.push(`not the same advisory: ${advisoryNames(e.advisories.report)} here, ${advisoryNames(e.advisories.candidate)} there`);
  for (const w of why) lines.push(`${indent}      ${w}`);
  if (c.control) {
    for (const w of [...c.why, ...c.effects]) lines.push(`${indent}      note: ${w}`);
    lines.push(...c.control.split("\n").map((l) => `${indent}      | ${l}`));
  }
  return lines.join("\n");
}

/** `xsa-434` as the advisories write it, `XSA-434`. */
function advisoryNames(names: string[]): string {
  return names.map((n) => n.toUpperCase()).join(", ");
}

export function renderDuplicates(list: ListedDuplicates[], top: number | undefined): string {
  if (list.length === 0) return top === undefined ? "no duplicate suggestions above the threshold (see --top K for candidates whatever their score)\n" : "no candidates\n";
  return `${list.map((l) => `${l.report}  ${l.title}\n${l.candidates.map((c) => renderCandidate(c)).join("\n")}`).join("\n\n")}\n`;
}

export function renderDuplicatesEval(e: DuplicatesEval): string {
  const lines = [
    `${e.queries} queries: RR@1 ${e.rr1.toFixed(3)}  RR@5 ${e.rr5.toFixed(3)}  RR@10 ${e.rr10.toFixed(3)}  MAP ${e.map.toFixed(3)}`,
    `default suggestions (score >= ${e.threshold}): ${e.suggestions}, precision ${e.precision.toFixed(3)}, recall ${e.recall.toFixed(3)}` +
      (e.nearMisses ? `; near-misses suggested ${e.nearMissesSuggested} of ${e.nearMisses}` : ""),
  ];
  if (e.missed.length) {
    lines.push("", "not in the first 10:");
    for (const m of e.missed) lines.push(`  ${m.report} -> ${m.duplicateOf}  ${m.rank === null ? "not ranked" : `rank ${m.rank}`}`);
  }
  return `${lines.join("\n")}\n`;
}
