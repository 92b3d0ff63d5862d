import { type RawMessage, type RejectedRaw, splitMbox } from "../../src/sources/mbox-split.js";
import { gunzipIfNeeded } from "../../src/sources/gunzip-if-needed.js";

/** Feed bytes to the splitter in chunks of the given sizes (cycled), collect everything it yields. */
export async function splitAll(bytes: Buffer, chunkSizes: number[] = [1 << 16], maxMessageBytes?: number): Promise<(RawMessage | RejectedRaw)[]> {
  async function* chunks(): AsyncGenerator<Buffer> {
    let i = 0;
    let k = 0;
    while (i < bytes.length) {
      const n = Math.max(1, chunkSizes[k++ % chunkSizes.length]!);
      yield bytes.subarray(i, i + n);
      i += n;
    }
  }
  const out: (RawMessage | RejectedRaw)[] = [];
  for await (const m of splitMbox(gunzipIfNeeded(chunks()), maxMessageBytes ? { maxMessageBytes } : {})) out.push(m);
  return out;
}

/** A compact, comparable view of split results. */
export function view(items: (RawMessage | RejectedRaw)[]): unknown[] {
  return items.map((m) =>
    m.kind === "message"
      ? { index: m.index, offset: m.offset, separator: m.separator, raw: m.raw.toString("latin1") }
      : m,
  );
}
