import { createWriteStream } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import { splitMbox } from "../src/sources/mbox-split.js";

/**
 * Write an mbox of at least `targetBytes` built from our own fixtures: each round copies every fixture
 * message with a fresh Message-ID, shifted bug numbers and dates, so nothing repeats. Returns counts.
 */
export async function generateArchive(fixtureDir: string, out: string, targetBytes: number): Promise<{ messages: number; bytes: number }> {
  const templates: Buffer[] = [];
  for (const name of (await readdir(fixtureDir)).sort()) {
    if (!/^(?:pkg-xen-devel-.*\.txt|bts-.*\.mbox|crlf\.mbox|awkward\.mbox)$/.test(name)) continue;
    const bytes = await readFile(join(fixtureDir, name));
    async function* one(): AsyncGenerator<Buffer> {
      yield bytes;
    }
    for await (const m of splitMbox(one())) if (m.kind === "message") templates.push(m.raw);
  }
  if (templates.length === 0) throw new Error(`no fixture messages in ${fixtureDir}`);
  const stream = createWriteStream(out);
  let bytes = 0;
  let messages = 0;
  for (let round = 0; bytes < targetBytes; round++) {
    const year = 2005 + (round % 20);
    for (const [i, t] of templates.entries()) {
      const text = t
        .toString("latin1")
        .replace(/^(Message-I[Dd]:\s*<)/m, `$1r${round}.`)
        .replace(/^(In-Reply-To:\s*<)/m, `$1r${round}.`)
        .replace(/\b(10\d{5})\b/g, (n) => String(Number(n) + (round % 5000) * 7))
        .replace(/\b2025\b/g, String(year));
      const sep = `From bench-${i}@example.org ${["Mon", "Tue", "Wed"][i % 3]} Mar  ${1 + (i % 9)} 10:${String(i % 60).padStart(2, "0")}:00 ${year}\n`;
      const chunk = Buffer.from(`${sep}${quoteFrom(text)}${text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n"}`, "latin1");
      if (!stream.write(chunk)) await once(stream, "drain");
      bytes += chunk.length;
      messages++;
    }
  }
  stream.end();
  await once(stream, "finish");
  return { messages, bytes };
}

/** mboxrd quoting, so the generated file splits into exactly the messages written. */
function quoteFrom(text: string): string {
  return text.replace(/^(>*From )/gm, ">$1");
}
