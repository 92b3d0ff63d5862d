import type { ControlCommand } from "../mail/message.js";
import { byDate } from "./report-doc.js";

/** What control commands seen in mail say about a bug, until the BTS's own answer confirms or corrects it. */
export interface MailState {
  bug: number;
  mergedWith: number[];
  /** Whether any merge or unmerge named this bug (else mergedWith says nothing). */
  mergeSeen: boolean;
  package: string | null;
  severity: string | null;
  /** true after close, false after reopen, null when mail said neither. */
  done: boolean | null;
  tags: string[];
  /** The date of the last command that changed this bug (ISO 8601). */
  asOf: string | null;
}

export interface ControlEvent {
  date: string | null;
  controls: ControlCommand[];
}

/**
 * Apply control commands in date order, as debbugs would: merge and forcemerge join whole merged sets
 * (tags joined, and forcemerge's first bug giving the others its severity and done state),
 * unmerge takes one bug out, reassign sets the package, severity, tags (+, -, =), close and reopen, each
 * for the whole merged set the bug is in (merged bugs share one state).
 * The same command seen twice (a `Control:` line and the transcript that echoes it) changes nothing
 * the second time.
 */
export function stateFromControls(events: ControlEvent[]): Map<number, MailState> {
  const states = new Map<number, MailState>();
  /** Merged sets: each bug points at the shared set it is in. */
  const sets = new Map<number, Set<number>>();
  const state = (bug: number, date: string | null): MailState => {
    let s = states.get(bug);
    if (!s) states.set(bug, (s = { bug, mergedWith: [], mergeSeen: false, package: null, severity: null, done: null, tags: [], asOf: null }));
    if (date && (!s.asOf || date > s.asOf)) s.asOf = date;
    return s;
  };
  const setOf = (bug: number): Set<number> => {
    let set = sets.get(bug);
    if (!set) sets.set(bug, (set = new Set([bug])));
    return set;
  };
  const ordered = [...events].sort(byDate);
  for (const { date, controls } of ordered) {
    for (const c of controls) {
      const first = c.bugs[0];
      if (first === undefined) continue;
      const word = c.args.split(/\s+/)[0] ?? "";
      switch (c.verb) {
        case "merge":
        case "forcemerge": {
          const union = new Set<number>();
          for (const b of c.bugs) for (const x of setOf(b)) union.add(x);
          // Tags are the union of all; forcemerge gives every bug the first (master) bug's severity and
          // done state where mail has said what they are (a plain merge needs them equal already).
          const master = state(first, date);
          const tags = new Set<string>();
          for (const x of union) for (const t of state(x, date).tags) tags.add(t);
          for (const x of union) {
            sets.set(x, union);
            const s = state(x, date);
            s.mergeSeen = true;
            s.tags = [...tags];
            if (c.verb === "forcemerge") {
              if (master.severity !== null) s.severity = master.severity;
              if (master.done !== null) s.done = master.done;
            }
          }
          break;
        }
        case "unmerge": {
          const set = setOf(first);
          set.delete(first);
          sets.set(first, new Set([first]));
          for (const x of set) state(x, date).mergeSeen = true;
          state(first, date).mergeSeen = true;
          break;
        }
        // Merged bugs share their state: debbugs applies these to every bug of the merged set.
        case "reassign":
          if (word) for (const x of setOf(first)) state(x, date).package = word;
          break;
        case "severity":
          if (word) for (const x of setOf(first)) state(x, date).severity = word.toLowerCase();
          break;
        case "close":
          for (const x of setOf(first)) state(x, date).done = true;
          break;
        case "reopen":
          for (const x of setOf(first)) state(x, date).done = false;
          break;
        case "tags": {
          const m = /^([+=-])?\s*(.*)$/.exec(c.args.trim())!;
          const names = m[2]!.split(/[\s,]+/).filter(Boolean);
          for (const x of setOf(first)) {
            const s = state(x, date);
            if (m[1] === "-") s.tags = s.tags.filter((t) => !names.includes(t));
            else if (m[1] === "=") s.tags = [...new Set(names)];
            else s.tags = [...new Set([...s.tags, ...names])];
          }
          break;
        }
        default:
          break;
      }
    }
  }
  for (const [bug, set] of sets) {
    const s = states.get(bug);
    if (s) s.mergedWith = [...set].filter((x) => x !== bug).sort((a, b) => a - b);
  }
  return states;
}
