import type { Store } from "../store/store.js";
import { tickedBoxes } from "../render/dashboard.js";
import { keysToIds } from "../render/tracking-issue.js";
import { judgePair } from "./list-duplicates.js";
import { judgedPairs } from "./find-duplicates.js";

/** Ticked dashboard boxes as verdicts (a box for a report that is gone is skipped). */
export async function recordTickedBoxes(store: Store, body: string, by: string, at: string): Promise<number> {
  let recorded = 0;
  const judged = await judgedPairs(store);
  const ids = keysToIds((await store.listReports()).map((r) => r.id));
  for (const box of tickedBoxes(body)) {
    const t = { ...box, report: ids.get(box.report) ?? box.report, candidate: ids.get(box.candidate) ?? box.candidate };
    if (judged(t.report, t.candidate)) continue;
    try {
      await judgePair(store, t.report, t.candidate, t.verdict, by, at);
      recorded++;
    } catch {
      // The report is gone since the dashboard was written.
    }
  }
  return recorded;
}
