import type { Message } from "../mail/message.js";
import type { BugStatus } from "../sources/bts/bug-status.js";
import type { TopicResult } from "../triage/classify.js";
import type { ControlEvent, MailState } from "../triage/mail-state.js";
import type { MessageHead, MessageLinks, MessageMeta } from "../mail/threading.js";
import type { Report } from "../triage/build-reports.js";
import type { DupDoc } from "../duplicates/dup-doc.js";
import type { DuplicateCandidate } from "../duplicates/finder.js";

/** A report as `reports` lists it; fields other issues fill (state, topics, ...) are null or empty. */
export interface ReportSummary {
  id: string;
  bug: number | null;
  title: string;
  package: string | null;
  state: "open" | "done" | "archived" | null;
  severity: string | null;
  topics: { topic: string; score: number }[];
  messages: number;
  mergedWith: number[];
  /** Where package, state, severity and mergedWith come from: the BTS, or control mail newer than its answer. */
  stateFrom: "bts" | "mail" | null;
  firstDate: string | null;
  lastDate: string | null;
}

/** Open: neither done nor archived (a report with no known state counts as open). */
export function isOpenReport(r: Pick<ReportSummary, "state">): boolean {
  return r.state !== "done" && r.state !== "archived";
}

/** A maintainer's word on a pair of reports: the same bug (accepted) or not (rejected, never suggested again). */
export interface DuplicateVerdict {
  a: string;
  b: string;
  verdict: "accepted" | "rejected";
  /** Who decided (a GitHub login, or null from the command line). */
  by: string | null;
  /** ISO 8601. */
  at: string;
}

/** A maintainer's word on one topic of a report: it applies (present) or it does not. */
export interface TopicCorrection {
  reportId: string;
  topic: string;
  present: boolean;
  by: string | null;
  at: string;
}

export interface HttpValidators {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

/**
 * The one database interface. SQLite (embedded, default) implements it; a PostgreSQL implementation
 * for the scale-out path will too. No SQL outside src/store/.
 */
export interface Store {
  /** Insert new messages; a known Message-ID only gains the bugs it was not filed under yet. */
  upsertMessages(messages: Message[]): Promise<{ inserted: number; updated: number }>;
  /** Threading metadata of every stored message, streamed. */
  messageMetas(): AsyncIterable<MessageMeta>;
  /** The same in two narrow passes, in one order (insertion), for threading a whole archive. */
  messageHeads(): AsyncIterable<MessageHead>;
  messageLinks(): AsyncIterable<MessageLinks>;
  /** Replace the report grouping with a freshly computed one. */
  replaceReports(reports: Report[]): Promise<void>;
  listReports(): Promise<ReportSummary[]>;
  /** One report with its messages, and the BTS's full state of its bug when synced. */
  getReport(id: string): Promise<{ report: ReportSummary; bugStatus: BugStatus | null; messages: Message[] } | null>;
  /** Which of these report ids the store has (without reading their mail). */
  existingReports(ids: string[]): Promise<Set<string>>;
  /** The BTS's state of these bugs, for those synced. */
  bugStatuses(bugs: number[]): Promise<Map<number, BugStatus>>;
  counts(): Promise<{ messages: number; reports: number }>;
  /** The BTS's state of bugs (get_status), replacing what was stored for them. */
  upsertBugStatuses(statuses: BugStatus[], fetchedAt: string): Promise<void>;
  /** What the store knows of these bugs' sync: the state stored, and the state its log was read for. */
  bugSyncState(bugs: number[]): Promise<Map<number, { lastModified: string | null; logSyncedFor: string | null }>>;
  /** The control commands of every stored message, with the message's date. */
  controlEvents(): AsyncIterable<ControlEvent>;
  /** Replace what control mail says of bugs (derived from controlEvents). */
  replaceMailState(states: MailState[]): Promise<void>;
  /** Store a report's topics (with evidence), and what the report held when classified. */
  setTopics(reportId: string, topics: TopicResult[], contentKey: string): Promise<void>;
  /** The content key each classified report had when it was classified. */
  topicKeys(): Promise<Map<string, string>>;
  /** A report's topics with their evidence. */
  reportTopics(reportId: string): Promise<TopicResult[]>;
  /** Every report's message ids. */
  reportMessageIds(): Promise<Map<string, string[]>>;
  /** The duplicate finder's document of every report, with the content key it was made for. */
  dupDocs(): AsyncIterable<{ key: string; doc: DupDoc }>;
  dupDocKeys(): Promise<Map<string, string>>;
  /** Store documents (replacing a report's earlier one); documents of reports gone are dropped. */
  setDupDocs(docs: { key: string; doc: DupDoc }[]): Promise<void>;
  /** Replace these reports' ranked duplicate candidates. */
  setCandidates(entries: { reportId: string; candidates: DuplicateCandidate[] }[]): Promise<void>;
  /** Ranked candidates by report (one report's, or every report's). */
  candidates(reportId?: string): Promise<Map<string, DuplicateCandidate[]>>;
  setVerdict(v: DuplicateVerdict): Promise<void>;
  /** Every verdict, each pair with its smaller id as `a`. */
  verdicts(): Promise<DuplicateVerdict[]>;
  /** Tracking issues published to a repository: number, and a digest of what was rendered into it. */
  githubIssues(repo: string): Promise<Map<string, { number: number; rendered: string }>>;
  setGithubIssues(repo: string, issues: { reportId: string; number: number; rendered: string }[]): Promise<void>;
  /** The dashboard of a repository, its rendering's digest, and what the last run saw (JSON). */
  githubDashboard(repo: string): Promise<{ number: number; rendered: string; snapshot: string } | null>;
  setGithubDashboard(repo: string, d: { number: number; rendered: string; snapshot: string }): Promise<void>;
  setTopicCorrection(c: TopicCorrection): Promise<void>;
  topicCorrections(): Promise<TopicCorrection[]>;
  /** Every bug whose BTS state is stored. */
  knownBugs(): Promise<number[]>;
  /** The bug's log has been read for this state of the bug (its last_modified). */
  markLogSynced(bug: number, lastModified: string | null): Promise<void>;
  getValidators(url: string): Promise<HttpValidators | null>;
  setValidators(v: HttpValidators): Promise<void>;
  close(): Promise<void>;
}
