import type { Store } from "../store/store.js";
import type { ControlEvent } from "../triage/mail-state.js";
import { type Digest, type DigestWindow, type ReportActivity, assembleDigest, controlsIn, inWindow, reportActivity } from "../triage/digest.js";
import { listDuplicates } from "./list-duplicates.js";

/**
 * The digest of a period from the store. Only reports whose last mail is in or after the period are
 * read in full (to count their messages and find when they were closed), so a weekly digest of twenty
 * years of mail reads one week's reports.
 */
export async function collectDigest(store: Store, window: DigestWindow): Promise<Digest> {
  const reports = await store.listReports();
  const activity = new Map<string, ReportActivity>();
  for (const r of reports) {
    if (r.lastDate === null || r.lastDate < window.since || (r.firstDate !== null && r.firstDate >= window.until)) continue;
    const full = await store.getReport(r.id);
    if (full) activity.set(r.id, reportActivity(r.bug, full.messages, window));
  }
  const events: ControlEvent[] = [];
  // Only the period's events are kept: an archive's controls are many, a week's few.
  for await (const e of store.controlEvents()) if (inWindow(e.date, window)) events.push(e);
  return assembleDigest({ window, reports, activity, controls: controlsIn(events, window, new Set(reports.flatMap((r) => (r.bug === null ? [] : [r.bug])))), suggestions: await listDuplicates(store) });
}
