import type { Message } from "../mail/message.js";
import type { ListedDuplicates } from "../pipeline/list-duplicates.js";
import { type ReportSummary, isOpenReport } from "../store/store.js";
import type { ControlEvent } from "./mail-state.js";
import { byDate, isFromBts } from "./report-doc.js";

/** The period a digest covers: from `since` (included) to `until` (left out), ISO 8601. */
export interface DigestWindow {
  since: string;
  until: string;
}

/** A report as the digest names it. */
export interface DigestReport {
  id: string;
  bug: number | null;
  title: string;
  package: string | null;
  severity: string | null;
  state: "open" | "done" | "archived";
  topics: string[];
  /** Messages people wrote in the period (the BTS's own notices left out), and in all. */
  messagesInPeriod: number;
  messages: number;
  /** Who wrote in the period, by name (never an address), in the order they wrote. */
  writers: string[];
  firstDate: string | null;
  lastDate: string | null;
}

/** A control command seen in mail of the period (the same command echoed by a transcript counted once). */
export interface DigestControl {
  date: string;
  /** The command with its bugs as numbers: `forcemerge 1039422 1029998`, `severity 1090233 important`. */
  line: string;
  bugs: number[];
}

export interface Digest {
  window: DigestWindow;
  totals: { reports: number; open: number };
  /** Reports whose first mail is in the period. */
  newReports: DigestReport[];
  /** Reports closed (marked as done) in the period, with the date and what fixed them when known. */
  closed: (DigestReport & { closedAt: string; fixedIn: string | null })[];
  /** Older reports with mail in the period, still open or closed before it. */
  discussed: DigestReport[];
  controls: DigestControl[];
  /** Duplicate suggestions waiting for a maintainer (above the threshold, not judged). */
  suggestions: ListedDuplicates[];
  /** New or discussed open reports that no topic fits. */
  needsHuman: DigestReport[];
  /** Per topic: open reports, and reports new in the period. */
  topics: { topic: string; open: number; new: number }[];
  /** Nothing happened in the period and nothing waits: a digest with nothing worth saying. */
  quiet: boolean;
}

/** What the digest needs of one report's mail: counted and read once per report active in the period. */
export interface ReportActivity {
  messagesInPeriod: number;
  /** Who wrote those messages, by name, first writer first; someone with no name is left out. */
  writers: string[];
  /** When the report was last closed (a `close`: as a command, a mail to N-done@, the BTS's notice); null if never. */
  closedAt: string | null;
  /** What fixed it, when the closing mail says (the version its close names): `xen 4.17.5-1`, `4.17.5-1`. */
  fixedIn: string | null;
}

/** Whether an ISO date is in the window. */
export function inWindow(date: string | null, w: DigestWindow): boolean {
  return date !== null && date >= w.since && date < w.until;
}

/** How one report's mail touches the window: people's messages in it, and when the bug was closed. */
export function reportActivity(bug: number | null, messages: Message[], w: DigestWindow): ReportActivity {
  let messagesInPeriod = 0;
  const writers: string[] = [];
  let closedAt: string | null = null;
  let fixedIn: string | null = null;
  let fixedAt = "";
  for (const m of messages) {
    if (!isFromBts(m) && inWindow(m.date, w)) {
      messagesInPeriod++;
      const name = m.fromName?.replace(/\s+/g, " ").trim();
      if (name && !name.includes("@") && !writers.includes(name)) writers.push(name);
    }
    // Parsing turned every way mail closes a bug (a command, a mail to N-done@, the BTS's notice) into a close.
    if (bug === null || m.date === null) continue;
    const close = m.controls.find((c) => c.verb === "close" && c.bugs.includes(bug));
    if (!close) continue;
    if (closedAt === null || m.date > closedAt) closedAt = m.date;
    const version = close.args.split(" ")[0];
    if (version && m.date >= fixedAt) {
      fixedIn = version.replace("/", " ");
      fixedAt = m.date;
    }
  }
  return { messagesInPeriod, writers, closedAt, fixedIn };
}

/**
 * Control commands of the period, oldest first; a command echoed by its transcript is listed once. With
 * `known`, only commands naming one of those bugs: a list also sees transcripts of mass filings against
 * other packages, which are not this team's news.
 */
