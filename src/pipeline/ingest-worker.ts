import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../store/open-store.js";
import type { IngestJob } from "./ingest-pool.js";
import { parseAndStore } from "./store-batches.js";

/** An ingestion worker: parses batches of raw messages and stores them through its own connection. */
const store = await openStore((workerData as { db: string }).db);
parentPort!.on("message", (job: IngestJob | "close") => {
  if (job === "close") {
    void store.close().then(() => parentPort!.close());
    return;
  }
  const bytes = Buffer.from(job.buffer);
  const items = job.items.map((i) => ({ index: i.index, offset: i.offset, separator: i.separator, raw: bytes.subarray(i.start, i.end) }));
  parseAndStore(store, job.source, items).then(
    (reply) => parentPort!.postMessage({ seq: job.seq, reply }),
    (err: unknown) => parentPort!.postMessage({ seq: job.seq, error: (err as Error).message }),
  );
});
