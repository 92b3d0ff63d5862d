/**
 * Fit the duplicate finder's weights (src/duplicates/model.ts) and show what they give, set by set.
 *
 *   npm run build && node dist/bench/fit-duplicates.js
 *
 * Sets: our Xen tune set (fixtures/duplicates/tune.*), and gitbugs SeaMonkey and Hadoop from
 * ../shared/realdata when present (read, never copied: only the fitted numbers enter the code). Each
 * set is also scored with weights fitted on the other sets only, which is the honest figure.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DuplicateFinder, FEATURES } from "../src/duplicates/finder.js";
import { type Bm25fParams, DEFAULT_BM25F } from "../src/duplicates/bm25f-index.js";
import type { DupDoc } from "../src/duplicates/dup-doc.js";
import { fitLogistic } from "../src/duplicates/logistic.js";
import { groupsOf, rankMetrics, suggestionMetrics } from "../src/duplicates/metrics.js";
import { DUPLICATE_MODEL, type DuplicateModel, pairScore, rankerOutput } from "../src/duplicates/model.js";
import { type LabelledPair, dupDocsOfGitbugs, dupDocsOfMbox, gitbugsPairs, readLabelledPairs } from "../src/pipeline/duplicate-sets.js";
import { projectRoot } from "../src/pipeline/classifier.js";

interface Row {
  query: string;
  id: string;
  x: number[];
  y: number;
  /** A labelled near-miss: not the same bug, though it looks it. */
  near: boolean;
  /** The two name different security advisories (scored below the threshold whatever the model says). */
  differentAdvisories: boolean;
  hasDuplicate: boolean;
}
interface LabelledSet {
  name: string;
  /** Every duplicate in it is labelled (ours); gitbugs' labels are known to be incomplete. */
  complete: boolean;
  docs: DupDoc[];
  pairs: LabelledPair[];
  rows: Row[];
}

async function loadSets(): Promise<LabelledSet[]> {
  const root = projectRoot();
  const sets: { name: string; complete: boolean; docs: DupDoc[]; pairs: LabelledPair[] }[] = [];
  const ours = join(root, "fixtures", "duplicates");
  // Every set of ours but `check`, which only ever checks (fixtures/duplicates/README.md).
  for (const file of readdirSync(ours).filter((f) => f.endsWith(".mbox") && f !== "check.mbox").sort()) {
    const name = file.slice(0, -".mbox".length);
    sets.push({ name: `xen-${name}`, complete: true, docs: await dupDocsOfMbox(join(ours, file)), pairs: readLabelledPairs(join(ours, `${name}-pairs.csv`)) });
  }
  const gitbugs = join(root, "..", "shared", "realdata", "gitbugs");
  for (const [name, file] of [
    ["seamonkey", "SeaMonkey_bugs"],
    ["hadoop", "hadoop_bugs"],
  ] as const) {
    const csv = join(gitbugs, `${file}.csv`);
    if (!existsSync(csv)) continue;
    const docs = await dupDocsOfGitbugs(csv);
    sets.push({ name, complete: false, docs, pairs: gitbugsPairs(join(gitbugs, `${file}-combined.csv`), docs) });
  }
  return sets.map((s) => ({ ...s, rows: rowsOf(s.docs, s.pairs) }));
}

function rowsOf(docs: DupDoc[], pairs: LabelledPair[]): Row[] {
  // XEN_TRIAGE_BM25F='{"k1": 1.5}' tries other retrieval parameters.
  const overrides = JSON.parse(process.env["XEN_TRIAGE_BM25F"] ?? "{}") as Partial<Bm25fParams>;
  const finder = new DuplicateFinder(DUPLICATE_MODEL, { ...DEFAULT_BM25F, ...overrides });
  for (const d of docs) finder.add(d);
  // Reports of one labelled group are all duplicates of each other (a cluster of three gives three pairs).
  const group = groupsOf(pairs.filter((p) => p.kind === "duplicate").map((p) => [p.report, p.other]));
  const near = new Set(pairs.filter((p) => p.kind === "near-miss").map((p) => `${p.report} ${p.other}`));
  const rows: Row[] = [];
  for (const d of docs) {
    for (const r of finder.featureRows(d)) {
      const y = group.has(d.id) && group.get(d.id) === group.get(r.id) ? 1 : 0;
      rows.push({ query: d.id, id: r.id, x: r.x, y, near: near.has(`${d.id} ${r.id}`), differentAdvisories: r.differentAdvisories, hasDuplicate: group.has(d.id) });
    }
  }
  return rows;
}

