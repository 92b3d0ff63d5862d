/**
 * Merge planning: the control block that merges two duplicate bugs, written so that the BTS accepts it
 * as it stands. Pure: it reads the two bugs' states and returns a plan; nothing is sent.
 *
 * The rules are debbugs' own (`Debbugs/Control.pm`, `set_merged` and the functions it calls;
 * `Debbugs/Control/Service.pm` for the command grammar):
 * - A merge unions tags and found/fixed versions (a bare version is dropped when the same version is
 *   also present qualified by its source, `xen/4.17.3-1`).
 * - Package, severity, forwarded, done, owner, summary, outlook, affects, blocks and blockedby must be
 *   equal for a plain `merge`. For `done` only closed-or-open counts, not who closed it. Values are
 *   compared as the BTS stores them, in order: a list in another order is a difference here, which at
 *   worst costs a `forcemerge` where `merge` would have done.
 * - `forcemerge M B` copies those fields from the first bug M to the others (reopening or closing them
 *   to match M), except the package: it is never forced, so a bug on another package is reassigned to
 *   M's package first. `reassign` clears the reassigned bugs' found and fixed versions, and does
 *   nothing when the bug is already on that package.
 * - The BTS alters no archived bug ("Not altering archived bugs; see unarchive"): `unarchive N` first.
 *   It brings N's whole merged set back, as every command here acts on the whole set.
 * - A bug cannot block a merged partner: a blocking relation between the two sides is removed with
 *   `unblock` first, or the merge fails.
 *
 * Kind: a plain `merge` whenever both states are known and nothing but the package differs (the
 * reassign fixes that), because a plain merge is checked again by the BTS and fails rather than
 * overwrite a state that changed since the bot synced it. Otherwise `forcemerge`; always when a state
 * is unknown, since then equality cannot be checked.
 *
 * Master (the first bug of the command, whose state the merged set takes), first rule that decides:
 * 1. the bug whose state is known, when the other's is not: the plan can then say what the set becomes;
 * 2. the higher severity (critical > grave > serious > important > normal > minor > wishlist; no
 *    severity counts as normal), so a merge never lowers a bug's severity;
 * 3. the bug with more of forwarded, owner, summary, outlook set where the other has them unset, so a
 *    forcemerge does not clear them;
 * 4. the older bug (earlier report date), which usually has the fuller history;
 * 5. the lower bug number. The plan does not depend on the order of the two arguments.
 */
import type { BugStatus } from "../sources/bts/bug-status.js";

/** The part of a bug's BTS state that merge planning reads; a whole `BugStatus` fits. */
export type MergeBugState = Pick<
  BugStatus,
  | "bug" | "package" | "severity" | "tags" | "mergedWith" | "done" | "doneBy" | "archived" | "foundVersions"
  | "fixedVersions" | "forwarded" | "owner" | "affects" | "blocks" | "blockedBy" | "summary" | "outlook" | "date"
>;

/** One side of a merge: a bug number and its BTS state, or `null` when the bot has only seen mail about it. */
export interface MergeCandidate {
  bug: number;
  status: MergeBugState | null;
  /** The package the report was filed against (its `Package:` line), used only when `status` is null. */
  filedPackage?: string | null;
}

export interface MergePlan {
  kind: "merge" | "forcemerge";
  /** The first bug of the merge command. */
  master: number;
  /** Every bug that ends in the merged set (as far as the known states tell), sorted. */
  bugs: number[];
  /** Bugs to take out of the archive first (each brings its merged set along), sorted. */
  unarchive: number[];
  reassign: { bug: number; from: string | null; to: string }[];
  /** Blocking relations between the two sides, removed before merging: `unblock bug by by`. */
  unblock: { bug: number; by: number }[];
  /** Each field that differs, master first: "severity: #1039422 important, #1029998 normal". */
  differences: string[];
  /** Why this kind, this master and these extra commands, in plain words. */
  why: string[];
  /** What the commands would change on the bugs. */
  effects: string[];
  /** The lines to mail to control@bugs.debian.org: unarchive, reassign, unblock, the merge, then "thanks". */
  control: string;
  /** The same commands as one devscripts `bts` command line. */
  bts: string;
}

