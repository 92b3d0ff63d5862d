import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Message } from "../mail/message.js";
import type { ControlCommand } from "../mail/message.js";
import type { BugStatus } from "../sources/bts/bug-status.js";
import type { TopicResult } from "../triage/classify.js";
import type { ControlEvent, MailState } from "../triage/mail-state.js";
import type { MessageHead, MessageLinks, MessageMeta } from "../mail/threading.js";
import type { Report } from "../triage/build-reports.js";
import type { DupDoc } from "../duplicates/dup-doc.js";
import type { DuplicateCandidate } from "../duplicates/finder.js";
import type { DuplicateVerdict, HttpValidators, ReportSummary, Store, TopicCorrection } from "./store.js";

/** Each entry moves the schema one version up; `PRAGMA user_version` says where a database stands. */
const MIGRATIONS: string[] = [
  `CREATE TABLE messages (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     source TEXT NOT NULL,
     position TEXT NOT NULL,
     date TEXT,
     from_name TEXT,
     from_address TEXT,
     to_addresses TEXT NOT NULL,
     cc_addresses TEXT NOT NULL,
     subject TEXT NOT NULL,
     normalized_subject TEXT NOT NULL,
     in_reply_to TEXT,
     refs TEXT NOT NULL,
     bugs TEXT NOT NULL,
     bug_refs TEXT NOT NULL,
     controls TEXT NOT NULL,
     control_bugs TEXT NOT NULL,
     warnings TEXT NOT NULL
   );
   -- The texts apart, so that scans of the metadata (threading) do not read through every body.
   CREATE TABLE message_texts (
     seq INTEGER PRIMARY KEY REFERENCES messages(seq),
     body TEXT NOT NULL,
     own_text TEXT NOT NULL
   );
   CREATE TABLE reports (
     id TEXT PRIMARY KEY,
     bug INTEGER,
     title TEXT NOT NULL,
     first_date TEXT,
     last_date TEXT,
     message_count INTEGER NOT NULL
   );
   CREATE TABLE report_messages (
     report_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     PRIMARY KEY (report_id, message_id)
   ) WITHOUT ROWID;
   CREATE INDEX report_messages_by_message ON report_messages(message_id);
   CREATE TABLE http_validators (
     url TEXT PRIMARY KEY,
     etag TEXT,
     last_modified TEXT
   );`,
  // 2: the BTS's state of each bug, and for which state of the bug its log was last read.
  `CREATE TABLE bug_status (
     bug INTEGER PRIMARY KEY,
     status TEXT NOT NULL,
     last_modified TEXT,
     fetched_at TEXT NOT NULL,
     log_synced_for TEXT
   );`,
  // 3: what control mail says of each bug (merges, reassigns, severity, closes), newest command's date.
  `CREATE TABLE bug_mail_state (
     bug INTEGER PRIMARY KEY,
     state TEXT NOT NULL,
     as_of TEXT
   );`,
  // 4: the topics of each report with their evidence, and what the report held when it was classified.
  `CREATE TABLE report_topics (
     report_id TEXT PRIMARY KEY,
     topics TEXT NOT NULL,
     content_key TEXT NOT NULL
   );`,
  // 5: duplicate finding: each report's document (terms and signals) with the content it was made
  // from, its ranked candidates, and maintainers' verdicts on pairs (stored smaller id first).
  `CREATE TABLE dup_docs (
     report_id TEXT PRIMARY KEY,
     content_key TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE TABLE dup_candidates (
     report_id TEXT NOT NULL,
     rank INTEGER NOT NULL,
     candidate_id TEXT NOT NULL,
     score REAL NOT NULL,
     evidence TEXT NOT NULL,
     PRIMARY KEY (report_id, rank)
   );
   CREATE TABLE dup_verdicts (
     report_a TEXT NOT NULL,
     report_b TEXT NOT NULL,
     verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
     decided_by TEXT,
     decided_at TEXT NOT NULL,
     PRIMARY KEY (report_a, report_b)
   );`,
  // 6: what was published to GitHub: each report's tracking issue and what its rendering was, and the
  // dashboard with what the last run saw (for the comment on what changed).
  `CREATE TABLE github_issues (
     repo TEXT NOT NULL,
     report_id TEXT NOT NULL,
     number INTEGER NOT NULL,
     rendered TEXT NOT NULL,
     PRIMARY KEY (repo, report_id)
   );
   CREATE TABLE github_dashboards (
     repo TEXT PRIMARY KEY,
     number INTEGER NOT NULL,
     rendered TEXT NOT NULL,
     snapshot TEXT NOT NULL
   );`,
  // 7: maintainers' topic corrections (from GitHub): the last word on a report's topic wins.
  `CREATE TABLE topic_corrections (
     report_id TEXT NOT NULL,
     topic TEXT NOT NULL,
     present INTEGER NOT NULL,
     decided_by TEXT,
     decided_at TEXT NOT NULL,
     PRIMARY KEY (report_id, topic)
   );`,
];

