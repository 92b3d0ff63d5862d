import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseMessage, positionOf } from "../../src/mail/parse-message.js";
import { splitAll } from "../helpers/split.js";

/**
 * Each archive in fixtures/mbox/ is parsed whole and compared with fixtures/expected/<name>.json, the
 * way b4 pairs a sample mbox with its expected output. `UPDATE_EXPECTED=1 npm test` rewrites them; the
 * diff is then reviewed like code.
 */
const dir = join(process.cwd(), "fixtures", "mbox");
const expectedDir = join(process.cwd(), "fixtures", "expected");

async function parseArchive(file: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const item of await splitAll(readFileSync(join(dir, file)), [4096])) {
    if (item.kind === "rejected") {
      out.push({ rejected: positionOf(item), reason: item.reason });
      continue;
    }
    try {
      const { source: _source, ...m } = parseMessage(item.raw, { source: file, index: item.index, offset: item.offset, separator: item.separator });
      out.push(m);
    } catch (err) {
      out.push({ rejected: positionOf(item), reason: (err as Error).message });
    }
  }
  return out;
}

describe.each(readdirSync(dir).sort())("fixtures/mbox/%s", (file) => {
  test("parses to its expected output", async () => {
    const actual = await parseArchive(file);
    const expectedFile = join(expectedDir, `${file}.json`);
    if (process.env["UPDATE_EXPECTED"]) {
      writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, "utf8")));
  });
});
