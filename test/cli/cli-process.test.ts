import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The built command in a process of its own, as a maintainer runs it: this is where ingestion parses
 * and stores in worker threads (under ts-jest everything runs on one thread). `npm test` builds first.
 */
const cli = join(process.cwd(), "dist", "src", "cli.js");
const fixtures = join(process.cwd(), "fixtures", "mbox");
let dir: string;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` (npm test does it first)`);
});
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "xen-triage-process-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function xenTriage(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return xenTriageWith({}, ...args);
}

function xenTriageWith(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, XEN_TRIAGE_DB: "", ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the bundled sample through worker threads gives the same reports as the expected file", () => {
  const db = join(dir, "t.sqlite");
  const sample = ["pkg-xen-devel-2025-March.txt", "bts-bug-1090233.mbox"].map((f) => join(fixtures, f));
  expect(xenTriage("--db", db, "--json", "ingest", ...sample)).toEqual({
    status: 0,
    stdout: `${JSON.stringify({ messages: 22, new: 21, reports: 6, rejected: [] })}\n`,
    stderr: "",
  });
  const reports = xenTriage("--db", db, "--json", "reports");
  expect(reports.status).toBe(0);
  expect(JSON.parse(reports.stdout)).toEqual(JSON.parse(readFileSync(join(process.cwd(), "fixtures", "expected", "sample-reports.json"), "utf8")));
});

test("broken mail through worker threads: the same rejections, in file order, exit 3", () => {
  const db = join(dir, "t.sqlite");
  const broken = join(fixtures, "broken.mbox");
  const r = xenTriage("--db", db, "--json", "ingest", broken, join(fixtures, "awkward.mbox"));
  expect(r.status).toBe(3);
  expect(JSON.parse(r.stdout)).toEqual({
    messages: 17,
    new: 17,
    reports: 16,
    rejected: [
      { source: broken, position: "message 2, byte 629", reason: "no mail headers" },
      { source: broken, position: "message 4, byte 1764", reason: "binary data in header line 4" },
    ],
  });
});

test("triage in worker threads gives every report the topics and evidence the calling thread gives", () => {
  const labelled = join(process.cwd(), "fixtures", "labelled", "reports.mbox");
  const runs = ["0", "2"].map((threads) => {
    const db = join(dir, `threads-${threads}.sqlite`);
    const env = { XEN_TRIAGE_THREADS: threads };
    expect(xenTriageWith(env, "--db", db, "--json", "ingest", labelled).status).toBe(0);
    const triaged = xenTriageWith(env, "--db", db, "--json", "triage");
    expect(triaged.status).toBe(0);
    return { triaged: JSON.parse(triaged.stdout) as { classified: number }, reports: JSON.parse(xenTriage("--db", db, "--json", "reports").stdout) as unknown[] };
  });
  expect(runs[0]!.triaged.classified).toBe(390);
  expect(runs[1]).toEqual(runs[0]);
});

test("XEN_TRIAGE_THREADS that is not a number is a usage error naming it", () => {
  const r = xenTriageWith({ XEN_TRIAGE_THREADS: "many" }, "--db", join(dir, "t.sqlite"), "triage");
  expect(r).toEqual({ status: 2, stdout: "", stderr: "xen-triage: XEN_TRIAGE_THREADS=many: give a number of threads, 0 for none\n" });
});

test("the built classify pool runs in worker threads and answers each batch as the calling thread does", () => {
  const dist = join(process.cwd(), "dist", "src");
  const script = `
    import { classifyPool, classifyWorkersUsable } from ${JSON.stringify(join(dist, "pipeline", "classify-pool.js"))};
    import { buildClassifier, examplesFrom } from ${JSON.stringify(join(dist, "pipeline", "classifier.js"))};
    import { classify } from ${JSON.stringify(join(dist, "triage", "classify.js"))};
    import { DEFAULT_TAXONOMY } from ${JSON.stringify(join(dist, "triage", "taxonomy.js"))};
    const dir = ${JSON.stringify(join(process.cwd(), "fixtures", "labelled"))};
    const examples = await examplesFrom(dir + "/reports.mbox", dir + "/labels-train.jsonl");
    const c = buildClassifier(DEFAULT_TAXONOMY, examples.slice(0, 60));
    const docs = examples.map((e) => e.doc);
    const pool = classifyPool(c, 2);
    const batches = await Promise.all([pool.classify(docs.slice(0, 100)), pool.classify(docs.slice(100)), pool.classify([])]);
    await pool.close();
    const inline = docs.map((d) => classify(c, d));
    process.stdout.write(JSON.stringify({ usable: classifyWorkersUsable(), workers: pool.workers, same: JSON.stringify(batches.flat()) === JSON.stringify(inline), sizes: batches.map((b) => b.length), given: inline.filter((t) => t.length).length > 100 }));
  `;
  const file = join(dir, "pool.mjs");
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [file], { encoding: "utf8" });
  expect({ status: r.status, stderr: r.stderr, out: JSON.parse(r.stdout || "null") }).toEqual({
    status: 0,
    stderr: "",
    out: { usable: true, workers: 2, same: true, sizes: [100, 170, 0], given: true },
  });
});