const SEVERITIES = ["wishlist", "minor", "normal", "important", "serious", "grave", "critical"];

/** A side after validation: its number, its state, and every bug of its merged set (itself included). */
interface Side {
  bug: number;
  status: MergeBugState | null;
  set: number[];
  filed: string | null;
}

/** Plans merging two duplicate bugs; throws on bug numbers that make no sense or bugs already merged. */
export function planMerge(a: MergeCandidate, b: MergeCandidate): MergePlan {
  // 1. Validate, 2. choose the master, 3. the commands the merge needs first, 4. merge or forcemerge.
  const [x, y] = [side(a, "first"), side(b, "second")];
  if (x.bug === y.bug) throw new Error(`planMerge: cannot merge #${x.bug} with itself`);
  if (x.set.some((n) => y.set.includes(n))) {
    throw new Error(`planMerge: #${x.bug} and #${y.bug} are already in one merged set (${refs(union(x.set, y.set))})`);
  }
  const { master, other, reason } = chooseMaster(x, y);
  const { unarchive, ...archiving } = unarchiveStep(master, other);
  const { reassign, ...moving } = reassignStep(master, other);
  const { unblock, ...unblocking } = unblockStep(master, other);
  const steps = [archiving, moving, unblocking];
  const merge = mergeStep(master, other, reassign.length > 0);
  const commands = [
    ...unarchive.map((n) => `unarchive ${n}`),
    ...reassign.map((r) => `reassign ${r.bug} ${r.to}`),
    ...unblock.map((u) => `unblock ${u.bug} by ${u.by}`),
    `${merge.kind} ${master.bug} ${other.bug}`,
  ];
  return {
    kind: merge.kind,
    master: master.bug,
    bugs: union(master.set, other.set),
    unarchive,
    reassign,
    unblock,
    differences: merge.differences.map((d) => `${d.field}: #${master.bug} ${d.master}, #${other.bug} ${d.other}`),
    why: [reason, ...steps.flatMap((s) => s.why), ...merge.why],
    effects: [...steps.flatMap((s) => s.effects), ...merge.effects],
    control: [...commands, "thanks"].join("\n"),
    bts: `bts ${commands.join(" , ")}`,
  };
}

/** What one step adds to the plan's reasons and effects. */
interface Step {
  why: string[];
  effects: string[];
}

/** Archived bugs must come back first: the BTS alters no archived bug. */
function unarchiveStep(master: Side, other: Side): Step & Pick<MergePlan, "unarchive"> {
  const archived = [master, other].filter((s) => s.status?.archived).sort((p, q) => p.bug - q.bug);
  return {
    unarchive: archived.map((s) => s.bug),
    why: archived.map((s) => `#${s.bug} is archived and the BTS alters no archived bug: unarchive it first`),
    effects: archived.map((s) => `${refs(s.set)} would leave the archive`),
  };
}

