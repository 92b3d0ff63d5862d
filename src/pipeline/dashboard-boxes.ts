import type { Store } from "../store/store.js";
import { tickedBoxes } from "../render/dashboard.js";
import { keysToIds } from "../render/tracking-issue.js";
import { judgePair } from "./list-duplicates.js";

/** Ticked dashboard boxes as verdicts (a box for a report that is gone is skipped). */
export async function recordTickedBoxes(store: Store, body: string, by: string, at: string): Promise<number> {
  let recorded = 0;
  const judged = new Set((await store.verdicts()).map((v) => `${v.a} ${v.b}`));
  const ids = keysToIds((await store.listReports()).map((r) => r.id));
  for (const box of tickedBoxes(body)) {
    const t = { ...box, report: ids.get(box.report) ?? box.report, candidate: ids.get(box.candidate) ?? box.candidate };
    const [a, b] = t.report < t.candidate ? [t.report, t.candidate] : [t.candidate, t.report];
    if (judged.has(`${a} ${b}`)) continue;
    try {
      await judgePair(store, t.report, t.candidate, t.verdict, by, at);
      recorded++;
    } catch {
      // The report is gone since the dashboard was written.
    }
  }
  return recorded;
}
