import { parseMessage } from "../mail/parse-message.js";
import type { Message } from "../mail/message.js";
import { bugLogEntries } from "../sources/bts/bug-log.js";
import type { BugStatus, StatusProblem } from "../sources/bts/bug-status.js";
import type { SoapValue } from "../sources/bts/soap-decode.js";
import type { Store } from "../store/store.js";
import type { Rejection } from "./ingest.js";

/** What syncing needs of the BTS (the SOAP client gives it). */
export interface BtsApi {
  getBugs(query: [string, string][]): Promise<number[]>;
  getStatus(bugs: number[]): Promise<{ statuses: BugStatus[]; problems: StatusProblem[] }>;
  getBugLog(bug: number): Promise<SoapValue>;
}

/** `bts:src:xen`, `bts:package:xen-utils-4.17`, `bts:bug:1039422`. */
export type BtsSpec = { kind: "src" | "package"; name: string } | { kind: "bug"; bug: number };

export function parseBtsSpec(source: string): BtsSpec | null {
  const m = /^bts:(src|package|bug):(.+)$/.exec(source.trim());
  if (!m) return null;
  if (m[1] === "bug") {
    const bug = Number(m[2]);
    return Number.isInteger(bug) && bug > 0 ? { kind: "bug", bug } : null;
  }
  return /^[a-z0-9][a-z0-9+.-]*$/.test(m[2]!) ? { kind: m[1] as "src" | "package", name: m[2]! } : null;
}

export interface SyncResult {
  bugs: number;
  /** Messages of the logs that were new to the store. */
  inserted: number;
  /** Bugs whose log was read this run (new, or changed since the last read). */
  logsRead: number;
  messages: Message[];
  rejected: Rejection[];
}

/**
 * Bring bugs from the BTS into the store, re-reading only what changed:
 * 1. list the bugs (get_bugs, with archived bugs when asked; one bug for bts:bug:N);
 * 2. fetch their state in batches (get_status) and store it;
 * 3. for each bug whose last_modified differs from the state its log was last read for, read the log
 *    (get_bug_log), parse each mail as a mail of that bug, store them, and only then mark the log read.
 * An interrupted run leaves the store consistent: a log not marked read is read again next time.
 */
export async function syncBts(
  source: string,
  spec: BtsSpec,
  api: BtsApi,
  store: Store,
  options: { archived?: boolean; now?: () => Date } = {},
): Promise<SyncResult> {
  const result: SyncResult = { bugs: 0, inserted: 0, logsRead: 0, messages: [], rejected: [] };
  const archived: [string, string][] = options.archived ? [["archive", "both"]] : [];
  const bugs = spec.kind === "bug" ? [spec.bug] : await api.getBugs([[spec.kind, spec.name], ...archived]);
  result.bugs = bugs.length;
  if (bugs.length === 0) return result;

  let statuses: BugStatus[] = [];
  let problems: StatusProblem[] = [];
  try {
    ({ statuses, problems } = await api.getStatus(bugs));
  } catch (err) {
    // One bug asked for by number: its log is still worth reading without its state.
    if (spec.kind !== "bug") throw err;
    result.rejected.push({ source, position: `bug ${spec.bug}`, reason: `state not read: ${(err as Error).message}` });
  }
  for (const p of problems) result.rejected.push({ source, position: p.bug ? `bug ${p.bug}` : "get_status", reason: p.reason });
  await store.upsertBugStatuses(statuses, (options.now ?? (() => new Date()))().toISOString());

  const known = await store.bugSyncState(statuses.map((s) => s.bug));
  const stale: { bug: number; lastModified: string | null; known: boolean }[] = statuses
    .filter((s) => known.get(s.bug)?.logSyncedFor !== (s.lastModified ?? ""))
    .map((s) => ({ bug: s.bug, lastModified: s.lastModified, known: true }));
  if (spec.kind === "bug" && !statuses.some((s) => s.bug === spec.bug)) stale.push({ bug: spec.bug, lastModified: null, known: false });
  // The client keeps at most two requests in flight however many are asked for at once.
  await Promise.all(
    stale.map(async (s) => {
      let answer: SoapValue;
      try {
        answer = await api.getBugLog(s.bug);
      } catch (err) {
        result.rejected.push({ source, position: `bug ${s.bug}`, reason: `log not read: ${(err as Error).message}` });
        return;
      }
      const { entries, problems: logProblems } = bugLogEntries(answer, s.bug);
      for (const p of logProblems) result.rejected.push({ source, position: `bug ${s.bug}`, reason: p });
      const messages: Message[] = [];
      for (const [k, e] of entries.entries()) {
        const position = `bug ${s.bug}, log message ${e.msgNum ?? k + 1}`;
        try {
          messages.push(parseMessage(e.raw, { source, index: k + 1, offset: 0, separator: null, bug: s.bug, position }));
        } catch (err) {
          result.rejected.push({ source, position, reason: (err as Error).message });
        }
      }
      if (messages.length) result.inserted += (await store.upsertMessages(messages)).inserted;
      // Without the bug's state there is nothing to compare with next time: read it again then.
      if (s.known) await store.markLogSynced(s.bug, s.lastModified);
      result.logsRead++;
      result.messages.push(...messages);
    }),
  );
  return result;
}
