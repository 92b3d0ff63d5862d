import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type Classifier, type ReportDoc, type TopicModel, type TopicResult, compileTaxonomy, modelOf } from "../triage/classify.js";
import type { TopicCombiner } from "../triage/combine.js";
import type { Taxonomy } from "../triage/taxonomy.js";
import { workerReplies } from "./worker-replies.js";

/**
 * What a worker thread needs to classify as the calling thread does: the taxonomy, the model's ratios,
 * the combiners and thresholds. Everything here survives structured cloning; the compiled patterns and
 * the model's index are rebuilt on the other side (milliseconds), not retrained.
 */
export interface ClassifierParts {
  taxonomy: Taxonomy;
  model: TopicModel["topics"] | null;
  combiners: Record<string, TopicCombiner>;
  thresholds: Record<string, number>;
}

export function classifierParts(c: Classifier): ClassifierParts {
  return { taxonomy: c.taxonomy.source, model: c.model?.topics ?? null, combiners: c.combiners, thresholds: c.thresholds };
}

export function classifierFromParts(p: ClassifierParts): Classifier {
  return { taxonomy: compileTaxonomy(p.taxonomy), model: p.model ? modelOf(p.model) : null, combiners: p.combiners, thresholds: p.thresholds };
}

/** Classifies batches of documents in worker threads, answers in the order asked. */
export interface ClassifyPool {
  readonly workers: number;
  classify(docs: ReportDoc[]): Promise<TopicResult[][]>;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL("./classify-worker.js", import.meta.url));

/** Whether the compiled worker is next to this module (it is not under ts-jest). */
export function classifyWorkersUsable(): boolean {
  return import.meta.url.endsWith(".js") && existsSync(WORKER_FILE);
}

export function classifyPool(c: Classifier, workers = Math.max(1, Math.min(4, availableParallelism()))): ClassifyPool {
  const parts = classifierParts(c);
  const pool = Array.from(
    { length: workers },
    () => new Worker(WORKER_FILE, { workerData: parts, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 512 } }),
  );
  const replies = workerReplies<TopicResult[][]>(pool, "classify worker");
  let nextSeq = 0;
  return {
    workers,
    classify(docs) {
      if (replies.broken) return Promise.reject(replies.broken);
      const seq = nextSeq++;
      const reply = replies.replyTo(seq);
      pool[seq % pool.length]!.postMessage({ seq, docs });
      return reply;
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
