import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ingest, ingestExitCode } from "../../src/pipeline/ingest.js";
import { openSqliteStore } from "../../src/store/sqlite.js";

const fixtures = join(process.cwd(), "fixtures", "mbox");
const sample = ["pkg-xen-devel-2025-March.txt", "bts-bug-1090233.mbox"].map((f) => join(fixtures, f));

test("the bundled sample becomes its expected reports, and ingesting it again adds nothing", async () => {
  const store = openSqliteStore(":memory:");
  const first = await ingest(sample, store);
  expect(first).toEqual({ messages: 22, new: 21, reports: 6, rejected: [], unreadable: 0, sources: 2 });
  const reports = await store.listReports();
  const expectedFile = join(process.cwd(), "fixtures", "expected", "sample-reports.json");
  if (process.env["UPDATE_EXPECTED"]) writeFileSync(expectedFile, `${JSON.stringify(reports, null, 2)}\n`);
  expect(reports).toEqual(JSON.parse(readFileSync(expectedFile, "utf8")));

  const again = await ingest(sample, store);
  expect(again).toEqual({ ...first, new: 0 });
  expect(await store.listReports()).toEqual(reports);
  await store.close();
});

test("a mail seen on the list and in the BTS log is stored once and filed under both bugs", async () => {
  const store = openSqliteStore(":memory:");
  await ingest(sample, store);
  const merged = await store.getReport("bug:1090233");
  const ids = merged!.messages.map((m) => m.id);
  expect(ids.filter((id) => id === "Z9FJ7xQm0bK3tT2c@hollow.example.org")).toHaveLength(1);
  const other = await store.getReport("bug:1090417");
  expect(other!.messages.map((m) => m.id)).toContain("Z9FJ7xQm0bK3tT2c@hollow.example.org");
  // The list copy came first and had only Bug#1090417; the BTS copy added 1090233.
  expect(other!.messages.find((m) => m.id === "Z9FJ7xQm0bK3tT2c@hollow.example.org")!.bugs).toEqual([1090417, 1090233]);
  await store.close();
});

const xfs = join(process.cwd(), "..", "shared", "realdata", "debbugs-mail-linux-xfs", "xfsprogs-debbugs.mbox.gz");
const realTest = existsSync(xfs) ? test : test.skip;

realTest("the real BTS mbox: 105 messages, a report for each of its 32 bugs, the forcemerge seen; re-ingesting adds nothing", async () => {
  const store = openSqliteStore(":memory:");
  const first = await ingest([xfs], store);
  // Three mails arrive twice under the same Message-ID; they are stored once.
  expect(first).toEqual({ messages: 105, new: 102, reports: 32, rejected: [], unreadable: 0, sources: 1 });
  expect(ingestExitCode(first)).toBe(0);
  const index = readFileSync(join(xfs, "..", "index.tsv"), "utf8");
  const bugsInIndex = [...new Set([...index.matchAll(/Bug#(\d+)/g)].map((m) => Number(m[1])))].sort();
  const reports = await store.listReports();
  expect(reports.map((r) => r.bug).sort()).toEqual(bugsInIndex);
  const report = await store.getReport("bug:1116595");
  const controls = report!.messages.flatMap((m) => m.controls.map((c) => `${c.via}: ${c.line}`));
  expect(controls).toEqual(["transcript: forcemerge 1116595 1128087"]);
  // The transcript alone says the two are merged, before any BTS answer.
  expect(reports.find((r) => r.id === "bug:1116595")).toMatchObject({ mergedWith: [1128087], stateFrom: "mail" });
  expect(await ingest([xfs], store)).toEqual({ ...first, new: 0 });
  await store.close();
});

const perceval = join(process.cwd(), "..", "shared", "realdata", "perceval-fixtures");
const percevalTest = existsSync(perceval) ? test : test.skip;

percevalTest("every real mbox and pipermail file ingests with exit 0 or 3, each rejection named", async () => {
  const store = openSqliteStore(":memory:");
  const result = await ingest([perceval], store);
  expect(result.rejected).toEqual([]);
  expect([0, 3]).toContain(ingestExitCode(result));
  expect(result.messages).toBe(24);
  await store.close();
});
