import { positionOf } from "../mail/parse-message.js";
import { gunzipIfNeeded } from "../sources/gunzip-if-needed.js";
import { listLocalInputs, readFileBytes } from "../sources/local-files.js";
import { StreamError, splitMbox } from "../sources/mbox-split.js";
import { fetchPipermail } from "../sources/pipermail-web.js";
import type { Store } from "../store/store.js";
import { buildReportsFrom } from "../triage/build-reports.js";
import { type ControlEvent, stateFromControls } from "../triage/mail-state.js";
import { DEFAULT_BTS_URL, btsClient } from "../sources/bts/soap-client.js";
import { type BtsApi, parseBtsSpec, syncBts } from "./sync-bts.js";
import { type BatchSink, inlineSink, workerSink, workersUsable } from "./ingest-pool.js";
import type { BatchResult } from "./store-batches.js";

export interface Rejection {
  source: string;
  position: string;
  reason: string;
}

export interface IngestResult {
  messages: number;
  new: number;
  reports: number;
  rejected: Rejection[];
  /** Sources of which nothing at all could be read. */
  unreadable: number;
  sources: number;
}

export interface IngestProgress {
  source: string;
  /** Bytes read of the current source, and its size when known. */
  bytes: number;
  total: number | null;
  messages: number;
}

export interface IngestOptions {
  onProgress?: (p: IngestProgress) => void;
  /** Called when every source is read and the reports are being regrouped (it takes a moment). */
  onGrouping?: () => void;
  /** Called for each rejected item as it happens (the result lists them all too). */
  onReject?: (r: Rejection) => void;
  fetch?: typeof fetch;
  /** The BTS to sync `bts:` sources from (default: the SOAP client on btsUrl). */
  bts?: BtsApi;
  /** The BTS's SOAP endpoint (default: $XEN_TRIAGE_BTS_URL, then bugs.debian.org). */
  btsUrl?: string;
  /** Also sync archived bugs for bts:src: and bts:package: sources. */
  btsArchived?: boolean;
  /**
   * The database location the store was opened from. With it, parsing and storing run in worker
   * threads with connections of their own (when the compiled worker is there, i.e. outside ts-jest).
   */
  db?: string;
  /** Set false to parse and store on the calling thread even when workers could be used. */
  workers?: boolean;
  /** How many worker threads (0: the calling thread; default: one a core, at most four). */
  threads?: number;
}

/**
 * Ingest sources into the store, then regroup reports:
 * 1. expand each source (file, folder, pipermail URL) into byte streams;
 * 2. split each stream into messages, parse them, store them in batches;
 * 3. rebuild the reports from every stored message's threading data.
 * A broken message is rejected with its source and position; everything around it is kept.
 */
