import { buildClassifier, examplesFrom, labelledMboxes, projectRoot } from "../src/pipeline/classifier.js";
import { classifyPool } from "../src/pipeline/classify-pool.js";
import { type ReportDoc, classify } from "../src/triage/classify.js";
import { DEFAULT_TAXONOMY } from "../src/triage/taxonomy.js";
import { join } from "node:path";

/**
 * Classification speed: 100,000 reports (our labelled reports, cycled) through the trained classifier,
 * on the calling thread, then in worker threads as `xen-triage triage` classifies many reports (the
 * pool's start counted). Prints reports/s and the time for 100,000 (target: under 10 s).
 */
const root = projectRoot();
const dir = join(root, "fixtures", "labelled");
const mboxes = labelledMboxes(root);
const train = await examplesFrom(mboxes, join(dir, "labels-train.jsonl"));
const evalSet = await examplesFrom(mboxes, join(dir, "labels-eval.jsonl"));
const classifier = buildClassifier(DEFAULT_TAXONOMY, train);
const docs = [...train, ...evalSet].map((e) => e.doc);
const N = Number(process.env["XT_N"] ?? 100_000);
const doc = (i: number): ReportDoc => docs[i % docs.length]!;

let start = performance.now();
let oneThread = 0;
for (let i = 0; i < N; i++) oneThread += classify(classifier, doc(i)).length;
const oneSeconds = (performance.now() - start) / 1000;

start = performance.now();
const pool = classifyPool(classifier);
const BATCH = 500;
const inFlight: Promise<{ topics: number }>[] = [];
let pooled = 0;
for (let i = 0; i < N; i += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => doc(i + k));
  inFlight.push(pool.classify(batch).then((r) => ({ topics: r.reduce((n, t) => n + t.length, 0) })));
  while (inFlight.length > 2 * pool.workers) pooled += (await inFlight.shift()!).topics;
}
for (const p of inFlight) pooled += (await p).topics;
await pool.close();
const poolSeconds = (performance.now() - start) / 1000;
if (pooled !== oneThread) throw new Error(`worker threads gave ${pooled} topics, the calling thread ${oneThread}`);

const line = (what: string, seconds: number): string =>
  `classify, ${what}: ${N} reports in ${seconds.toFixed(2)} s (${Math.round(N / seconds)} reports/s, ${(oneThread / N).toFixed(2)} topics each)\n`;
process.stdout.write(line("one thread", oneSeconds));
process.stdout.write(line(`${pool.workers} worker threads, as triage runs`, poolSeconds));
process.stdout.write(`target: under 10 s for 100,000 reports; worker threads ${(oneSeconds / poolSeconds).toFixed(2)}x one thread\n`);
