import { createHash } from "node:crypto";
import type { Store, TopicCorrection } from "../store/store.js";
import { type Classifier, type TopicResult, classify } from "../triage/classify.js";
import { reportDoc } from "../triage/report-doc.js";

export interface TriageResult {
  reports: number;
  /** Reports (re)classified this run: new, changed, or classified by another taxonomy or model. */
  classified: number;
  /** Reports with no topic: they go to the needs-a-human queue. */
  needsHuman: number;
  /** Reports per topic. */
  topics: Record<string, number>;
}

/**
 * Classify the reports that changed since they were last classified:
 * 1. a report's content key is its message ids and the classifier's version;
 * 2. each report whose key differs is read, made a document (title and own words) and classified;
 * 3. its topics, with their evidence, are stored with the new key.
 */
export async function triage(store: Store, classifier: Classifier & { version: string }, options: { all?: boolean } = {}): Promise<TriageResult> {
  const members = await store.reportMessageIds();
  const keys = options.all ? new Map<string, string>() : await store.topicKeys();
  const reports = await store.listReports();
  const corrections = await store.topicCorrections();
  let classified = 0;
  for (const r of reports) {
    const key = createHash("sha256")
      .update(classifier.version)
      .update((members.get(r.id) ?? []).join("\n"))
      .update(r.title)
      .digest("hex")
      .slice(0, 24);
    if (keys.get(r.id) === key) continue;
    const full = await store.getReport(r.id);
    if (!full) continue;
    await store.setTopics(r.id, corrected(classify(classifier, reportDoc(full.report.title, full.messages)), corrections.filter((c) => c.reportId === r.id)), key);
    classified++;
  }
  const after = await store.listReports();
  const topics: Record<string, number> = {};
  for (const r of after) for (const t of r.topics) topics[t.topic] = (topics[t.topic] ?? 0) + 1;
  return { reports: after.length, classified, needsHuman: after.filter((r) => r.topics.length === 0).length, topics };
}

/**
 * Topics with maintainers' corrections applied: a topic they added is kept (score 1, their word as the
 * evidence), one they removed is dropped, whatever the classifier says.
 */
export function corrected(topics: TopicResult[], corrections: TopicCorrection[]): TopicResult[] {
  const out = topics.filter((t) => !corrections.some((c) => c.topic === t.topic && !c.present));
  for (const c of corrections) {
    if (!c.present || out.some((t) => t.topic === c.topic)) continue;
    out.push({ topic: c.topic, score: 1, evidence: [{ term: "maintainer", message: 0, line: 0, text: `set by ${c.by ?? "a maintainer"} on ${c.at.slice(0, 10)}` }] });
  }
  return out.sort((a, b) => b.score - a.score || (a.topic < b.topic ? -1 : 1));
}