/** No merge changes a package: the other bug moves to the master's package first. */
function reassignStep(master: Side, other: Side): Step & Pick<MergePlan, "reassign"> {
  const [m, o] = [master.status, other.status];
  // Neither synced, but both reports say what they were filed against: go by that, and say so.
  if (!m && !o && master.filed && other.filed) {
    if (master.filed === other.filed) return { reassign: [], why: [`both were filed against ${master.filed} (not yet confirmed by the BTS)`], effects: [] };
    return {
      reassign: [{ bug: other.bug, from: other.filed, to: master.filed }],
      why: [`as filed, #${other.bug} is on ${other.filed} and #${master.bug} on ${master.filed} (not yet confirmed by the BTS); no merge changes a package, so #${other.bug} is reassigned first`],
      effects: [`#${other.bug} would move from ${other.filed} to ${master.filed}; its found and fixed versions are cleared`],
    };
  }
  if (!m?.package) {
    if (m && o?.package === m.package) return { reassign: [], why: [], effects: [] };
    const whose = m ? `#${master.bug} has no package in its state, so ` : "";
    return { reassign: [], why: [`${whose}the packages cannot be checked: if they differ, the BTS refuses the merge until one bug is reassigned`], effects: [] };
  }
  if (o?.package === m.package) return { reassign: [], why: [], effects: [] };
  const reassign = [{ bug: other.bug, from: o?.package ?? null, to: m.package }];
  if (!o) {
    return {
      reassign,
      why: [`the package of #${other.bug} is unknown: it is reassigned to ${m.package} first, which changes nothing if it is already there`],
      effects: [`#${other.bug} would be on ${m.package}; if that moves it from another package, its found and fixed versions are cleared`],
    };
  }
  const from = o.package ?? "no package";
  const versions = versionWords(o);
  return {
    reassign,
    why: [`#${other.bug} is on ${from} and #${master.bug} on ${m.package}; no merge changes a package, so #${other.bug} is reassigned first`],
    effects: [
      `${refs(other.set)} would move from ${from} to ${m.package}`,
      ...(versions ? [`reassigning clears the versions of ${refs(other.set)} (${versions})`] : []),
    ],
  };
}

/** A bug cannot block a merged partner: blocking relations between the two sides go first. */
function unblockStep(master: Side, other: Side): Step & Pick<MergePlan, "unblock"> {
  const unblock = blockingBetween(master, other);
  return {
    unblock,
    why: unblock.map((u) => `#${u.by} blocks #${u.bug}, and a bug cannot block a merged partner: unblock first`),
    effects: unblock.map((u) => `#${u.by} would no longer block #${u.bug}`),
  };
}

/** A plain merge when the known states agree (package aside: the reassign settles it), else forcemerge. */
function mergeStep(master: Side, other: Side, reassigned: boolean): Step & { kind: MergePlan["kind"]; differences: Difference[] } {
  const [m, o] = [master.status, other.status];
  const sets = [master, other]
    .filter((s) => s.set.length > 1)
    .map((s) => `#${s.bug} is already merged with ${refs(s.set.filter((n) => n !== s.bug))}: the whole set joins`);
  if (!m || !o) {
    const unknown = [master, other].filter((s) => !s.status).map((s) => `#${s.bug}`);
    const [states, are] = unknown.length > 1 ? ["the states", "are"] : ["the state", "is"];
    return {
      kind: "forcemerge",
      differences: [],
      why: [
        `${states} of ${unknown.join(" and ")} ${are} unknown (never synced from the BTS), so a plain merge cannot be checked: forcemerge makes #${master.bug}'s state win`,
        ...sets,
      ],
      effects: [
        m
          ? `whatever differs on #${other.bug} (severity, done, forwarded, owner, ...) would be overwritten with #${master.bug}'s`
          : `#${other.bug} would take #${master.bug}'s state, whatever it is`,
      ],
    };
  }
  const differences = compare(strip(m, other.set), strip(o, master.set));
  const forced = differences.map((d) => d.field).filter((f) => f !== "package");
  const effects = [...forcedEffects(master, other, differences), ...unionEffects(m, o, reassigned)];
  if (forced.length) {
    const why = `forcemerge: ${english(forced)} ${forced.length > 1 ? "differ" : "differs"}, and a plain merge refuses any difference there`;
    return { kind: "forcemerge", differences, why: [why, ...sets], effects };
  }
  const why =
    `plain merge: ${reassigned ? "after the reassign, " : ""}package, severity, done, forwarded, owner, summary, outlook, affects and blocks ` +
    `are the same; tags and versions are unioned by any merge`;
  return { kind: "merge", differences, why: [why, ...sets], effects };
}