export function controlsIn(events: ControlEvent[], w: DigestWindow, known?: Set<number>): DigestControl[] {
  const seen = new Set<string>();
  const out: DigestControl[] = [];
  // Oldest first, so a command is dated by its first sighting, not by the transcript that echoes it.
  for (const e of [...events].sort(byDate)) {
    if (!inWindow(e.date, w)) continue;
    for (const c of e.controls) {
      // A mail to N-done@ is no command anyone typed: the closed section has it.
      if (c.via === "done-mail") continue;
      if (known && !c.bugs.some((b) => known.has(b))) continue;
      // The bugs as numbers (a `Control:` line writes `-1` for the bug it is sent to).
      const line = [c.verb, ...c.bugs, c.args.replace(/\s+/g, " ").trim()].filter((x) => x !== "").join(" ");
      const key = line.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ date: e.date!, line, bugs: c.bugs });
    }
  }
  return out;
}


/**
 * The digest of a period: what is new, what was closed, what else was discussed, the control commands
 * people sent, the decisions waiting, the open reports no topic fits, and open reports per topic.
 * `activity` holds the reports with mail in the period (see reportActivity); every other report had none.
 */
export function assembleDigest(input: {
  window: DigestWindow;
  reports: ReportSummary[];
  activity: Map<string, ReportActivity>;
  controls: DigestControl[];
  suggestions: ListedDuplicates[];
}): Digest {
  const { window: w, reports, activity } = input;
  const entry = (r: ReportSummary): DigestReport => ({
    id: r.id,
    bug: r.bug,
    title: r.title,
    package: r.package,
    severity: r.severity,
    state: r.state ?? "open",
    topics: r.topics.map((t) => t.topic),
    messagesInPeriod: activity.get(r.id)?.messagesInPeriod ?? 0,
    messages: r.messages,
    writers: activity.get(r.id)?.writers ?? [],
    firstDate: r.firstDate,
    lastDate: r.lastDate,
  });
  const newReports: DigestReport[] = [];
  const closed: (DigestReport & { closedAt: string; fixedIn: string | null })[] = [];
  const discussed: DigestReport[] = [];
  for (const r of reports) {
    const a = activity.get(r.id);
    if (inWindow(r.firstDate, w)) newReports.push(entry(r));
    if (!isOpenReport(r) && a && a.closedAt !== null && inWindow(a.closedAt, w)) closed.push({ ...entry(r), closedAt: a.closedAt, fixedIn: a.fixedIn });
    else if (a && a.messagesInPeriod > 0 && !inWindow(r.firstDate, w)) discussed.push(entry(r));
  }
  const byFirst = (a: DigestReport, b: DigestReport) => ((a.firstDate ?? "") < (b.firstDate ?? "") ? -1 : (a.firstDate ?? "") > (b.firstDate ?? "") ? 1 : a.id < b.id ? -1 : 1);
  newReports.sort(byFirst);
  closed.sort((a, b) => (a.closedAt < b.closedAt ? -1 : a.closedAt > b.closedAt ? 1 : a.id < b.id ? -1 : 1));
  discussed.sort((a, b) => b.messagesInPeriod - a.messagesInPeriod || byFirst(a, b));

  const open = reports.filter(isOpenReport);
  const counts = new Map<string, { open: number; new: number }>();
  const count = (topic: string) => counts.get(topic) ?? counts.set(topic, { open: 0, new: 0 }).get(topic)!;
  for (const r of open) for (const t of r.topics) count(t.topic).open++;
  for (const r of newReports) for (const t of r.topics) count(t).new++;
  const topics = [...counts]
    .map(([topic, c]) => ({ topic, ...c }))
    .sort((a, b) => b.open - a.open || b.new - a.new || (a.topic < b.topic ? -1 : 1));
  const needsHuman = [...newReports, ...discussed].filter((r) => r.state === "open" && r.topics.length === 0);
  const quiet = !newReports.length && !closed.length && !discussed.length && !input.controls.length && !input.suggestions.length;
  return {
    window: w,
    totals: { reports: reports.length, open: open.length },
    newReports,
    closed,
    discussed,
    controls: input.controls,
    suggestions: input.suggestions,
    needsHuman,
    topics,
    quiet,
  };
}

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--since`: a span back from `now` (`7d`, `2w`, `36h`) or a date (`2024-02-01`, or a full ISO 8601
 * time). Returns the ISO time, or null when the value is neither.
 */
export function sinceTime(value: string, now: string): string | null {
  const span = /^(\d{1,5})([hdw])$/.exec(value.trim());
  if (span) return new Date(Date.parse(now) - Number(span[1]) * UNITS[span[2]!]!).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) return null;
  const t = Date.parse(/T|\s/.test(value.trim()) ? value.trim() : `${value.trim()}T00:00:00Z`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
