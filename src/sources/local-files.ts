import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

export interface LocalInput {
  path: string;
  size: number;
}

/** Files that are never mail archives when found while walking a folder. */
const SKIP = /(?:^\.|\.(?:json|html?|md|yml|yaml|tsv|csv|sqlite|sqlite-wal|sqlite-shm)$)/i;

/**
 * A path given on the command line: a file is itself, a folder is every file below it (sorted, hidden
 * files and obvious non-archives skipped). Throws ENOENT-style errors for a path that is not there.
 */
export async function listLocalInputs(path: string): Promise<LocalInput[]> {
  const st = await stat(path);
  if (st.isFile()) return [{ path, size: st.size }];
  if (!st.isDirectory()) throw new Error("not a file or folder");
  const out: LocalInput[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (SKIP.test(e.name)) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push({ path: p, size: (await stat(p)).size });
    }
  };
  await walk(path);
  return out;
}

/** The bytes of a file, counted as they are read (for progress). */
export async function* readFileBytes(path: string, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    onBytes?.((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}