function side(c: MergeCandidate, position: string): Side {
  checkBug(c.bug, `${position} bug`);
  if (!c.status) return { bug: c.bug, status: null, set: [c.bug], filed: c.filedPackage ?? null };
  if (c.status.bug !== c.bug) throw new Error(`planMerge: ${position} bug is #${c.bug} but its state is #${c.status.bug}'s`);
  c.status.mergedWith.forEach((n) => checkBug(n, `mergedWith of #${c.bug}`));
  return { bug: c.bug, status: c.status, set: union([c.bug], c.status.mergedWith), filed: null };
}

function checkBug(n: number, where: string): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`planMerge: ${where}: ${String(n)} is not a bug number (a positive integer)`);
}

function chooseMaster(x: Side, y: Side): { master: Side; other: Side; reason: string } {
  const pick = (master: Side, reason: string) => ({ master, other: master === x ? y : x, reason: `#${master.bug} is master: ${reason}` });
  const [low, high] = x.bug < y.bug ? [x, y] : [y, x];
  if (!low.status !== !high.status) {
    const [known, unknown] = low.status ? [low, high] : [high, low];
    return pick(known, `its state is known and #${unknown.bug}'s is not, and the merged set takes the master's state`);
  }
  const [l, h] = [low.status, high.status];
  if (l && h) {
    const [rl, rh] = [severityRank(l.severity), severityRank(h.severity)];
    if (rl >= 0 && rh >= 0 && rl !== rh) {
      const [top, bottom] = rl > rh ? [low, high] : [high, low];
      return pick(
        top,
        `its severity (${top.status?.severity ?? "normal"}) is higher than #${bottom.bug}'s (${bottom.status?.severity ?? "normal"}), and a merge should not lower it`,
      );
    }
    const [fl, fh] = [filledOnly(l, h), filledOnly(h, l)];
    if (fl.length !== fh.length) {
      const [top, bottom, fields] = fl.length > fh.length ? [low, high, fl] : [high, low, fh];
      return pick(top, `it has ${english(fields)} set and #${bottom.bug} does not, and a forcemerge would otherwise clear ${fields.length > 1 ? "them" : "it"}`);
    }
    const [dl, dh] = [Date.parse(l.date ?? ""), Date.parse(h.date ?? "")];
    if (Number.isFinite(dl) && Number.isFinite(dh) && dl !== dh) {
      const [older, newer] = dl < dh ? [low, high] : [high, low];
      return pick(older, `it is older (reported ${older.status?.date?.slice(0, 10)}, #${newer.bug} ${newer.status?.date?.slice(0, 10)}) and usually has the fuller history`);
    }
  }
  return pick(low, `it has the lower number, so it is likely the older report with the fuller history`);
}

/** Rank of a severity, higher is more severe; no severity is the BTS default, normal; -1 for one we do not know. */
function severityRank(severity: string | null): number {
  return SEVERITIES.indexOf(severity ?? "normal");
}

const KEPT_FIELDS = ["forwarded", "owner", "summary", "outlook"] as const;

/** The fields of KEPT_FIELDS that `s` has set and `t` has not. */
function filledOnly(s: MergeBugState, t: MergeBugState): string[] {
  return KEPT_FIELDS.filter((f) => s[f] && !t[f]);
}

/** Blocking relations between the two sides' sets, as one `unblock` per direction with the named bugs. */
function blockingBetween(p: Side, q: Side): { bug: number; by: number }[] {
  const found = new Set<string>();
  for (const [s, t] of [[p, q], [q, p]] as const) {
    if (!s.status) continue;
    if (s.status.blockedBy.some((n) => t.set.includes(n))) found.add(`${s.bug} ${t.bug}`);
    if (s.status.blocks.some((n) => t.set.includes(n))) found.add(`${t.bug} ${s.bug}`);
  }
  return [...found].sort().map((k) => {
    const [bug, by] = k.split(" ").map(Number) as [number, number];
    return { bug, by };
  });
}

