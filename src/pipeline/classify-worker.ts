import { parentPort, workerData } from "node:worker_threads";
import { type ReportDoc, classify } from "../triage/classify.js";
import { type ClassifierParts, classifierFromParts } from "./classify-pool.js";

/** A classification worker: the calling thread's classifier, rebuilt from its parts, over batches of documents. */
const classifier = classifierFromParts(workerData as ClassifierParts);
parentPort!.on("message", ({ seq, docs }: { seq: number; docs: ReportDoc[] }) => {
  try {
    parentPort!.postMessage({ seq, reply: docs.map((d) => classify(classifier, d)) });
  } catch (err) {
    parentPort!.postMessage({ seq, error: (err as Error).message });
  }
});