export function openSqliteStore(path: string): SqliteStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  return new SqliteStore(new Database(path, { timeout: 60_000 }));
}

export class SqliteStore implements Store {
  private readonly insertMessage;
  private readonly insertText;
  private readonly selectBugs;
  private readonly updateBugs;
  /** Statements of the queries run once a report, prepared once (preparing cost as much as running). */
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    // Bodies are a few KB each: bigger pages mean fewer overflow pages. Takes effect on a new file.
    db.pragma("page_size = 16384");
    db.pragma("journal_mode = WAL");
    db.pragma("cache_size = -8192");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db);
    this.insertMessage = db.prepare(
      `INSERT INTO messages (id, source, position, date, from_name, from_address, to_addresses, cc_addresses,
         subject, normalized_subject, in_reply_to, refs, bugs, bug_refs, controls, control_bugs, warnings)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    );
    this.insertText = db.prepare("INSERT INTO message_texts (seq, body, own_text) VALUES (?, ?, ?)");
    this.selectBugs = db.prepare<[string], { bugs: string }>("SELECT bugs FROM messages WHERE id = ?");
    this.updateBugs = db.prepare("UPDATE messages SET bugs = ? WHERE id = ?");
  }

  async upsertMessages(messages: Message[]): Promise<{ inserted: number; updated: number }> {
    let inserted = 0;
    let updated = 0;
    // IMMEDIATE: take the write lock up front, so concurrent ingest workers wait their turn instead of
    // failing to upgrade a read transaction.
    this.db.transaction(() => {
      for (const m of messages) {
        const { changes, lastInsertRowid } = this.insertMessage.run(
          m.id,
          m.source,
          m.position,
          m.date,
          m.fromName,
          m.fromAddress,
          jsonText(m.to),
          jsonText(m.cc),
          m.subject,
          m.normalizedSubject,
          m.inReplyTo,
          jsonText(m.references),
          jsonText(m.bugs),
          jsonText(m.bugRefs),
          jsonText(m.controls),
          m.controls.length === 0 ? EMPTY_LIST : jsonText([...new Set(m.controls.flatMap((c) => c.bugs))]),
          jsonText(m.warnings),
        );
        if (changes === 1) {
          this.insertText.run(lastInsertRowid, m.body, m.ownText);
          inserted++;
          continue;
        }
        // Seen before (the same mail from the list and from the BTS): it may be filed under more bugs.
        const existing = this.selectBugs.get(m.id);
        if (!existing) continue;
        const bugs = JSON.parse(existing.bugs) as number[];
        const more = m.bugs.filter((b) => !bugs.includes(b));
        if (more.length) {
          this.updateBugs.run(JSON.stringify([...bugs, ...more]), m.id);
          updated++;
        }
      }
    }).immediate();
    return { inserted, updated };
  }

  async *messageMetas(): AsyncGenerator<MessageMeta> {
    const rows = this.db
      .prepare<[], { id: string; date: string | null; subject: string; normalized_subject: string; in_reply_to: string | null; refs: string; bugs: string; control_bugs: string }>(
        "SELECT id, date, subject, normalized_subject, in_reply_to, refs, bugs, control_bugs FROM messages ORDER BY seq",
      )
      .iterate();
    for (const r of rows) {
      yield {
        id: r.id,
        date: r.date,
        subject: r.subject,
        normalizedSubject: r.normalized_subject,
        inReplyTo: r.in_reply_to,
        references: jsonList<string>(r.refs),
        bugs: jsonList<number>(r.bugs),
        controlBugs: jsonList<number>(r.control_bugs),
      };
    }
  }

  async *messageHeads(): AsyncGenerator<MessageHead> {
    // Raw rows: better-sqlite3 builds arrays faster than objects, and this reads every message.
    const rows = this.db
      .prepare("SELECT id, date, subject, normalized_subject, bugs, control_bugs FROM messages ORDER BY seq")
      .raw()
      .iterate() as IterableIterator<[string, string | null, string, string, string, string]>;
    for (const [id, date, subject, normalizedSubject, bugs, controlBugs] of rows) {
      yield { id, date, subject, normalizedSubject, bugs: jsonList<number>(bugs), controlBugs: jsonList<number>(controlBugs) };
    }
  }

  async *messageLinks(): AsyncGenerator<MessageLinks> {
    const rows = this.db.prepare("SELECT in_reply_to, refs FROM messages ORDER BY seq").raw().iterate() as IterableIterator<[string | null, string]>;
    for (const [inReplyTo, refs] of rows) yield { inReplyTo, references: jsonList<string>(refs) };
  }

  async replaceReports(reports: Report[]): Promise<void> {
    // Write only what changed: re-ingesting an archive regroups nothing, and should write nothing.
    const oldReports = new Map(
      this.db
        .prepare<[], ReportRow>("SELECT id, bug, title, first_date, last_date, message_count FROM reports")
        .all()
        .map((r) => [r.id, r]),
    );
    const oldMembers = new Map<string, Set<string>>();
    for (const row of this.db.prepare<[], { report_id: string; message_id: string }>("SELECT report_id, message_id FROM report_messages").iterate()) {
      let set = oldMembers.get(row.report_id);
      if (!set) oldMembers.set(row.report_id, (set = new Set()));
      set.add(row.message_id);
    }
    const upsertReport = this.db.prepare(
      `INSERT INTO reports (id, bug, title, first_date, last_date, message_count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET bug = excluded.bug, title = excluded.title, first_date = excluded.first_date,
         last_date = excluded.last_date, message_count = excluded.message_count`,
    );
    const deleteReport = this.db.prepare("DELETE FROM reports WHERE id = ?");
    const insertMember = this.db.prepare("INSERT INTO report_messages (report_id, message_id) VALUES (?, ?)");
    const deleteMember = this.db.prepare("DELETE FROM report_messages WHERE report_id = ? AND message_id = ?");
    const deleteMembers = this.db.prepare("DELETE FROM report_messages WHERE report_id = ?");
    this.db.transaction(() => {
      for (const r of reports) {
        const old = oldReports.get(r.id);
        oldReports.delete(r.id);
        if (
          !old ||
          old.bug !== r.bug ||
          old.title !== r.title ||
          old.first_date !== r.firstDate ||
          old.last_date !== r.lastDate ||
          old.message_count !== r.messageIds.length
        ) {
          upsertReport.run(r.id, r.bug, r.title, r.firstDate, r.lastDate, r.messageIds.length);
        }
        const had = oldMembers.get(r.id);
        for (const mid of r.messageIds) {
          if (had?.delete(mid)) continue;
          insertMember.run(r.id, mid);
        }
        if (had) for (const mid of had) deleteMember.run(r.id, mid);
      }
      for (const gone of oldReports.keys()) {
        deleteMembers.run(gone);
        deleteReport.run(gone);
      }
    }).immediate();
  }

  async listReports(): Promise<ReportSummary[]> {
    const rows = this.db
      .prepare<[], ReportRow>(
        `SELECT r.id, r.bug, r.title, r.first_date, r.last_date, r.message_count, b.status, ms.state AS mail_state, rt.topics
         FROM reports r LEFT JOIN bug_status b ON b.bug = r.bug LEFT JOIN bug_mail_state ms ON ms.bug = r.bug LEFT JOIN report_topics rt ON rt.report_id = r.id ORDER BY r.last_date DESC, r.id`,
      )
      .all();
    return rows.map(summary);
  }

  async upsertBugStatuses(statuses: BugStatus[], fetchedAt: string): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO bug_status (bug, status, last_modified, fetched_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(bug) DO UPDATE SET status = excluded.status, last_modified = excluded.last_modified,
         fetched_at = excluded.fetched_at`,
    );
    this.db.transaction(() => {
      for (const s of statuses) upsert.run(s.bug, JSON.stringify(s), s.lastModified, fetchedAt);
    }).immediate();
  }

  async bugSyncState(bugs: number[]): Promise<Map<number, { lastModified: string | null; logSyncedFor: string | null }>> {
    const get = this.db.prepare<[number], { last_modified: string | null; log_synced_for: string | null }>(
      "SELECT last_modified, log_synced_for FROM bug_status WHERE bug = ?",
    );
    const out = new Map<number, { lastModified: string | null; logSyncedFor: string | null }>();
    for (const bug of bugs) {
      const row = get.get(bug);
      if (row) out.set(bug, { lastModified: row.last_modified, logSyncedFor: row.log_synced_for });
    }
    return out;
  }

  async *controlEvents(): AsyncGenerator<ControlEvent> {
    const rows = this.db.prepare("SELECT date, controls FROM messages WHERE controls != '[]' ORDER BY date, seq").raw().iterate() as IterableIterator<[string | null, string]>;
    for (const [date, controls] of rows) yield { date, controls: JSON.parse(controls) as ControlCommand[] };
  }

  async replaceMailState(states: MailState[]): Promise<void> {
    const insert = this.db.prepare("INSERT INTO bug_mail_state (bug, state, as_of) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      this.db.exec("DELETE FROM bug_mail_state");
      for (const s of states) insert.run(s.bug, JSON.stringify(s), s.asOf);
    }).immediate();
  }

  async setTopics(reportId: string, topics: TopicResult[], contentKey: string): Promise<void> {
    this.statement(
      `INSERT INTO report_topics (report_id, topics, content_key) VALUES (?, ?, ?)
       ON CONFLICT(report_id) DO UPDATE SET topics = excluded.topics, content_key = excluded.content_key`,
    ).run(reportId, JSON.stringify(topics), contentKey);
  }

  async topicKeys(): Promise<Map<string, string>> {
    const rows = this.db.prepare("SELECT report_id, content_key FROM report_topics").raw().all() as [string, string][];
    return new Map(rows);
  }

  async reportTopics(reportId: string): Promise<TopicResult[]> {
    const row = this.statement<[string], { topics: string }>("SELECT topics FROM report_topics WHERE report_id = ?").get(reportId);
    return row ? (JSON.parse(row.topics) as TopicResult[]) : [];
  }

  async reportMessageIds(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const [rid, mid] of this.db.prepare("SELECT report_id, message_id FROM report_messages ORDER BY report_id, message_id").raw().iterate() as IterableIterator<[string, string]>) {
      const list = out.get(rid);
      if (list) list.push(mid);
      else out.set(rid, [mid]);
    }
    return out;
  }

  async *dupDocs(): AsyncIterable<{ key: string; doc: DupDoc }> {
    for (const [key, doc] of this.db.prepare("SELECT content_key, doc FROM dup_docs ORDER BY report_id").raw().iterate() as IterableIterator<[string, string]>) {
      yield { key, doc: JSON.parse(doc) as DupDoc };
    }
  }

  async dupDocKeys(): Promise<Map<string, string>> {
    return new Map(this.db.prepare("SELECT report_id, content_key FROM dup_docs").raw().all() as [string, string][]);
  }

  async setDupDocs(docs: { key: string; doc: DupDoc }[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO dup_docs (report_id, content_key, doc) VALUES (?, ?, ?)
       ON CONFLICT(report_id) DO UPDATE SET content_key = excluded.content_key, doc = excluded.doc`,
    );
    this.db.transaction(() => {
      for (const { key, doc } of docs) upsert.run(doc.id, key, JSON.stringify(doc));
      // Reports regrouped away (a thread that became a bug's) take their documents and candidates along.
      this.db.exec("DELETE FROM dup_docs WHERE report_id NOT IN (SELECT id FROM reports)");
      this.db.exec("DELETE FROM dup_candidates WHERE report_id NOT IN (SELECT id FROM reports) OR candidate_id NOT IN (SELECT id FROM reports)");
    }).immediate();
  }

  async setCandidates(entries: { reportId: string; candidates: DuplicateCandidate[] }[]): Promise<void> {
    const clear = this.db.prepare("DELETE FROM dup_candidates WHERE report_id = ?");
    const insert = this.db.prepare("INSERT INTO dup_candidates (report_id, rank, candidate_id, score, evidence) VALUES (?, ?, ?, ?, ?)");
    this.db.transaction(() => {
      for (const { reportId, candidates } of entries) {
        clear.run(reportId);
        candidates.forEach((c, k) => insert.run(reportId, k + 1, c.id, c.score, JSON.stringify(c.evidence)));
      }
    }).immediate();
  }

  async candidates(reportId?: string): Promise<Map<string, DuplicateCandidate[]>> {
    const rows = (
      reportId === undefined
        ? this.db.prepare("SELECT report_id, candidate_id, score, evidence FROM dup_candidates ORDER BY report_id, rank").raw().all()
        : this.db.prepare("SELECT report_id, candidate_id, score, evidence FROM dup_candidates WHERE report_id = ? ORDER BY rank").raw().all(reportId)
    ) as [string, string, number, string][];
    const out = new Map<string, DuplicateCandidate[]>();
    for (const [rid, id, score, evidence] of rows) {
      const list = out.get(rid) ?? out.set(rid, []).get(rid)!;
      list.push({ id, score, evidence: JSON.parse(evidence) as DuplicateCandidate["evidence"] });
    }
    return out;
  }

  async setVerdict(v: DuplicateVerdict): Promise<void> {
    const [a, b] = v.a < v.b ? [v.a, v.b] : [v.b, v.a];
    this.db
      .prepare(
        `INSERT INTO dup_verdicts (report_a, report_b, verdict, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(report_a, report_b) DO UPDATE SET verdict = excluded.verdict, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      )
      .run(a, b, v.verdict, v.by, v.at);
  }

  async verdicts(): Promise<DuplicateVerdict[]> {
    return (this.db.prepare("SELECT report_a, report_b, verdict, decided_by, decided_at FROM dup_verdicts ORDER BY report_a, report_b").raw().all() as [string, string, "accepted" | "rejected", string | null, string][]).map(
      ([a, b, verdict, by, at]) => ({ a, b, verdict, by, at }),
    );
  }

  async githubIssues(repo: string): Promise<Map<string, { number: number; rendered: string }>> {
    const rows = this.db.prepare("SELECT report_id, number, rendered FROM github_issues WHERE repo = ?").raw().all(repo) as [string, number, string][];
    return new Map(rows.map(([id, number, rendered]) => [id, { number, rendered }]));
  }

  async setGithubIssues(repo: string, issues: { reportId: string; number: number; rendered: string }[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO github_issues (repo, report_id, number, rendered) VALUES (?, ?, ?, ?)
       ON CONFLICT(repo, report_id) DO UPDATE SET number = excluded.number, rendered = excluded.rendered`,
    );
    this.db.transaction(() => {
      for (const i of issues) upsert.run(repo, i.reportId, i.number, i.rendered);
    }).immediate();
  }

  async githubDashboard(repo: string): Promise<{ number: number; rendered: string; snapshot: string } | null> {
    const row = this.db.prepare("SELECT number, rendered, snapshot FROM github_dashboards WHERE repo = ?").raw().get(repo) as [number, string, string] | undefined;
    return row ? { number: row[0], rendered: row[1], snapshot: row[2] } : null;
  }

  async setGithubDashboard(repo: string, d: { number: number; rendered: string; snapshot: string }): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO github_dashboards (repo, number, rendered, snapshot) VALUES (?, ?, ?, ?)
         ON CONFLICT(repo) DO UPDATE SET number = excluded.number, rendered = excluded.rendered, snapshot = excluded.snapshot`,
      )
      .run(repo, d.number, d.rendered, d.snapshot);
  }

  async setTopicCorrection(c: TopicCorrection): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO topic_corrections (report_id, topic, present, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(report_id, topic) DO UPDATE SET present = excluded.present, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      )
      .run(c.reportId, c.topic, c.present ? 1 : 0, c.by, c.at);
  }

  async topicCorrections(): Promise<TopicCorrection[]> {
    return (this.db.prepare("SELECT report_id, topic, present, decided_by, decided_at FROM topic_corrections ORDER BY report_id, topic").raw().all() as [string, string, number, string | null, string][]).map(
      ([reportId, topic, present, by, at]) => ({ reportId, topic, present: present === 1, by, at }),
    );
  }

  async knownBugs(): Promise<number[]> {
    return this.db.prepare("SELECT bug FROM bug_status ORDER BY bug").pluck().all() as number[];
  }

  async markLogSynced(bug: number, lastModified: string | null): Promise<void> {
    this.db.prepare("UPDATE bug_status SET log_synced_for = ? WHERE bug = ?").run(lastModified ?? "", bug);
  }

  private statement<P extends unknown[], R>(sql: string): Database.Statement<P, R> {
    let st = this.prepared.get(sql);
    if (!st) this.prepared.set(sql, (st = this.db.prepare(sql)));
    return st as Database.Statement<P, R>;
  }

  async getReport(id: string): Promise<{ report: ReportSummary; bugStatus: BugStatus | null; messages: Message[] } | null> {
    const row = this.statement<[string], ReportRow>(
      `SELECT r.id, r.bug, r.title, r.first_date, r.last_date, r.message_count, b.status, ms.state AS mail_state, rt.topics
       FROM reports r LEFT JOIN bug_status b ON b.bug = r.bug LEFT JOIN bug_mail_state ms ON ms.bug = r.bug LEFT JOIN report_topics rt ON rt.report_id = r.id WHERE r.id = ?`,
    ).get(id);
    if (!row) return null;
    const rows = this.statement<[string], MessageRow>(
      `SELECT m.*, t.body, t.own_text FROM report_messages rm
       JOIN messages m ON m.id = rm.message_id JOIN message_texts t ON t.seq = m.seq
       WHERE rm.report_id = ? ORDER BY m.date, m.id`,
    ).all(id);
    return { report: summary(row), bugStatus: row.status ? (JSON.parse(row.status) as BugStatus) : null, messages: rows.map(toMessage) };
  }

  async existingReports(ids: string[]): Promise<Set<string>> {
    const rows = this.statement<[string], { id: string }>("SELECT id FROM reports WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(ids));
    return new Set(rows.map((r) => r.id));
  }

  async bugStatuses(bugs: number[]): Promise<Map<number, BugStatus>> {
    const rows = this.db.prepare("SELECT bug, status FROM bug_status WHERE bug IN (SELECT value FROM json_each(?))").raw().all(JSON.stringify(bugs)) as [number, string][];
    return new Map(rows.map(([bug, status]) => [bug, JSON.parse(status) as BugStatus]));
  }

  async counts(): Promise<{ messages: number; reports: number }> {
    const m = this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM messages").get()!.n;
    const r = this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM reports").get()!.n;
    return { messages: m, reports: r };
  }

  async getValidators(url: string): Promise<HttpValidators | null> {
    const row = this.db
      .prepare<[string], { url: string; etag: string | null; last_modified: string | null }>(
        "SELECT url, etag, last_modified FROM http_validators WHERE url = ?",
      )
      .get(url);
    return row ? { url: row.url, etag: row.etag, lastModified: row.last_modified } : null;
  }

  async setValidators(v: HttpValidators): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO http_validators (url, etag, last_modified) VALUES (?, ?, ?)
         ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified`,
      )
      .run(v.url, v.etag, v.lastModified);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

const EMPTY_LIST = "[]";

/** A list as stored: most lists of a message are empty, and one shared "[]" costs no stringify. */
function jsonText(list: readonly unknown[]): string {
  return list.length === 0 ? EMPTY_LIST : JSON.stringify(list);
}

/** Most lists stored are empty: skip JSON.parse for those. */
function jsonList<T>(json: string): T[] {
  return json === EMPTY_LIST ? [] : (JSON.parse(json) as T[]);
}

function migrate(db: Database.Database): void {
  // One immediate transaction, version read inside it: connections opening at once migrate once.
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`database schema version ${version} is newer than this xen-triage (${MIGRATIONS.length}); upgrade xen-triage`);
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}

interface ReportRow {
  topics?: string | null;
  status?: string | null;
  mail_state?: string | null;
  id: string;
  bug: number | null;
  title: string;
  first_date: string | null;
  last_date: string | null;
  message_count: number;
}

/**
 * A report row, with its bug's state: the BTS's answer, unless control mail newer than that answer
 * (a merge, a reassign, a close) says otherwise; `stateFrom` tells which.
 */
function summary(r: ReportRow): ReportSummary {
  const s = r.status ? (JSON.parse(r.status) as BugStatus) : null;
  const m = r.mail_state ? (JSON.parse(r.mail_state) as MailState) : null;
  const mail = m && (!s || !s.lastModified || (m.asOf !== null && m.asOf > s.lastModified)) ? m : null;
  const btsState = s ? (s.archived ? "archived" : s.done ? "done" : "open") : null;
  const mailState = mail?.done === true ? "done" : mail?.done === false ? "open" : null;
  return {
    id: r.id,
    bug: r.bug,
    title: s?.title ?? r.title,
    package: mail?.package ?? s?.package ?? null,
    state: btsState === "archived" ? btsState : (mailState ?? btsState),
    severity: mail?.severity ?? s?.severity ?? null,
    topics: r.topics ? (JSON.parse(r.topics) as TopicResult[]).map((t) => ({ topic: t.topic, score: t.score })) : [],
    messages: r.message_count,
    mergedWith: mail?.mergeSeen ? mail.mergedWith : (s?.mergedWith ?? []),
    stateFrom: mail ? "mail" : s ? "bts" : null,
    firstDate: r.first_date,
    lastDate: r.last_date,
  };
}

interface MessageRow {
  id: string;
  source: string;
  position: string;
  date: string | null;
  from_name: string | null;
  from_address: string | null;
  to_addresses: string;
  cc_addresses: string;
  subject: string;
  normalized_subject: string;
  in_reply_to: string | null;
  refs: string;
  bugs: string;
  bug_refs: string;
  controls: string;
  body: string;
  own_text: string;
  warnings: string;
}

function toMessage(r: MessageRow): Message {
  return {
    id: r.id,
    source: r.source,
    position: r.position,
    date: r.date,
    fromName: r.from_name,
    fromAddress: r.from_address,
    to: JSON.parse(r.to_addresses),
    cc: JSON.parse(r.cc_addresses),
    subject: r.subject,
    normalizedSubject: r.normalized_subject,
    inReplyTo: r.in_reply_to,
    references: JSON.parse(r.refs),
    bugs: JSON.parse(r.bugs),
    bugRefs: JSON.parse(r.bug_refs),
    controls: JSON.parse(r.controls),
    body: r.body,
    ownText: r.own_text,
    warnings: JSON.parse(r.warnings),
  };
}
