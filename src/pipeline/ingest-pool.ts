import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Store } from "../store/store.js";
import { type BatchResult, type RawItem, parseAndStore } from "./store-batches.js";
import { workerReplies } from "./worker-replies.js";

export interface IngestJob {
  seq: number;
  source: string;
  buffer: ArrayBuffer;
  items: { index: number; offset: number; separator: string | null; start: number; end: number }[];
}

/**
 * Takes raw messages in order, parses and stores them in batches, and hands back batch results in
 * input order. Memory is bounded: at most a few batches are in flight at any time.
 */
export interface BatchSink {
  push(source: string, item: RawItem): Promise<BatchResult[]>;
  /** Send what is queued and wait for every batch in flight. */
  drain(): Promise<BatchResult[]>;
  close(): Promise<void>;
}

/** Parse and store on the calling thread, in batches of at most `batchCount` messages or `batchBytes`. */
export function inlineSink(store: Store, batchCount = 1000, batchBytes = 8 << 20): BatchSink {
  let batch: RawItem[] = [];
  let bytes = 0;
  let source = "";
  const flush = async (): Promise<BatchResult[]> => {
    if (batch.length === 0) return [];
    const items = batch;
    batch = [];
    bytes = 0;
    return [await parseAndStore(store, source, items)];
  };
  return {
    async push(s, item) {
      const done = batch.length && s !== source ? await flush() : [];
      source = s;
      batch.push(item);
      bytes += item.raw.length;
      if (batch.length >= batchCount || bytes >= batchBytes) done.push(...(await flush()));
      return done;
    },
    drain: flush,
    close: async () => {},
  };
}

const WORKER_FILE = fileURLToPath(new URL("./ingest-worker.js", import.meta.url));

/**
 * Whether worker ingestion can be used: the compiled worker is next to this module (not under ts-jest)
 * and the database is a file other connections can open.
 */
export function workersUsable(db: string | undefined): db is string {
  return db !== undefined && db !== ":memory:" && !db.startsWith("file::memory:") && import.meta.url.endsWith(".js") && existsSync(WORKER_FILE);
}

/**
 * Parse and store in worker threads, each with its own connection to the database. The calling thread
 * only splits the archive; raw messages travel in batches as one transferred buffer each.
 */
export function workerSink(
  db: string,
  workers = Math.max(1, Math.min(4, availableParallelism())),
  batchBytes = 1 << 20,
  batchCount = 500,
): BatchSink {
  // Young generations of 16 MB: parsing makes much short-lived garbage, and at 8 MB the scavenges cost
  // about a tenth more CPU (real BTS mail); V8's default would cost tens of MB more per isolate.
  const pool = Array.from(
    { length: workers },
    () => new Worker(WORKER_FILE, { workerData: { db }, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 512 } }),
  );
  const replies = workerReplies<BatchResult>(pool, "ingest worker");
  let nextSeq = 0;
  const inFlight: Promise<BatchResult>[] = [];
  let batch: RawItem[] = [];
  let source = "";
  let bytes = 0;

  const send = (): void => {
    if (batch.length === 0) return;
    const buffer = new ArrayBuffer(bytes);
    const view = new Uint8Array(buffer);
    const items: IngestJob["items"] = [];
    let at = 0;
    for (const r of batch) {
      view.set(r.raw, at);
      items.push({ index: r.index, offset: r.offset, separator: r.separator, start: at, end: at + r.raw.length });
      at += r.raw.length;
    }
    const seq = nextSeq++;
    const job: IngestJob = { seq, source, buffer, items };
    inFlight.push(replies.replyTo(seq));
    pool[seq % pool.length]!.postMessage(job, [buffer]);
    batch = [];
    bytes = 0;
  };

  return {
    async push(s, item) {
      if (replies.broken) throw replies.broken;
      if (batch.length && s !== source) send();
      source = s;
      batch.push(item);
      bytes += item.raw.length;
      if (bytes >= batchBytes || batch.length >= batchCount) send();
      const done: BatchResult[] = [];
      while (inFlight.length > pool.length) done.push(await inFlight.shift()!);
      return done;
    },
    async drain() {
      send();
      const done: BatchResult[] = [];
      while (inFlight.length) done.push(await inFlight.shift()!);
      return done;
    },
    async close() {
      await Promise.all(
        pool.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once("exit", () => resolve());
              w.postMessage("close");
            }),
        ),
      );
    },
  };
}
