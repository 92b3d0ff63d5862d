import { type MessageMeta, findParents } from "../mail/threading.js";
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
export const threadReportId = (rootId: string): string => `thread:${rootId}`;

/**
 * Group messages into reports. A message filed under bugs belongs to each of those bug reports. A
 * message under no bug joins the bug report of its nearest ancestor that has one, else the thread report
 * of its root. A control-only message (a BTS transcript) joins the reports of the bugs it names that
 * have reports of their own, and makes no report otherwise; so does a control mail to control@.
 */
export function buildReports(messages: MessageMeta[]): Report[] {
  const parent = findParents(messages);
  const byId = new Map(messages.map((m) => [m.id, m]));
  const members = new Map<string, Set<string>>();
  const join = (reportId: string, messageId: string): void => {
    let s = members.get(reportId);
    if (!s) members.set(reportId, (s = new Set()));
    s.add(messageId);
  };

  const homeCache = new Map<string, string[]>();
  /** The reports a message belongs to by its own bugs or its ancestors'. */
  const home = (id: string): string[] => {
    const path: string[] = [];
    let cur: string | undefined = id;
    let found: string[] | undefined;
    while (cur !== undefined) {
      const cached = homeCache.get(cur);
      if (cached) {
        found = cached;
        break;
      }
      path.push(cur);
      const m = byId.get(cur)!;
      if (m.bugs.length) {
        found = m.bugs.map(bugReportId);
        homeCache.set(cur, found);
        path.pop();
        break;
      }
      cur = parent.get(cur);
    }
    if (!found) {
      const root = path[path.length - 1]!;
      const m = byId.get(root)!;
      // A root that carries control commands (a mail to control@, a transcript) starts no thread report:
      // it joins the reports of the bugs it names.
      found = m.controlBugs.length ? [] : [threadReportId(root)];
    }
    for (const p of path) homeCache.set(p, found);
    return found;
  };

  for (const m of messages) {
    const reports = home(m.id);
    for (const r of reports) join(r, m.id);
  }
  for (const m of messages) {
    for (const bug of m.controlBugs) {
      const r = bugReportId(bug);
      if (members.has(r)) join(r, m.id);
    }
  }

  const reports: Report[] = [];
  for (const [id, set] of members) {
    const msgs = [...set].map((mid) => byId.get(mid)!).sort(byDate);
    const bug = id.startsWith("bug:") ? Number(id.slice(4)) : null;
    const dates = msgs.map((m) => m.date).filter((d): d is string => d !== null);
    reports.push({
      id,
      bug,
      title: titleOf(msgs, bug),
      messageIds: msgs.map((m) => m.id),
      firstDate: dates[0] ?? null,
      lastDate: dates[dates.length - 1] ?? null,
    });
  }
  return reports.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function byDate(a: MessageMeta, b: MessageMeta): number {
  const da = a.date ?? "";
  const db = b.date ?? "";
  return da < db ? -1 : da > db ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The earliest subject that is not a BTS notice, else the bug title a notice carries. */
function titleOf(msgs: MessageMeta[], bug: number | null): string {
  const own = bug === null ? msgs : msgs.filter((m) => m.bugs.includes(bug));
  const pool = own.length ? own : msgs;
  const good = pool.find((m) => !isBtsNotice(m.subject) && m.normalizedSubject !== "");
  const pick = good ?? pool[0];
  return pick ? titleFromSubject(pick.subject) : "";
}
