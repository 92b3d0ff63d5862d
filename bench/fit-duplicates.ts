/**
 * Fit the duplicate finder's weights (src/duplicates/model.ts) and show what they give, set by set.
 *
 *   npm run build && node dist/bench/fit-duplicates.js
 *
 * Sets: our Xen tune set (fixtures/duplicates/tune.*), and gitbugs SeaMonkey and Hadoop from
 * ../shared/realdata when present (read, never copied: only the fitted numbers enter the code). Each
 * set is also scored with weights fitted on the other sets only, which is the honest figure.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DuplicateFinder, FEATURES } from "../src/duplicates/finder.js";
import { type Bm25fParams, DEFAULT_BM25F } from "../src/duplicates/bm25f-index.js";
import type { DupDoc } from "../src/duplicates/dup-doc.js";
import { fitLogistic } from "../src/duplicates/logistic.js";
import { rankMetrics, suggestionMetrics } from "../src/duplicates/metrics.js";
import { DUPLICATE_MODEL, type DuplicateModel, calibratedScore, rankerOutput } from "../src/duplicates/model.js";
import { type LabelledPair, dupDocsOfGitbugs, dupDocsOfMbox, gitbugsPairs, readLabelledPairs } from "../src/pipeline/duplicate-sets.js";
import { projectRoot } from "../src/pipeline/classifier.js";

interface Row {
  query: string;
  id: string;
  x: number[];
  y: number;
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
  const tune = join(root, "fixtures", "duplicates");
  if (existsSync(join(tune, "tune.mbox"))) {
    sets.push({ name: "xen-tune", complete: true, docs: await dupDocsOfMbox(join(tune, "tune.mbox")), pairs: readLabelledPairs(join(tune, "tune-pairs.csv")) });
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
  const dups = new Map<string, Set<string>>();
  for (const p of pairs) if (p.kind === "duplicate") (dups.get(p.report) ?? dups.set(p.report, new Set()).get(p.report)!).add(p.other);
  const rows: Row[] = [];
  for (const d of docs) {
    const truth = dups.get(d.id);
    for (const r of finder.featureRows(d)) rows.push({ query: d.id, id: r.id, x: r.x, y: truth?.has(r.id) ? 1 : 0, hasDuplicate: Boolean(truth) });
  }
  return rows;
}

const CALIBRATION_FEATURES: (typeof FEATURES)[number][] = (process.env["CAL_FEATURES"] ?? "").split(",").filter(Boolean) as (typeof FEATURES)[number][];

/** The ranker on every set; the calibration only on sets whose duplicates are all known. */
function fitModel(rows: Row[], complete: Row[]): DuplicateModel {
  const ranking = rows.filter((r) => r.hasDuplicate);
  const pos = ranking.filter((r) => r.y).length;
  const neg = ranking.length - pos;
  const ranker = fitLogistic(ranking.map((r) => ({ x: r.x, y: r.y, weight: r.y ? neg / pos : 1 })), { l2: 1e-3 });
  const z = (x: number[]) => ranker.bias + x.reduce((s, v, i) => s + v * ranker.weights[i]!, 0);
  const features = CALIBRATION_FEATURES.map((f) => FEATURES.indexOf(f));
  const calRows = process.env["CAL_ALL"] ? rows : complete.length ? complete : rows;
  const cal = fitLogistic(calRows.map((r) => ({ x: [z(r.x), ...features.map((f) => r.x[f]!)], y: r.y })), { l2: 1e-4 });
  return { ...DUPLICATE_MODEL, ranker, calibration: { features, weights: cal.weights, bias: cal.bias } };
}

function measure(set: LabelledSet, model: DuplicateModel): string {
  const z = (x: number[]) => rankerOutput(model, x);
  const byQuery = new Map<string, { id: string; z: number; p: number }[]>();
  for (const r of set.rows) (byQuery.get(r.query) ?? byQuery.set(r.query, []).get(r.query)!).push({ id: r.id, z: z(r.x), p: calibratedScore(model, z(r.x), r.x) });
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
for (const s of sets) {
  const others = sets.filter((o) => o !== s).flatMap((o) => o.rows);
  const complete = sets.filter((o) => o !== s && o.complete).flatMap((o) => o.rows);
  if (others.length) console.log(`${s.name.padEnd(10)} fitted on the others: ${measure(s, { ...fitModel(others, complete), threshold: DUPLICATE_MODEL.threshold })}`);
}
const model = fitModel(
  sets.flatMap((s) => s.rows),
  sets.filter((s) => s.complete).flatMap((s) => s.rows),
);
for (const s of sets) console.log(`${s.name.padEnd(10)} fitted on all:        ${measure(s, model)}`);
for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) for (const s of sets) console.log(`  threshold ${t} ${s.name.padEnd(10)} ${measure(s, { ...model, threshold: t }).split("|")[1]}`);
for (const s of sets.filter((x) => x.name === process.env["DEBUG_SET"])) {
  const z = (x: number[]) => model.ranker.bias + x.reduce((a, v, i) => a + v * model.ranker.weights[i]!, 0);
  const p = (x: number[]) => calibratedScore(model, z(x), x);
  const kind = new Map(s.pairs.map((q) => [`${q.report} ${q.other}`, q.kind]));
  const byQuery = new Map<string, Row[]>();
  for (const row of s.rows) (byQuery.get(row.query) ?? byQuery.set(row.query, []).get(row.query)!).push(row);
  for (const [q, list] of byQuery) {
    list.sort((a, b) => z(b.x) - z(a.x));
    list.slice(0, 3).forEach((row, k) => {
      const label = kind.get(`${q} ${row.id}`) ?? "";
      if (p(row.x) >= 0.2 || label) console.log(`${q} -> ${row.id} #${k + 1} p=${p(row.x).toFixed(2)} ${label} [${row.x.map((v) => v.toFixed(2)).join(" ")}]`);
    });
    for (const row of list.slice(3)) { const label = kind.get(`${q} ${row.id}`); if (label) console.log(`${q} -> ${row.id} #${list.indexOf(row) + 1} p=${p(row.x).toFixed(2)} ${label}`); }
  }
}
const r = (v: number) => Math.round(v * 1e4) / 1e4;
console.log(
  JSON.stringify({ ranker: { weights: model.ranker.weights.map(r), bias: r(model.ranker.bias) }, calibration: { features: model.calibration.features, weights: model.calibration.weights.map(r), bias: r(model.calibration.bias) } }),
);
