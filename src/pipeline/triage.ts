import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import type { Store, TopicCorrection } from "../store/store.js";
import { type Classifier, type ReportDoc, type TopicResult, classify } from "../triage/classify.js";
import { classifyPool, classifyWorkersUsable } from "./classify-pool.js";
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

export interface TriageOptions {
  /** Classify every report again, changed or not. */
  all?: boolean;
  /**
   * Worker threads to classify in: 0 for the calling thread. Unset: up to four (one a core) when at
   * least POOL_FROM reports are to be classified, else the calling thread.
   */
  threads?: number;
}

/** From how many reports to classify worker threads pay for their start (a few hundred ms). */
export const POOL_FROM = 2000;
const BATCH = 250;

/**
 * Classify the reports that changed since they were last classified:
 * 1. a report's content key is its message ids and the classifier's version;
 * 2. each report whose key differs is read, made a document (title and own words) and classified,
 *    in batches, in worker threads when there are many;
 * 3. its topics, with their evidence, are stored with the new key.
 */
export async function triage(store: Store, classifier: Classifier & { version: string }, options: TriageOptions = {}): Promise<TriageResult> {
  const members = await store.reportMessageIds();
  const keys = options.all ? new Map<string, string>() : await store.topicKeys();
  // Maintainers' corrections by report, read once (each report looks up its own, not all of them).
  const corrections = new Map<string, TopicCorrection[]>();
  for (const c of await store.topicCorrections()) (corrections.get(c.reportId) ?? corrections.set(c.reportId, []).get(c.reportId)!).push(c);
  const changed: { id: string; key: string }[] = [];
  for (const r of await store.listReports()) {
    const key = createHash("sha256")
      .update(classifier.version)
      .update((members.get(r.id) ?? []).join("\n"))
      .update(r.title)
      .digest("hex")
      .slice(0, 24);
    if (keys.get(r.id) !== key) changed.push({ id: r.id, key });
  }

  const threads = options.threads ?? (changed.length >= POOL_FROM ? Math.min(4, availableParallelism()) : 0);
  const pool = threads > 0 && classifyWorkersUsable() ? classifyPool(classifier, threads) : null;
  const classifyBatch = (docs: ReportDoc[]): Promise<TopicResult[][]> =>
    pool ? pool.classify(docs) : Promise.resolve(docs.map((d) => classify(classifier, d)));
  // Batches in flight, stored in order: the calling thread reads the next while workers classify.
  const inFlight: { ids: { id: string; key: string }[]; results: Promise<TopicResult[][]> }[] = [];
  let classified = 0;
  const storeNext = async (): Promise<void> => {
    const { ids, results } = inFlight.shift()!;
    const topics = await results;
    for (let k = 0; k < ids.length; k++) {
      const { id, key } = ids[k]!;
      await store.setTopics(id, corrected(topics[k]!, corrections.get(id) ?? []), key);
      classified++;
    }
  };
  try {
    for (let i = 0; i < changed.length; i += BATCH) {
      const ids: { id: string; key: string }[] = [];
      const docs: ReportDoc[] = [];
      for (const r of changed.slice(i, i + BATCH)) {
        const full = await store.getReport(r.id);
        if (!full) continue;
        ids.push(r);
        docs.push(reportDoc(full.report.title, full.messages));
      }
      const results = classifyBatch(docs);
      // Awaited in order below; until then a failure must not count as unhandled.
      results.catch(() => {});
      inFlight.push({ ids, results });
      while (inFlight.length > 2 * (pool?.workers ?? 0)) await storeNext();
    }
    while (inFlight.length) await storeNext();
  } finally {
    await pool?.close();
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
