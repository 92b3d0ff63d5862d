/** What threading and report building need of a message. */
export interface MessageMeta {
  id: string;
  date: string | null;
  subject: string;
  normalizedSubject: string;
  inReplyTo: string | null;
  references: string[];
  /** Bugs the message is filed under. */
  bugs: number[];
  /** Bugs only its control commands name. */
  controlBugs: number[];
}

/** Subject matching joins a message to an earlier one at most this long before it. */
export const SUBJECT_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** Subjects too generic to thread by. */
const GENERIC = /^(?:|help|question|hi|hello|test|\(no subject\)|no subject|processed:.*)$/i;

/** What the first pass reads of each message. */
export type MessageHead = Pick<MessageMeta, "id" | "date" | "subject" | "normalizedSubject" | "bugs" | "controlBugs">;
/** What the second pass reads, in the same order as the first. */
export type MessageLinks = Pick<MessageMeta, "inReplyTo" | "references">;

/** Message metadata in two passes over the same messages in the same order (a store streams both). */
export interface MetaSource {
  heads(): Iterable<MessageHead> | AsyncIterable<MessageHead>;
  links(): Iterable<MessageLinks> | AsyncIterable<MessageLinks>;
}

/**
 * Every message in compact form, by position: what threading keeps in memory for the whole archive.
 * References are resolved while reading and not kept.
 */
export interface ThreadIndex {
  ids: string[];
  subjects: string[];
  /** Milliseconds since the epoch, NaN without a date. */
  times: Float64Array;
  /** Position of each message's parent, -1 for a thread root. */
  parent: Int32Array;
  /** Bugs filed under, and bugs named by control commands only; absent when none. */
  bugs: Map<number, number[]>;
  controlBugs: Map<number, number[]>;
}

/**
 * Read the messages twice: first to number them, then to resolve each one's parent, which is the
 * In-Reply-To message when we have it, else the nearest References entry we have, else (for a message
 * with no known parent) the latest earlier message with the same normalised subject within
 * SUBJECT_WINDOW_MS. Parents always come from the set; loops in forged References are cut.
 */
export async function indexThreads(source: MetaSource): Promise<ThreadIndex> {
  const ids: string[] = [];
  const subjects: string[] = [];
  const times: number[] = [];
  const keys: (string | null)[] = [];
  const position = new Map<string, number>();
  const bugs = new Map<number, number[]>();
  const controlBugs = new Map<number, number[]>();
  /** Position of each row of the passes; -1 for a repeated id (never from a store). */
  const rowTo: number[] = [];
  for await (const m of source.heads()) {
    if (position.has(m.id)) {
      rowTo.push(-1);
      continue;
    }
    const i = ids.length;
    rowTo.push(i);
    position.set(m.id, i);
    ids.push(m.id);
    subjects.push(m.subject);
    times.push(m.date === null ? Number.NaN : Date.parse(m.date));
    keys.push(GENERIC.test(m.normalizedSubject) ? null : m.normalizedSubject.toLowerCase());
    if (m.bugs.length) bugs.set(i, m.bugs);
    if (m.controlBugs.length) controlBugs.set(i, m.controlBugs);
  }
  const parent = new Int32Array(ids.length).fill(-1);
  let row = 0;
  for await (const m of source.links()) {
    const i = rowTo[row++] ?? -1;
    if (i < 0) continue;
    let p = m.inReplyTo !== null ? position.get(m.inReplyTo) : undefined;
    for (let r = m.references.length - 1; (p === undefined || p === i) && r >= 0; r--) p = position.get(m.references[r]!);
    if (p !== undefined && p !== i) parent[i] = p;
  }
  breakCycles(parent);

  // Subject fallback, in date order so a parent is always earlier.
  const order: number[] = [];
  for (let i = 0; i < ids.length; i++) if (keys[i] !== null && !Number.isNaN(times[i]!)) order.push(i);
  order.sort((a, b) => times[a]! - times[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const lastBySubject = new Map<string, number>();
  for (const i of order) {
    const key = keys[i]!;
    const prev = lastBySubject.get(key);
    if (parent[i] === -1 && prev !== undefined && times[i]! - times[prev]! <= SUBJECT_WINDOW_MS && rootOf(prev, parent) !== i) {
      parent[i] = prev;
    }
    lastBySubject.set(key, i);
  }
  return { ids, subjects, times: Float64Array.from(times), parent, bugs, controlBugs };
}

export function rootOf(i: number, parent: Int32Array): number {
  let cur = i;
  for (let guard = 0; guard <= parent.length; guard++) {
    const p = parent[cur]!;
    if (p < 0) return cur;
    cur = p;
  }
  return cur;
}

/** References can be forged or wrong; a loop is cut at the link that closes it. */
function breakCycles(parent: Int32Array): void {
  const state = new Uint8Array(parent.length); // 0 unseen, 1 on the current path, 2 done
  const path: number[] = [];
  for (let start = 0; start < parent.length; start++) {
    if (state[start] !== 0) continue;
    path.length = 0;
    let cur = start;
    while (cur >= 0 && state[cur] === 0) {
      state[cur] = 1;
      path.push(cur);
      cur = parent[cur]!;
    }
    if (cur >= 0 && state[cur] === 1) parent[path[path.length - 1]!] = -1;
    for (const p of path) state[p] = 2;
  }
}
