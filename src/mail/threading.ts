/** What threading and report building need of a message: small enough to hold for every mail. */
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

/**
 * Each message's parent: the In-Reply-To message when we have it, else the nearest References entry we
 * have, else (for a message with no known parent) the latest earlier message with the same normalised
 * subject within SUBJECT_WINDOW_MS. Parents always come from the given set; there are no cycles.
 */
export function findParents(messages: MessageMeta[]): Map<string, string> {
  const byId = new Map<string, MessageMeta>();
  for (const m of messages) byId.set(m.id, m);
  const parent = new Map<string, string>();
  for (const m of messages) {
    let p: string | undefined;
    if (m.inReplyTo && m.inReplyTo !== m.id && byId.has(m.inReplyTo)) p = m.inReplyTo;
    else {
      for (let i = m.references.length - 1; i >= 0; i--) {
        const r = m.references[i]!;
        if (r !== m.id && byId.has(r)) {
          p = r;
          break;
        }
      }
    }
    if (p) parent.set(m.id, p);
  }
  breakCycles(parent);

  // Subject fallback, in date order so a parent is always earlier.
  const ordered: { m: MessageMeta; t: number; key: string }[] = [];
  for (const m of messages) {
    if (m.date === null || GENERIC.test(m.normalizedSubject)) continue;
    ordered.push({ m, t: Date.parse(m.date), key: m.normalizedSubject.toLowerCase() });
  }
  ordered.sort((a, b) => a.t - b.t || (a.m.id < b.m.id ? -1 : a.m.id > b.m.id ? 1 : 0));
  const lastBySubject = new Map<string, { m: MessageMeta; t: number }>();
  for (const o of ordered) {
    const prev = lastBySubject.get(o.key);
    if (!parent.has(o.m.id) && prev && o.t - prev.t <= SUBJECT_WINDOW_MS) {
      if (rootOf(prev.m.id, parent) !== o.m.id) parent.set(o.m.id, prev.m.id);
    }
    lastBySubject.set(o.key, o);
  }
  return parent;
}

export function rootOf(id: string, parent: Map<string, string>): string {
  let cur = id;
  for (let guard = 0; guard < 100000; guard++) {
    const p = parent.get(cur);
    if (p === undefined) return cur;
    cur = p;
  }
  return cur;
}

/** References can be forged or wrong; a loop is cut at the link that closes it. */
function breakCycles(parent: Map<string, string>): void {
  const state = new Map<string, 1 | 2>();
  for (const start of parent.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 1);
      path.push(cur);
      cur = parent.get(cur);
    }
    if (cur !== undefined && state.get(cur) === 1) {
      // cur is on the current path: cut its parent link.
      const before = path[path.length - 1]!;
      parent.delete(before);
    }
    for (const p of path) state.set(p, 2);
  }
}
