import { createHash } from "node:crypto";
import type { Message } from "../mail/message.js";
import type { BugStatus } from "../sources/bts/bug-status.js";
import { type ReportSummary, isOpenReport } from "../store/store.js";
import type { TopicResult } from "../triage/classify.js";
import { peopleMessages } from "../triage/report-doc.js";
import { pseudoHeaders } from "../duplicates/dup-doc.js";
import type { ListedCandidate } from "../pipeline/list-duplicates.js";
import { bugLink, inlineText, quoteMail } from "./sanitize.js";

/** What a tracking issue shows of a report, gathered by the publish pipeline. */
export interface TrackingInput {
  report: ReportSummary;
  bugStatus: BugStatus | null;
  messages: Message[];
  topics: TopicResult[];
  /** Candidates at or above the threshold. */
  duplicates: ListedCandidate[];
  /** Earlier reports a maintainer accepted as the same bug, with the control block to send. */
  accepted?: ListedCandidate[];
}

export interface TrackingIssue {
  reportId: string;
  title: string;
  labels: string[];
  body: string;
  /** Whether the issue should be open (the bug is open, or the thread is) or closed (done, archived). */
  open: boolean;
}

/**
 * A report's id as it may appear in a body: `bug:N` as it is; a thread's id is its root's Message-ID,
 * which looks like a mail address and must not be published, so it becomes `thread:` and a hash of it.
 */
export function publicKey(reportId: string): string {
  return reportId.startsWith("thread:") ? `thread:${createHash("sha256").update(reportId).digest("hex").slice(0, 16)}` : reportId;
}

/** Report ids by their public key, to read markers and boxes back. */
export function keysToIds(ids: string[]): Map<string, string> {
  return new Map(ids.map((id) => [publicKey(id), id]));
}

/**
 * A report named in a body: a bug by its bugs.debian.org link and title, a thread by its title alone (its
 * id is a Message-ID, which reads as a mail address), and its tracking issue's number when there is one.
 */
export function reportRef(id: string, title: string, issue?: number): string {
  const bug = /^bug:(\d+)$/.exec(id);
  return `${bug ? `${bugLink(Number(bug[1]))} ` : "list thread: "}${inlineText(title)}${issue && issue > 0 ? ` (#${issue})` : ""}`;
}

/** The hidden marker that finds a report's issue again when its number is not stored. */
export function reportMarker(reportId: string): string {
  return `<!-- xen-triage:report=${publicKey(reportId)} -->`;
}

/** GitHub's limit on an issue body. */
export const BODY_LIMIT = 65_536;

const OPENING_LINES = 25;
const LATER_LINES = 12;
const LATER_PASSAGES = 3;

/**
 * A report's tracking issue: title `[#N] title` (a thread's subject when there is no bug), labels by
 * topic, severity and state, and a body with a header table, the context that matters quoted with
 * attribution and a link (the opening report, then the later messages where the topics' evidence is),
 * related bugs, possible duplicates with their control blocks, and the hidden marker. Every piece of
 * mail goes through the sanitiser: no mentions, no wrong links, no markup, no addresses.
 */
export function renderTrackingIssue(input: TrackingInput, topicLabels: Record<string, string> = {}): TrackingIssue {
  const { report } = input;
  const bug = report.bug;
  const title = `${bug !== null ? `[#${bug}] ` : ""}${plainTitle(report.title)}`.slice(0, 250);
  const labels = [
    ...input.topics.map((t) => topicLabels[t.topic] ?? `topic:${t.topic}`),
    ...(report.severity ? [`severity:${report.severity}`] : []),
    `state:${report.state ?? "open"}`,
  ];
  const people = peopleMessages(input.messages);
  const parts: string[] = [reportMarker(report.id), "", ...headerTable(input, people), ""];

  parts.push("### Context", "");
  const evidenceCount = new Map<number, number>();
  for (const t of input.topics) for (const e of t.evidence) if (e.message > 1) evidenceCount.set(e.message, (evidenceCount.get(e.message) ?? 0) + 1);
  const later = [...evidenceCount].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, LATER_PASSAGES).map(([k]) => k).sort((a, b) => a - b);
  if (people.length === 0) parts.push("_No mail with words of its own yet._", "");
  for (const k of people.length ? [1, ...later] : []) {
    const m = people[k - 1]!;
    parts.push(`${attribution(m, bug, k)}`, "", quoteMail(m.ownText, { maxLines: k === 1 ? OPENING_LINES : LATER_LINES }), "");
  }

  const related = relatedBugs(input.messages, bug, report.mergedWith);
  if (related.length || report.mergedWith.length) {
    parts.push("### Related", "");
    if (report.mergedWith.length) parts.push(`- merged with ${report.mergedWith.map(bugLink).join(", ")}`);
    for (const b of related) parts.push(`- ${bugLink(b)}`);
    parts.push("");
  }

  if (input.accepted?.length) {
    parts.push("### Accepted as the same bug", "", "A maintainer said these are one bug. To merge them in the BTS, mail this to the control server:", "");
    for (const c of input.accepted) {
      parts.push(`- ${reportRef(c.report, c.title)}`);
      if (c.control) {
        for (const w of [...c.why, ...c.effects]) parts.push(`  - ${inlineText(w)}`);
        parts.push("", "  ```", ...c.control.split("\n").map((l) => `  ${l}`), "  ```", "", `  or: \`${c.bts ?? ""}\``, "");
      }
    }
    parts.push("");
  }
  if (input.duplicates.length) {
    parts.push("### Possible duplicates", "");
    for (const c of input.duplicates) {
      parts.push(`- ${reportRef(c.report, c.title)} (score ${c.score.toFixed(2)})`);
      if (c.control) {
        for (const w of c.effects) parts.push(`  - ${inlineText(w)}`);
        parts.push("", "  ```", ...c.control.split("\n").map((l) => `  ${l}`), "  ```", "");
      }
    }
    parts.push("");
  }
  parts.push(`<sub>Kept up to date by xen-triage. The BTS is the record: decisions are made there, by control mail.</sub>`);
  let body = parts.join("\n");
  if (body.length > BODY_LIMIT) body = `${body.slice(0, BODY_LIMIT - 200)}\n\n_(shortened: the report is longer than an issue can hold)_\n`;
  return { reportId: report.id, title, labels, body, open: isOpenReport(report) };
}

/**
 * An issue title: GitHub shows titles as plain text (no Markdown, no HTML), so nothing is escaped; but a
 * title must not mention anyone or show an address either.
 */
export function plainTitle(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[\w.+-]+(?:@| at )[\w-]+(?:\.[\w-]+)+/g, "[address hidden]")
    .replace(/@(?=[\w-])/g, "@\u200b")
    .replace(/\s+/g, " ")
    .trim();
}

