import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/**
 * Pass bytes through, gunzipping them when they start with the gzip magic `1f 8b`. The name of the
 * file and any Content-Encoding say nothing reliable (fetch may already have decoded the body). Errors
 * of the gzip data are thrown as plain words: "gzip data ends early (truncated file)".
 */
export async function* gunzipIfNeeded(input: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  // The magic is two bytes: gather at least that much, however the bytes were chunked.
  const first: Buffer[] = [];
  let have = 0;
  let ended = false;
  while (have < 2) {
    const step = await it.next();
    if (step.done) {
      ended = true;
      break;
    }
    first.push(Buffer.from(step.value.buffer, step.value.byteOffset, step.value.length));
    have += step.value.length;
  }
  if (have === 0) return;
  const head = first.length === 1 ? first[0]! : Buffer.concat(first);
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => it };
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    if (ended) return;
    for await (const chunk of rest) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    return;
  }
  async function* again(): AsyncGenerator<Uint8Array> {
    yield head;
    if (!ended) yield* rest;
  }
  const source = Readable.from(again(), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  source.on("error", (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (!code.startsWith("Z_")) throw err;
    const message = (err as Error).message;
    throw new Error(message === "unexpected end of file" ? "gzip data ends early (truncated file)" : `corrupt gzip data (${message})`);
  } finally {
    source.destroy();
  }
}