/** A state as it is once the `unblock` lines ran: without blocking relations to the other set. */
function strip(s: MergeBugState, otherSet: number[]): MergeBugState {
  return { ...s, blocks: s.blocks.filter((n) => !otherSet.includes(n)), blockedBy: s.blockedBy.filter((n) => !otherSet.includes(n)) };
}

interface Difference {
  field: string;
  master: string;
  other: string;
}

/** The fields a plain merge requires equal, in the form the BTS compares them. */
function compare(m: MergeBugState, o: MergeBugState): Difference[] {
  const shown = (s: MergeBugState): Record<string, string> => ({
    package: s.package ?? "(none)",
    severity: s.severity ?? "normal",
    done: s.done ? "done" : "open",
    forwarded: s.forwarded ?? "(none)",
    owner: s.owner ?? "(none)",
    summary: s.summary ?? "(none)",
    outlook: s.outlook ?? "(none)",
    affects: s.affects.join(",") || "(none)",
    blocks: s.blocks.join(" ") || "(none)",
    blockedby: s.blockedBy.join(" ") || "(none)",
  });
  const [sm, so] = [shown(m), shown(o)];
  return Object.keys(sm)
    .filter((f) => sm[f] !== so[f])
    .map((f) => ({ field: f, master: sm[f] ?? "", other: so[f] ?? "" }));
}

/** What forcemerge's copying of the master's fields does to the other set (package is the reassign's). */
function forcedEffects(master: Side, other: Side, differences: Difference[]): string[] {
  const m = master.status as MergeBugState;
  const o = other.status as MergeBugState;
  const them = refs(other.set);
  return differences.flatMap((d): string[] => {
    if (d.field === "package") return [];
    if (d.field === "done") {
      return m.done
        ? [`would close ${them} (#${master.bug} is closed${m.doneBy ? ` by ${m.doneBy}` : ""})`]
        : [`would reopen ${them} (closed${o.doneBy ? ` by ${o.doneBy}` : ""})`];
    }
    return d.master === "(none)" ? [`${d.field} of ${them} would be cleared (was ${d.other})`] : [`${d.field} of ${them} would become ${d.master}`];
  });
}

/** The unioned tags and versions, when the two sides do not already agree on them. */
function unionEffects(m: MergeBugState, o: MergeBugState, otherReassigned: boolean): string[] {
  const lines: string[] = [];
  const same = (p: string[], q: string[]) => union(p).join(" ") === union(q).join(" ");
  if (!same(m.tags, o.tags)) lines.push(`tags of the merged set would be: ${union(m.tags, o.tags).join(" ") || "(none)"}`);
  for (const [label, key] of [["found", "foundVersions"], ["fixed", "fixedVersions"]] as const) {
    if (same(m[key], o[key])) continue;
    const merged = versionUnion(m[key], otherReassigned ? [] : o[key]);
    lines.push(`${label} versions of the merged set would be: ${merged.join(" ") || "(none)"}`);
  }
  return lines;
}

/** Unioned versions; a bare version goes when the same version is there qualified by its source. */
function versionUnion(p: string[], q: string[]): string[] {
  const all = union(p, q);
  return all.filter((v) => v.includes("/") || !all.some((w) => w.endsWith(`/${v}`)));
}

function versionWords(s: MergeBugState): string {
  return [
    s.foundVersions.length ? `found in ${s.foundVersions.join(" ")}` : "",
    s.fixedVersions.length ? `fixed in ${s.fixedVersions.join(" ")}` : "",
  ].filter(Boolean).join("; ");
}

/** Sorted, without repeats; numbers by value, strings by code point. */
function union<T extends number | string>(...lists: T[][]): T[] {
  return [...new Set(lists.flat())].sort((p, q) => (typeof p === "number" ? (p as number) - (q as number) : p < q ? -1 : p > q ? 1 : 0));
}

function refs(bugs: number[]): string {
  return [...bugs].sort((p, q) => p - q).map((n) => `#${n}`).join(", ");
}

function english(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