// CAL_FEATURES=a,b tries other calibration features (names of FEATURES); by default the model's own.
const CALIBRATION_FEATURES: number[] =
  process.env["CAL_FEATURES"] !== undefined
    ? process.env["CAL_FEATURES"].split(",").filter(Boolean).map((f) => {
        const k = FEATURES.indexOf(f as (typeof FEATURES)[number]);
        if (k < 0) throw new Error(`CAL_FEATURES: no feature "${f}"`);
        return k;
      })
    : DUPLICATE_MODEL.calibration.features;
/**
 * How much a labelled near-miss weighs in the calibration, against any other wrong candidate: they are
 * the suggestions people hold against a duplicate bot, and only a handful of the rows.
 */
const NEAR_WEIGHT = Number(process.env["NEAR_WEIGHT"] ?? 5);

/** The ranker on every set; the calibration only on sets whose duplicates are all known. */
function fitModel(rows: Row[], complete: Row[]): DuplicateModel {
  const ranking = rows.filter((r) => r.hasDuplicate);
  const pos = ranking.filter((r) => r.y).length;
  const neg = ranking.length - pos;
  const ranker = fitLogistic(ranking.map((r) => ({ x: r.x, y: r.y, weight: r.y ? neg / pos : 1 })), { l2: 1e-3 });
  const z = (x: number[]) => ranker.bias + x.reduce((s, v, i) => s + v * ranker.weights[i]!, 0);
  const features = CALIBRATION_FEATURES;
  const calRows = process.env["CAL_ALL"] ? rows : complete.length ? complete : rows;
  const cal = fitLogistic(calRows.map((r) => ({ x: [z(r.x), ...features.map((f) => r.x[f]!)], y: r.y, weight: r.near ? NEAR_WEIGHT : 1 })), { l2: Number(process.env["CAL_L2"] ?? 1e-3) });
  return { ...DUPLICATE_MODEL, ranker, calibration: { features, weights: cal.weights, bias: cal.bias } };
}

function measure(set: LabelledSet, model: DuplicateModel): string {
  const z = (x: number[]) => rankerOutput(model, x);
  const byQuery = new Map<string, { id: string; z: number; p: number }[]>();
  for (const r of set.rows) (byQuery.get(r.query) ?? byQuery.set(r.query, []).get(r.query)!).push({ id: r.id, z: z(r.x), p: pairScore(model, r.x, r.differentAdvisories) });
  for (const list of byQuery.values()) list.sort((a, b) => b.z - a.z);
  const dupPairs = set.pairs.filter((p) => p.kind === "duplicate");
  const ranks = dupPairs.map((p) => {
    const k = (byQuery.get(p.report) ?? []).findIndex((c) => c.id === p.other);
    return k < 0 ? null : k + 1;
  });
  const m = rankMetrics(ranks);
  const suggested: [string, string][] = [];
  for (const [q, list] of byQuery) for (const c of list) if (c.p >= model.threshold) suggested.push([q, c.id]);
  const s = suggestionMetrics(suggested, dupPairs.map((p) => [p.report, p.other]));
  const near = set.pairs.filter((p) => p.kind === "near-miss");
  const nearHit = near.filter((p) => suggested.some(([a, b]) => (a === p.report && b === p.other) || (a === p.other && b === p.report))).length;
  return `queries ${m.queries}  RR@1 ${m.rr1.toFixed(3)}  RR@5 ${m.rr5.toFixed(3)}  RR@10 ${m.rr10.toFixed(3)}  MAP ${m.map.toFixed(3)}  | at ${model.threshold}: ${s.suggestions} suggested, precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}${near.length ? `, near-misses suggested ${nearHit}/${near.length}` : ""}`;
}

