import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSqliteStore } from "../store/sqlite.js";
import { ingest } from "./ingest.js";
import { type Classifier, type ReportDoc, combineLayers, compileTaxonomy, fitThresholds, layerScores, scoreTopics, trainModel } from "../triage/classify.js";
import { type TopicLayers, fitCombiners } from "../triage/combine.js";
import { reportDoc } from "../triage/report-doc.js";
import type { Taxonomy } from "../triage/taxonomy.js";

export interface Example {
  id: string;
  doc: ReportDoc;
  topics: string[];
}

/** The project's root (where package.json is), from this module's place in src/ or dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Labels: JSON lines `{"id": "bug:1028251", "topics": ["build", "systemd"]}`; errors name file and line. */
export function readLabels(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, k) => {
      if (line.trim() === "") return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        throw new Error(`${path}, line ${k + 1}: not JSON`);
      }
      const o = v as { id?: unknown; topics?: unknown };
      if (typeof o.id !== "string" || !Array.isArray(o.topics) || !o.topics.every((t) => typeof t === "string")) {
        throw new Error(`${path}, line ${k + 1}: expected {"id": "...", "topics": ["..."]}`);
      }
      out.set(o.id, o.topics as string[]);
    });
  return out;
}

/**
 * The reports of mbox files (those of `only`, when given), each made a ReportDoc: the files are
 * ingested into a scratch store in memory, so that reports are grouped (bug reports and list threads)
 * exactly as the real store groups them. A broken mail in a labelled set is skipped (our own sets have
 * their own tests).
 */
export async function docsOfMboxes(paths: string[], only?: Set<string>): Promise<Map<string, ReportDoc>> {
  const store = openSqliteStore(":memory:");
  try {
    await ingest(paths, store, { threads: 0 });
    const out = new Map<string, ReportDoc>();
    for (const r of await store.listReports()) {
      if (only && !only.has(r.id)) continue;
      const full = await store.getReport(r.id);
      if (full) out.set(r.id, reportDoc(full.report.title, full.messages));
    }
    return out;
  } finally {
    await store.close();
  }
}

/** Labelled examples: the reports of `mboxes` that `labels` names, with their labels. */
export async function examplesFrom(mboxes: string | string[], labels: string): Promise<Example[]> {
  const wanted = readLabels(labels);
  const docs = await docsOfMboxes(typeof mboxes === "string" ? [mboxes] : mboxes, new Set(wanted.keys()));
  const out: Example[] = [];
  for (const [id, topics] of wanted) {
    const doc = docs.get(id);
    if (doc) out.push({ id, doc, topics });
  }
  return out;
}

/**
 * The classifier: the taxonomy's patterns, a model trained on the labelled examples, and per topic the
 * way both are combined and the threshold, fitted on scores the model gave to examples it was not
 * trained on (4-fold), so that they are not fitted to a model that has seen the answers.
 */
export function buildClassifier(taxonomy: Taxonomy, examples: Example[]): Classifier & { version: string } {
  const compiled = compileTaxonomy(taxonomy);
  const names = compiled.topics.map((t) => t.name);
  const version = createHash("sha256")
    .update(JSON.stringify(taxonomy))
    .update(JSON.stringify(examples.map((e) => [e.id, e.topics, e.doc])))
    .digest("hex")
    .slice(0, 16);
  if (examples.length < 8) {
    const patternsOnly: Classifier = { taxonomy: compiled, model: null, combiners: {}, thresholds: {} };
    const scored = examples.map((e) => ({ scores: scoreTopics(patternsOnly, e.doc), topics: e.topics }));
    return { ...patternsOnly, thresholds: examples.length ? fitThresholds(compiled, scored) : {}, version };
  }
  const folds = 4;
  const outOfFold: { layers: TopicLayers[]; topics: string[] }[] = [];
  for (let f = 0; f < folds; f++) {
    const model = trainModel(examples.filter((_, k) => k % folds !== f), names);
    for (const e of examples.filter((_, k) => k % folds === f)) outOfFold.push({ layers: layerScores({ taxonomy: compiled, model }, e.doc), topics: e.topics });
  }
  const combiners = fitCombiners(outOfFold, names);
  const scored = outOfFold.map((o) => ({ scores: combineLayers(combiners, o.layers), topics: o.topics }));
  return { taxonomy: compiled, model: trainModel(examples, names), combiners, thresholds: fitThresholds(compiled, scored), version };
}

/** The mbox files of the labelled set shipped with xen-triage (fixtures/labelled): BTS reports, list threads. */
export function labelledMboxes(root = projectRoot()): string[] {
  return ["reports.mbox", "threads.mbox"].map((f) => join(root, "fixtures", "labelled", f)).filter((f) => existsSync(f));
}

/**
 * The labelled set shipped with xen-triage (fixtures/labelled), training part: bug reports only, so
 * the list threads (all for evaluation) are not read when a command starts.
 */
export function shippedTraining(root = projectRoot()): { mboxes: string[]; labels: string } | null {
  const mboxes = [join(root, "fixtures", "labelled", "reports.mbox")];
  const labels = join(root, "fixtures", "labelled", "labels-train.jsonl");
  return existsSync(mboxes[0]!) && existsSync(labels) ? { mboxes, labels } : null;
}
