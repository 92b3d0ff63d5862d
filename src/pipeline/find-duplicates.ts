import { createHash } from "node:crypto";
import type { Store } from "../store/store.js";
import { type DupDoc, dupDoc } from "../duplicates/dup-doc.js";
import { DuplicateFinder, isEarlier } from "../duplicates/finder.js";
import { DUPLICATE_MODEL, type DuplicateModel } from "../duplicates/model.js";

/** Candidates kept per report: enough for `duplicates --top 10` and the tracking issue. */
export const STORED_CANDIDATES = 10;

/** Whether a maintainer has judged a pair (accepted or rejected), in either order: such a pair is never suggested. */
export async function judgedPairs(store: Store): Promise<(a: string, b: string) => boolean> {
  // Verdicts are stored smaller id first.
  const judged = new Set((await store.verdicts()).map((v) => `${v.a} ${v.b}`));
  return (a, b) => judged.has(a < b ? `${a} ${b}` : `${b} ${a}`);
}

export interface DuplicatesResult {
  /** Reports whose document was (re)made this run. */
  documents: number;
  /** Reports whose candidates were (re)computed. */
  queried: number;
  /** Reports with a candidate at or above the threshold. */
  suggestions: number;
}

/**
 * Update duplicate candidates for the reports that changed:
 * 1. a report's document is remade when its messages, title, package or merged set changed (or the
 *    finder's version did), and stored;
 * 2. every stored document is indexed (the index lives in memory; building it is a scan, no parsing);
 * 3. candidates are recomputed for the changed reports and for reports newer than the oldest of them
 *    (a changed report is a candidate only for newer ones), never suggesting a pair already merged or
 *    one a maintainer has judged.
 */
export async function findDuplicates(store: Store, options: { all?: boolean; model?: DuplicateModel } = {}): Promise<DuplicatesResult> {
  const model = options.model ?? DUPLICATE_MODEL;
  const reports = await store.listReports();
  const members = await store.reportMessageIds();
  const keys = options.all ? new Map<string, string>() : await store.dupDocKeys();
  const changed: { key: string; doc: DupDoc }[] = [];
  for (const r of reports) {
    const key = createHash("sha256")
      .update(model.version)
      .update((members.get(r.id) ?? []).join("\n"))
      .update(JSON.stringify([r.title, r.package, r.mergedWith]))
      .digest("hex")
      .slice(0, 24);
    if (keys.get(r.id) === key) continue;
    const full = await store.getReport(r.id);
    if (!full) continue;
    changed.push({
      key,
      doc: dupDoc({ id: r.id, bug: r.bug, title: r.title, package: r.package, mergedWith: r.mergedWith, firstDate: r.firstDate, messages: full.messages }),
    });
  }
  if (changed.length) await store.setDupDocs(changed);

  const judged = await judgedPairs(store);
  const oldest = changed.reduce<DupDoc | null>((o, { doc }) => (o === null || isEarlier(doc, o) ? doc : o), null);
  const finder = new DuplicateFinder(model);
  const queries: DupDoc[] = [];
  for await (const { doc } of store.dupDocs()) {
    finder.add(doc);
    if (oldest && (doc.id === oldest.id || isEarlier(oldest, doc))) queries.push(doc);
  }
  const entries = queries.map((doc) => ({
    reportId: doc.id,
    candidates: finder.candidates(doc, STORED_CANDIDATES, (id) => judged(doc.id, id)),
  }));
  await store.setCandidates(entries);
  let suggestions = 0;
  for (const list of (await store.candidates()).values()) if (list.some((c) => c.score >= model.threshold)) suggestions++;
  return { documents: changed.length, queried: entries.length, suggestions };
}
