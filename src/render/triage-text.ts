import type { TriageResult } from "../pipeline/triage.js";
import type { DuplicatesResult } from "../pipeline/find-duplicates.js";
import type { ClassifyEval } from "../triage/eval-classify.js";

export function renderTriage(r: TriageResult): string {
  const counts = Object.entries(r.topics)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
  return `${r.classified} of ${r.reports} reports classified; ${r.needsHuman} need a human\n${counts ? `topics: ${counts}\n` : ""}`;
}

export function renderDuplicatesRun(d: DuplicatesResult): string {
  return `duplicates: ${d.queried} reports searched; ${d.suggestions} with a suggestion (see \`xen-triage duplicates\`)\n`;
}

export function renderClassifyEval(e: ClassifyEval): string {
  const lines = [`${"TOPIC".padEnd(11)} ${"PREC".padStart(6)} ${"RECALL".padStart(6)} ${"F1".padStart(6)} ${"N".padStart(4)}`];
  for (const [t, m] of Object.entries(e.topics)) {
    lines.push(`${t.padEnd(11)} ${m.precision.toFixed(2).padStart(6)} ${m.recall.toFixed(2).padStart(6)} ${m.f1.toFixed(2).padStart(6)} ${String(m.support).padStart(4)}`);
  }
  lines.push(
    "",
    `${e.reports} reports; macro-F1 ${e.macroF1.toFixed(3)}; a wrong topic on ${(e.wrongTopicRate * 100).toFixed(1)}% of reports; no topic on ${(e.abstained * 100).toFixed(1)}%`,
  );
  return `${lines.join("\n")}\n`;
}