const sets = await loadSets();
console.log(`features: ${FEATURES.join(", ")}`);
// Each set scored by a model fitted without it. For our sets, those scores also choose the threshold:
// what a set never seen would get. Precision comes first: no near-miss, and at least TARGET right.
const outOfFold: { p: number; y: number; near: boolean }[] = [];
let labelledPairs = 0;
for (const s of sets) {
  const others = sets.filter((o) => o !== s).flatMap((o) => o.rows);
  const complete = sets.filter((o) => o !== s && o.complete).flatMap((o) => o.rows);
  if (!others.length) continue;
  const m = fitModel(others, complete);
  console.log(`${s.name.padEnd(10)} fitted on the others: ${measure(s, { ...m, threshold: DUPLICATE_MODEL.threshold })}`);
  if (!s.complete) continue;
  for (const r of s.rows) outOfFold.push({ p: pairScore(m, r.x, r.differentAdvisories), y: r.y, near: r.near });
  labelledPairs += s.pairs.filter((p) => p.kind === "duplicate").length;
}
/** The lowest threshold (in steps of 0.05) at which, and at every one above, out-of-fold precision is at least TARGET with no near-miss. */
const TARGET = 0.85;
let chosen = 0.95;
if (outOfFold.length) {
  console.log(`our sets, out of fold (${labelledPairs} labelled duplicate pairs):`);
  const steps: string[] = [];
  let holds = true;
  for (let k = 19; k >= 4; k--) {
    const t = k / 20;
    const at = outOfFold.filter((o) => o.p >= t);
    const right = at.filter((o) => o.y).length;
    const near = at.filter((o) => o.near).length;
    holds &&= (at.length === 0 || right / at.length >= TARGET) && near === 0;
    if (holds) chosen = t;
    steps.unshift(`  threshold ${t.toFixed(2)}: ${at.length} suggested, ${right} right (precision ${(at.length ? right / at.length : 1).toFixed(3)}), near-misses ${near}`);
  }
  console.log(steps.join("\n"));
  console.log(`threshold: ${chosen.toFixed(2)} (the lowest at which, and above which, precision is at least ${TARGET} with no near-miss)`);
}
const model = fitModel(
  sets.flatMap((s) => s.rows),
  sets.filter((s) => s.complete).flatMap((s) => s.rows),
);
for (const s of sets) console.log(`${s.name.padEnd(10)} fitted on all:        ${measure(s, model)}`);
for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) for (const s of sets) console.log(`  threshold ${t} ${s.name.padEnd(10)} ${measure(s, { ...model, threshold: t }).split("|")[1]}`);
for (const s of sets.filter((x) => x.name === process.env["DEBUG_SET"])) {
  // Ordered and scored as the finder does (the advisory rule included).
  const z = (x: number[]) => rankerOutput(model, x);
  const p = (row: Row) => pairScore(model, row.x, row.differentAdvisories);
  const kind = new Map(s.pairs.map((q) => [`${q.report} ${q.other}`, q.kind]));
  const byQuery = new Map<string, Row[]>();
  for (const row of s.rows) (byQuery.get(row.query) ?? byQuery.set(row.query, []).get(row.query)!).push(row);
  for (const [q, list] of byQuery) {
    list.sort((a, b) => z(b.x) - z(a.x));
    list.slice(0, 3).forEach((row, k) => {
      const label = kind.get(`${q} ${row.id}`) ?? "";
      if (p(row) >= 0.2 || label) console.log(`${q} -> ${row.id} #${k + 1} p=${p(row).toFixed(2)} ${label} [${row.x.map((v) => v.toFixed(2)).join(" ")}]`);
    });
    for (const row of list.slice(3)) { const label = kind.get(`${q} ${row.id}`); if (label) console.log(`${q} -> ${row.id} #${list.indexOf(row) + 1} p=${p(row).toFixed(2)} ${label}`); }
  }
}
const r = (v: number) => Math.round(v * 1e4) / 1e4;
console.log(
  JSON.stringify({ ranker: { weights: model.ranker.weights.map(r), bias: r(model.ranker.bias) }, calibration: { features: model.calibration.features, weights: model.calibration.weights.map(r), bias: r(model.calibration.bias) } }),
);