function headerTable(input: TrackingInput, people: Message[]): string[] {
  const { report, bugStatus } = input;
  const submitter = people[0]?.fromName ?? (bugStatus?.submitter ? nameOnly(bugStatus.submitter) : null);
  const rows: [string, string][] = [];
  if (report.bug !== null) rows.push(["BTS", bugLink(report.bug)]);
  // Before the BTS is synced, the reporter's own `Package:` and `Severity:` lines say what they filed.
  const filed = people[0] ? pseudoHeaders(people[0].body) : new Map<string, string>();
  const asFiled = (v: string | undefined) => (v ? `${inlineText(v)} (as filed)` : "unknown");
  rows.push(["Package", report.package ? inlineText(report.package) : asFiled(filed.get("package") ?? filed.get("source"))]);
  rows.push(["Severity", report.severity ? inlineText(report.severity) : asFiled(filed.get("severity"))]);
  if (bugStatus?.tags.length) rows.push(["Tags", inlineText(bugStatus.tags.join(", "))]);
  rows.push(["State", inlineText(report.state ?? "open") + (report.stateFrom === "mail" ? " (from control mail)" : "")]);
  if (submitter) rows.push(["Submitter", inlineText(submitter)]);
  rows.push(["Dates", `${day(report.firstDate)} to ${day(report.lastDate)}`]);
  rows.push(["Messages", String(report.messages)]);
  if (input.topics.length) rows.push(["Topics", input.topics.map((t) => `${t.topic} (${t.score.toFixed(2)})`).join(", ")]);
  return ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)];
}

/** "Hans van Kranenburg wrote on 2023-01-13, bug #1028251 message 2:" with a link to the bug log. */
function attribution(m: Message, bug: number | null, k: number): string {
  const who = inlineText(m.fromName ?? "Someone");
  const where = bug !== null ? `, ${bugLink(bug)} message ${k}` : "";
  return `${who} wrote on ${day(m.date)}${where}:`;
}

/** Bugs the report's mail names, other than its own and its merged set. */
function relatedBugs(messages: Message[], bug: number | null, merged: number[]): number[] {
  const out = new Set<number>();
  for (const m of messages) for (const r of m.bugRefs) if (r.bug !== bug && !merged.includes(r.bug) && r.bug >= 10000) out.add(r.bug);
  return [...out].sort((a, b) => a - b).slice(0, 20);
}

function nameOnly(from: string): string {
  return from.replace(/<[^>]*>/g, "").replace(/\S+@\S+/g, "").replace(/["()]/g, "").trim() || "someone";
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "?";
}