export async function ingest(sources: string[], store: Store, options: IngestOptions = {}): Promise<IngestResult> {
  const result: IngestResult = { messages: 0, new: 0, reports: 0, rejected: [], unreadable: 0, sources: 0 };
  let defaultBts: BtsApi | undefined;
  const reject = (r: Rejection): void => {
    result.rejected.push(r);
    options.onReject?.(r);
  };

  const sink: BatchSink =
    workersUsable(options.db) && options.workers !== false && options.threads !== 0 ? workerSink(options.db, options.threads) : inlineSink(store);
  const good = new Map<string, number>();
  const take = (results: BatchResult[]): void => {
    for (const r of results) {
      result.messages += r.good;
      result.new += r.inserted;
      good.set(r.source, (good.get(r.source) ?? 0) + r.good);
      for (const x of r.rejected) reject({ source: r.source, position: positionOf(x), reason: x.reason });
    }
  };

  const ingestStream = async (source: string, bytes: AsyncIterable<Uint8Array>, total: number | null, counter: { bytes: number }): Promise<number> => {
    let seen = 0;
    const rejectedBefore = result.rejected.length;
    try {
      for await (const item of splitMbox(gunzipIfNeeded(bytes))) {
        seen++;
        if (item.kind === "rejected") {
          reject({ source, position: positionOf(item), reason: item.reason });
          continue;
        }
        take(await sink.push(source, item));
        if ((seen & 63) === 0) options.onProgress?.({ source, bytes: counter.bytes, total, messages: result.messages });
      }
      take(await sink.drain());
    } catch (err) {
      take(await sink.drain());
      if (err instanceof StreamError) {
        reject({ source, position: positionOf(err), reason: err.index > 1 ? `${err.message}; the messages before it were kept` : err.message });
      } else {
        reject({ source, position: `byte ${counter.bytes}`, reason: (err as Error).message });
      }
    }
    options.onProgress?.({ source, bytes: counter.bytes, total, messages: result.messages });
    // Size-limit rejections come from the splitter at once, parse rejections with their batch: list
    // this source's rejections in file order.
    const mine = result.rejected.splice(rejectedBefore);
    result.rejected.push(...mine.sort((x, y) => messageNumber(x) - messageNumber(y)));
    if (seen === 0 && result.rejected.length === rejectedBefore) {
      reject({ source, position: "byte 0", reason: "empty: no messages" });
    }
    return good.get(source) ?? 0;
  };

  for (const source of sources) {
    if (/^https?:\/\//i.test(source)) {
      try {
        for await (const month of fetchPipermail(source, { validators: store, ...(options.fetch ? { fetch: options.fetch } : {}) })) {
          result.sources++;
          if (month.status === "unchanged") continue;
          if (month.status === "failed") {
            result.unreadable++;
            reject({ source: month.url, position: "request", reason: month.reason });
            continue;
          }
          const counter = { bytes: 0 };
          const counted = countBytes(month.body, counter);
          const good = await ingestStream(month.url, counted, null, counter);
          if (good === 0) result.unreadable++;
          // Remember the month's validators only once it is in the store.
          else await month.commit();
        }
      } catch (err) {
        result.sources++;
        result.unreadable++;
        reject({ source, position: "request", reason: (err as Error).message });
      }
      continue;
    }
    if (source.startsWith("bts:")) {
      result.sources++;
      const spec = parseBtsSpec(source);
      if (!spec) {
        result.unreadable++;
        reject({ source, position: "source", reason: "not a BTS source: give bts:src:NAME, bts:package:NAME or bts:bug:NUMBER" });
        continue;
      }
      try {
        const api = options.bts ?? (defaultBts ??= btsClient({ url: options.btsUrl || process.env["XEN_TRIAGE_BTS_URL"] || DEFAULT_BTS_URL }));
        const synced = await syncBts(source, spec, api, store, { archived: options.btsArchived ?? false });
        result.messages += synced.messages.length;
        result.new += synced.inserted;
        for (const r of synced.rejected) reject(r);
        if (synced.bugs > 0 && synced.rejected.length >= synced.bugs && synced.messages.length === 0) result.unreadable++;
      } catch (err) {
        result.unreadable++;
        reject({ source, position: "request", reason: (err as Error).message });
      }
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) {
      result.sources++;
      result.unreadable++;
      reject({ source, position: "source", reason: "unsupported source (give a file, a folder, a pipermail http(s) URL, or bts:src:NAME, bts:package:NAME, bts:bug:NUMBER)" });
      continue;
    }
    let inputs;
    try {
      inputs = await listLocalInputs(source);
    } catch (err) {
      result.sources++;
      result.unreadable++;
      const code = (err as NodeJS.ErrnoException).code;
      reject({ source, position: "file", reason: code === "ENOENT" ? "no such file or folder" : (err as Error).message });
      continue;
    }
    if (inputs.length === 0) {
      result.sources++;
      result.unreadable++;
      reject({ source, position: "folder", reason: "no files in this folder" });
    }
    for (const input of inputs) {
      result.sources++;
      const counter = { bytes: 0 };
      const good = await ingestStream(input.path, readFileBytes(input.path, (n) => (counter.bytes += n)), input.size, counter);
      if (good === 0) result.unreadable++;
    }
  }

  await sink.close();
  options.onGrouping?.();
  const reports = await buildReportsFrom({ heads: () => store.messageHeads(), links: () => store.messageLinks() }, await store.knownBugs());
  await store.replaceReports(reports);
  result.reports = reports.length;
  // 4. What control mail says of the bugs, for those the BTS has not answered since.
  const events: ControlEvent[] = [];
  for await (const e of store.controlEvents()) events.push(e);
  await store.replaceMailState([...stateFromControls(events).values()]);
  return result;
}

async function* countBytes(body: AsyncIterable<Uint8Array>, counter: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    counter.bytes += chunk.length;
    yield chunk;
  }
}

/** The message number of a rejection's position ("message 17, byte 52311"); positions without one last. */
function messageNumber(r: Rejection): number {
  const m = /^message (\d+)/.exec(r.position);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/** Exit status by DESIGN.md: 0 all good, 3 some input rejected, 1 nothing could be read. */
export function ingestExitCode(r: IngestResult): 0 | 1 | 3 {
  if (r.rejected.length === 0) return 0;
  if (r.messages === 0 && r.unreadable >= r.sources) return 1;
  return 3;
}
