import { type MetaSource, type ThreadIndex, indexThreads } from "../mail/threading.js";
import { isBtsNotice, titleFromSubject } from "../mail/subjects.js";

export interface Report {
  /** `bug:1039422` or `thread:<root Message-ID>`. */
  id: string;
  bug: number | null;
  title: string;
  messageIds: string[];
  firstDate: string | null;
  lastDate: string | null;
}

export const bugReportId = (bug: number): string => `bug:${bug}`;

/** The BTS's answer to control mail: a transcript is never a report of its own, even when all failed. */
const TRANSCRIPT = /^Processed(?: \(with \d+ errors?\))?:/i;
export const threadReportId = (rootId: string): string => `thread:${rootId}`;

/**
 * Group messages into reports. A message filed under bugs belongs to each of those bug reports. A
 * message under no bug joins the bug report of its nearest ancestor that has one, else the thread report
 * of its root. A message that carries control commands but is filed under no bug (a BTS transcript, a
 * mail to control@) starts no report, nor does a transcript whose commands all failed: it joins the
 * reports of the bugs it names that have reports.
 * Bugs known from the BTS (`knownBugs`) have a report even without mail.
 */
export async function buildReportsFrom(source: MetaSource, knownBugs: number[] = []): Promise<Report[]> {
  const index = await indexThreads(source);
  const { ids, parent, bugs, controlBugs } = index;
  const n = ids.length;

  // Each message's anchor: the nearest ancestor (or itself) filed under bugs, as its position; else
  // -(root + 2) for the thread of its root; -1 for no report (a control-only root).
  const UNKNOWN = -3 - n;
  const anchor = new Int32Array(n).fill(UNKNOWN);
  const anchorOf = (i: number): number => {
    const path: number[] = [];
    let cur = i;
    let found = UNKNOWN;
    while (cur >= 0) {
      if (anchor[cur] !== UNKNOWN) {
        found = anchor[cur]!;
        break;
      }
      if (bugs.has(cur)) {
        found = cur;
        break;
      }
      path.push(cur);
      cur = parent[cur]!;
    }
    if (found === UNKNOWN) {
      const root = path[path.length - 1]!;
      found = controlBugs.has(root) || TRANSCRIPT.test(index.subjects[root]!) ? -1 : -(root + 2);
    }
    for (const p of path) anchor[p] = found;
    return found;
  };

  /** Report keys: a bug number (> 0), or -(root + 1) for a thread. */
  const members = new Map<number, number[]>();
  const join = (key: number, i: number): void => {
    const list = members.get(key);
    if (!list) members.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (let i = 0; i < n; i++) {
    const a = anchorOf(i);
    if (a >= 0) for (const b of bugs.get(a)!) join(b, i);
    else if (a < -1) join(a + 1, i);
  }
  for (const [i, named] of controlBugs) {
    for (const b of named) {
      const list = members.get(b);
      if (list && !list.includes(i)) list.push(i);
    }
  }

  // Every bug the BTS told us about is a report, even before any of its mail is here.
  for (const bug of knownBugs) if (!members.has(bug)) members.set(bug, []);

  const reports: Report[] = [];
  for (const [key, list] of members) {
    list.sort((a, b) => byTime(index, a, b));
    const bug = key > 0 ? key : null;
    const dated = list.filter((i) => !Number.isNaN(index.times[i]!));
    reports.push({
      id: bug !== null ? bugReportId(bug) : threadReportId(ids[-key - 1]!),
      bug,
      title: titleOf(index, list, bug),
      messageIds: list.map((i) => ids[i]!),
      firstDate: dated.length ? new Date(index.times[dated[0]!]!).toISOString() : null,
      lastDate: dated.length ? new Date(index.times[dated[dated.length - 1]!]!).toISOString() : null,
    });
  }
  return reports.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** By date (undated last), then by Message-ID. */
function byTime(index: ThreadIndex, a: number, b: number): number {
  const ta = index.times[a]!;
  const tb = index.times[b]!;
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na !== nb) return na ? -1 : 1;
  if (!na && ta !== tb) return ta - tb;
  const ia = index.ids[a]!;
  const ib = index.ids[b]!;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** The earliest subject that is not a BTS notice, else the bug title a notice carries. */
function titleOf(index: ThreadIndex, list: number[], bug: number | null): string {
  const own = bug === null ? list : list.filter((i) => index.bugs.get(i)?.includes(bug));
  const pool = own.length ? own : list;
  const good = pool.find((i) => !isBtsNotice(index.subjects[i]!) && titleFromSubject(index.subjects[i]!) !== "");
  const pick = good ?? pool[0];
  return pick !== undefined ? titleFromSubject(index.subjects[pick]!) : "";
}
