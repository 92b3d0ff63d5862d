import type { Store } from "../store/store.js";
import { DuplicateFinder, type DuplicateCandidate } from "../duplicates/finder.js";
import { DUPLICATE_MODEL, type DuplicateModel } from "../duplicates/model.js";
import { type MergePlan, planMerge } from "../duplicates/merge-plan.js";
import type { PairEvidence } from "../duplicates/features.js";
import { STORED_CANDIDATES, judgedPairs } from "./find-duplicates.js";

export interface ListedCandidate {
  report: string;
  title: string;
  score: number;
  /** The control block for control@bugs.debian.org that merges the two bugs; null unless both are bugs. */
  control: string | null;
  /** The same as a devscripts `bts` command line. */
  bts: string | null;
  /** Why this master and this kind, and what the merge would change (reopen, close, severity). */
  why: string[];
  effects: string[];
  evidence: PairEvidence;
}

export interface ListedDuplicates {
  report: string;
  title: string;
  candidates: ListedCandidate[];
}

/**
 * The duplicate suggestions: for each report, its candidates at or above the model's threshold; with
 * `top`, its `top` best candidates whatever their score (from the stored ranking, or computed afresh
 * from the stored documents when more are asked for than `triage` keeps). Each pair of bugs gets the
 * merge plan the BTS would accept, from the bugs' synced state. Reports with the best suggestion first.
 */
export async function listDuplicates(store: Store, options: { top?: number; report?: string; model?: DuplicateModel } = {}): Promise<ListedDuplicates[]> {
  const model = options.model ?? DUPLICATE_MODEL;
  const titles = new Map((await store.listReports()).map((r) => [r.id, r]));
  // A pair a maintainer judged is never suggested again, even before `triage` recomputes the list.
  const judged = await judgedPairs(store);
  const ranked = options.top !== undefined && options.top > STORED_CANDIDATES ? await rankAfresh(store, options.top, model) : await store.candidates(options.report);
  const picked: [string, DuplicateCandidate[]][] = [];
  for (const [id, list] of ranked) {
    if (options.report !== undefined && id !== options.report) continue;
    const open = list.filter((c) => !judged(id, c.id));
    const chosen = options.top !== undefined ? open.slice(0, options.top) : open.filter((c) => c.score >= model.threshold);
    if (chosen.length) picked.push([id, chosen]);
  }
  picked.sort((a, b) => b[1][0]!.score - a[1][0]!.score || (a[0] < b[0] ? -1 : 1));
  const bugs = new Set<number>();
  for (const [id, list] of picked) for (const x of [id, ...list.map((c) => c.id)]) if (titles.get(x)?.bug) bugs.add(titles.get(x)!.bug!);
  const statuses = await store.bugStatuses([...bugs]);
  return picked.map(([id, list]) => ({
    report: id,
    title: titles.get(id)?.title ?? "",
    candidates: list.map((c) => {
      const a = titles.get(id)?.bug ?? null;
      const b = titles.get(c.id)?.bug ?? null;
      const plan = a !== null && b !== null ? safePlan(a, b, statuses, c.evidence.packages) : null;
      return {
        report: c.id,
        title: titles.get(c.id)?.title ?? "",
        score: c.score,
        control: plan?.control ?? null,
        bts: plan?.bts ?? null,
        why: plan?.why ?? [],
        effects: plan?.effects ?? [],
        evidence: c.evidence,
      };
    }),
  }));
}

/** A plan, or none when the two cannot be merged as they stand (already one merged set). */
function safePlan(
  a: number,
  b: number,
  statuses: Map<number, import("../sources/bts/bug-status.js").BugStatus>,
  filed: { report: string | null; candidate: string | null } = { report: null, candidate: null },
): MergePlan | null {
  try {
    return planMerge({ bug: b, status: statuses.get(b) ?? null, filedPackage: filed.candidate }, { bug: a, status: statuses.get(a) ?? null, filedPackage: filed.report });
  } catch {
    return null;
  }
}

async function rankAfresh(store: Store, top: number, model: DuplicateModel): Promise<Map<string, DuplicateCandidate[]>> {
  const judged = await judgedPairs(store);
  const finder = new DuplicateFinder(model);
  const docs = [];
  for await (const { doc } of store.dupDocs()) {
    finder.add(doc);
    docs.push(doc);
  }
  return new Map(docs.map((d) => [d.id, finder.candidates(d, top, (id) => judged(d.id, id))]));
}

/**
 * Pairs a maintainer accepted as one bug, by the newer report, each with the control block to send
 * (the bot never sends it: the BTS is changed by people).
 */
export async function acceptedPairs(store: Store): Promise<Map<string, ListedCandidate[]>> {
  const reports = new Map((await store.listReports()).map((r) => [r.id, r]));
  const accepted = (await store.verdicts()).filter((v) => v.verdict === "accepted" && reports.has(v.a) && reports.has(v.b));
  const bugs = accepted.flatMap((v) => [reports.get(v.a)!.bug, reports.get(v.b)!.bug]).filter((b): b is number => b !== null);
  const statuses = await store.bugStatuses(bugs);
  const out = new Map<string, ListedCandidate[]>();
  for (const v of accepted) {
    const [a, b] = [reports.get(v.a)!, reports.get(v.b)!];
    const [newer, older] = (a.firstDate ?? "") >= (b.firstDate ?? "") ? [a, b] : [b, a];
    const plan = newer.bug !== null && older.bug !== null ? safePlan(newer.bug, older.bug, statuses) : null;
    const list = out.get(newer.id) ?? out.set(newer.id, []).get(newer.id)!;
    list.push({
      report: older.id,
      title: older.title,
      score: 1,
      control: plan?.control ?? null,
      bts: plan?.bts ?? null,
      why: plan?.why ?? [],
      effects: plan?.effects ?? [],
      evidence: { titleTerms: [], sharedTerms: [], errorLines: [], sameAs: false, daysApart: null, packages: { report: null, candidate: null } },
    });
  }
  return out;
}

/**
 * Record a maintainer's word on a pair: accepted (the same bug: merge it) or rejected (never suggest
 * it again). Either way the pair leaves the suggestions; both reports must exist.
 */
export async function judgePair(store: Store, a: string, b: string, verdict: "accepted" | "rejected", by: string | null, at = new Date().toISOString()): Promise<void> {
  // The two ids looked up alone: a run can record many verdicts, and the store can hold 100,000 reports.
  const existing = await store.existingReports([a, b]);
  for (const id of [a, b]) if (!existing.has(id)) throw new Error(`no report ${id}`);
  if (a === b) throw new Error(`a report is not a duplicate of itself (${a})`);
  await store.setVerdict({ a, b, verdict, by, at });
}
