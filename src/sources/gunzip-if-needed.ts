import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/**
 * Pass bytes through, gunzipping them when they start with the gzip magic `1f 8b`. The name of the
 * file and any Content-Encoding say nothing reliable (fetch may already have decoded the body).
 */
export async function* gunzipIfNeeded(input: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  if (first.done) return;
  const head = Buffer.from(first.value.buffer, first.value.byteOffset, first.value.length);
  const rest = { [Symbol.asyncIterator]: () => it };
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    for await (const chunk of rest) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    return;
  }
  async function* again(): AsyncGenerator<Uint8Array> {
    yield head;
    yield* rest;
  }
  const source = Readable.from(again(), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  source.on("error", (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } finally {
    source.destroy();
  }
}
