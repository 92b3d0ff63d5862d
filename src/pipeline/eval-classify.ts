import type { Store } from "../store/store.js";
import { classify } from "../triage/classify.js";
import { type ClassifyEval, evaluateTopics } from "../triage/eval-classify.js";
import { reportDoc } from "../triage/report-doc.js";
import type { Taxonomy } from "../triage/taxonomy.js";
import { type Example, buildClassifier, examplesFrom, shippedTraining } from "./classifier.js";

/**
 * The classifier as `triage` uses it: the taxonomy, trained on the labelled set shipped with us and,
 * given a store, on the reports maintainers corrected (their topics as corrected are labels too).
 */
export async function loadClassifier(taxonomy: Taxonomy, store?: Store): Promise<ReturnType<typeof buildClassifier>> {
  const shipped = shippedTraining();
  const examples = shipped ? await examplesFrom(shipped.mboxes, shipped.labels) : [];
  if (store) examples.push(...(await correctedExamples(store)));
  return buildClassifier(taxonomy, examples);
}

/** Each report with a maintainer's topic correction, as a labelled example: the topics it now has. */
export async function correctedExamples(store: Store): Promise<Example[]> {
  const ids = [...new Set((await store.topicCorrections()).map((c) => c.reportId))];
  const out: Example[] = [];
  for (const id of ids) {
    const r = await store.getReport(id);
    if (!r) continue;
    out.push({ id, doc: reportDoc(r.report.title, r.messages), topics: (await store.reportTopics(id)).map((t) => t.topic) });
  }
  return out;
}

/**
 * Classify every labelled report that is in the store, as `triage` would now, and score the result
 * against the labels. Labelled ids not in the store are left out (and counted out in `reports`).
 */
export async function evalClassify(store: Store, classifier: ReturnType<typeof buildClassifier>, labels: Map<string, string[]>): Promise<ClassifyEval> {
  const predicted = new Map<string, string[]>();
  for (const id of labels.keys()) {
    const r = await store.getReport(id);
    if (!r) continue;
    predicted.set(id, classify(classifier, reportDoc(r.report.title, r.messages)).map((t) => t.topic));
  }
  return evaluateTopics(predicted, labels, classifier.taxonomy.topics.map((t) => t.name));
}
