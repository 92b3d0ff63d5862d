import { buildClassifier, examplesFrom, projectRoot } from "../src/pipeline/classifier.js";
import { classify } from "../src/triage/classify.js";
import { DEFAULT_TAXONOMY } from "../src/triage/taxonomy.js";
import { join } from "node:path";

/**
 * Classification speed: 100,000 reports (our labelled reports, cycled) through the trained classifier.
 * Prints reports/s and the time for 100,000 (target: under 10 s).
 */
const root = projectRoot();
const dir = join(root, "fixtures", "labelled");
const train = await examplesFrom(join(dir, "reports.mbox"), join(dir, "labels-train.jsonl"));
const evalSet = await examplesFrom(join(dir, "reports.mbox"), join(dir, "labels-eval.jsonl"));
const classifier = buildClassifier(DEFAULT_TAXONOMY, train);
const docs = [...train, ...evalSet].map((e) => e.doc);
const N = Number(process.env["XT_N"] ?? 100_000);
const start = performance.now();
let topics = 0;
for (let i = 0; i < N; i++) topics += classify(classifier, docs[i % docs.length]!).length;
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `classify: ${N} reports in ${seconds.toFixed(2)} s (${Math.round(N / seconds)} reports/s, ${(topics / N).toFixed(2)} topics each); target under 10 s\n`,
);
