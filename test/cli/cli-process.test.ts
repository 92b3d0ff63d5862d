import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, XEN_TRIAGE_DB: "" } });
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
