import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli as run } from "../helpers/run-cli.js";
import { loadRecordedAnswers, startReplayServer } from "../../src/sources/bts/replay-server.js";

const fixtures = join(process.cwd(), "fixtures", "mbox");
let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xen-triage-cli-"));
  db = join(dir, "t.sqlite");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("ingest --json prints only the JSON of DESIGN.md on stdout, exit 0", async () => {
  const r = await run("--db", db, "--json", "ingest", join(fixtures, "pkg-xen-devel-2025-March.txt"), join(fixtures, "bts-bug-1090233.mbox"));
  expect(r).toEqual({ code: 0, stdout: `${JSON.stringify({ messages: 22, new: 21, reports: 6, rejected: [] })}\n`, stderr: "" });
});

test("a broken message: named with its position, the rest kept, exit 3; text mode lists it on stderr", async () => {
  const broken = join(fixtures, "broken.mbox");
  const r = await run("--db", db, "ingest", broken);
  expect(r).toEqual({
    code: 3,
    stdout: "3 messages read (3 new) from 1 source; 2 reports; 2 rejected\n",
    stderr:
      `rejected: ${broken}, message 2, byte 629: no mail headers\n` +
      `rejected: ${broken}, message 4, byte 1764: binary data in header line 4\n`,
  });
  const json = await run("--db", db, "--json", "ingest", broken);
  expect(JSON.parse(json.stdout)).toEqual({
    messages: 3,
    new: 0,
    reports: 2,
    rejected: [
      { source: broken, position: "message 2, byte 629", reason: "no mail headers" },
      { source: broken, position: "message 4, byte 1764", reason: "binary data in header line 4" },
    ],
  });
  expect(json.code).toBe(3);
});

test("nothing readable: exit 1; a usage error: exit 2", async () => {
  const missing = join(dir, "nope.mbox");
  expect(await run("--db", db, "--json", "ingest", missing)).toEqual({
    code: 1,
    stdout: `${JSON.stringify({ messages: 0, new: 0, reports: 0, rejected: [{ source: missing, position: "file", reason: "no such file or folder" }] })}\n`,
    stderr: "",
  });
  const usage = await run("--db", db, "frobnicate");
  expect(usage.code).toBe(2);
  expect(usage.stdout).toBe("");
  expect(usage.stderr).toContain("unknown command 'frobnicate'");
  expect((await run("--db", db, "ingest")).code).toBe(2);
  expect(await run("--db", db, "--config", join(dir, "missing.yml"), "reports")).toEqual({
    code: 2,
    stdout: "",
    stderr: `xen-triage: --config ${join(dir, "missing.yml")}: no such file\n`,
  });
});

test("reports --json has the fields of DESIGN.md; show prints one report; an unknown id is exit 1", async () => {
  await run("--db", db, "ingest", join(fixtures, "pkg-xen-devel-2025-March.txt"), join(fixtures, "bts-bug-1090233.mbox"));
  const reports = await run("--db", db, "--json", "reports");
  expect(reports.code).toBe(0);
  const list = JSON.parse(reports.stdout) as Record<string, unknown>[];
  expect(list.find((r) => r["id"] === "bug:1090417")).toEqual({
    id: "bug:1090417",
    bug: 1090417,
    title: "xen-utils-4.19: xendomains fails to save domUs on shutdown",
    package: null,
    // Merged with 1090233, which the BTS's "marked as done" in its log closed: merged bugs share one state.
    state: "done",
    severity: null,
    topics: [],
    messages: 4,
    // From the forcemerge seen in the mail: no BTS answer yet.
    mergedWith: [1090233],
    stateFrom: "mail",
    firstDate: "2025-03-10T20:04:33.000Z",
    lastDate: "2025-03-12T18:40:02.000Z",
  });

  const shown = await run("--db", db, "show", "1090417");
  const expectedFile = join(process.cwd(), "fixtures", "expected", "show-bug-1090417.txt");
  if (process.env["UPDATE_EXPECTED"]) writeFileSync(expectedFile, shown.stdout);
  expect(shown).toEqual({ code: 0, stdout: readFileSync(expectedFile, "utf8"), stderr: "" });

  expect(await run("--db", db, "show", "bug:1")).toEqual({
    code: 1,
    stdout: "",
    stderr: "xen-triage: no report bug:1 (see `xen-triage reports`)\n",
  });
});

test("--config: the BTS endpoint and archived bugs from the file; XEN_TRIAGE_BTS_URL wins over it", async () => {
  const server = await startReplayServer(loadRecordedAnswers(join(process.cwd(), "fixtures", "bts")));
  const config = join(dir, "xen-triage.yml");
  try {
    // archived: true asks get_bugs(src, xen, archive, both): only that recorded answer exists for it.
    writeFileSync(config, `bts:\n  url: ${server.url}\n  archived: true\n`);
    const r = await run("--db", db, "--config", config, "--json", "ingest", "bts:src:xen");
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify({ messages: 10, new: 10, reports: 2, rejected: [] })}\n`, stderr: "" });

    writeFileSync(config, "bts:\n  url: http://127.0.0.1:9/cgi-bin/soap.cgi\n");
    process.env["XEN_TRIAGE_BTS_URL"] = server.url;
    const again = await run("--db", db, "--config", config, "--json", "ingest", "bts:bug:1090417");
    expect(again.code).toBe(0);
    expect(server.requests).toEqual({ get_bugs: 1, get_status: 2, get_bug_log: 2 });
  } finally {
    delete process.env["XEN_TRIAGE_BTS_URL"];
    await server.close();
  }
});

test("--config with a bad field: exit 2, the file and the field named", async () => {
  const config = join(dir, "xen-triage.yml");
  writeFileSync(config, "bts:\n  archived: sometimes\n");
  expect(await run("--db", db, "--config", config, "reports")).toEqual({
    code: 2,
    stdout: "",
    stderr: `xen-triage: --config ${config}: bts.archived: Invalid input: expected boolean, received string\n`,
  });
});

test("--db falls back to XEN_TRIAGE_DB", async () => {
  process.env["XEN_TRIAGE_DB"] = db;
  try {
    await run("ingest", join(fixtures, "crlf.mbox"));
    const r = await run("--json", "reports");
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(1);
  } finally {
    delete process.env["XEN_TRIAGE_DB"];
  }
});

test("duplicates: suggestions above the threshold in text, --top K in JSON as DESIGN.md shows, usage errors exit 2", async () => {
  const sets = join(process.cwd(), "fixtures", "duplicates");
  expect((await run("--db", db, "ingest", join(sets, "tune.mbox"))).code).toBe(0);
  const triaged = await run("--db", db, "--json", "triage");
  expect(JSON.parse(triaged.stdout).duplicates).toEqual({ documents: 54, queried: 54, suggestions: 1 });
  const text = await run("--db", db, "duplicates");
  const expectedFile = join(process.cwd(), "fixtures", "expected", "duplicates-tune.txt");
  if (process.env["UPDATE_EXPECTED"]) writeFileSync(expectedFile, text.stdout);
  expect(text).toEqual({ code: 0, stdout: readFileSync(expectedFile, "utf8"), stderr: "" });

  const top = await run("--db", db, "--json", "duplicates", "--top", "2");
  const list = JSON.parse(top.stdout) as { report: string; candidates: { report: string; score: number; control: string | null }[] }[];
  expect(list.length).toBe(53);
  expect(list.find((l) => l.report === "bug:1096037")?.candidates.map(({ report, score, control }) => ({ report, score, control }))).toEqual([
    { report: "bug:1096036", score: expect.any(Number), control: "forcemerge 1096036 1096037\nthanks" },
    expect.objectContaining({ report: expect.stringMatching(/^bug:/) }),
  ]);

  expect(await run("--db", db, "duplicates", "--top", "0")).toEqual({ code: 2, stdout: "", stderr: "xen-triage: --top 0: expected a positive whole number\n" });
  expect(await run("--db", db, "eval", "duplicates", "--reports", join(dir, "none.csv"), "--pairs", join(sets, "tune-pairs.csv"))).toEqual({
    code: 2,
    stdout: "",
    stderr: `xen-triage: ${join(dir, "none.csv")}: no such file\n`,
  });
});

test("publish against a GitHub stand-in (GITHUB_API_URL, GITHUB_TOKEN): N reports, N issues and one dashboard; the second run writes nothing", async () => {
  const { startGitHubStandIn } = await import("../helpers/github-stand-in.js");
  const standIn = await startGitHubStandIn();
  const saved = { token: process.env["GITHUB_TOKEN"], url: process.env["GITHUB_API_URL"], repo: process.env["GITHUB_REPOSITORY"] };
  try {
    expect((await run("--db", db, "ingest", join(fixtures, "pkg-xen-devel-2025-March.txt"), join(fixtures, "bts-bug-1090233.mbox"))).code).toBe(0);
    expect((await run("--db", db, "triage")).code).toBe(0);
    expect(await run("--db", db, "publish")).toEqual({
      code: 2,
      stdout: "",
      stderr: "xen-triage: publish: no repository: give --repo OWNER/NAME or set GITHUB_REPOSITORY\n",
    });
    expect(await run("--db", db, "publish", "--repo", "debian-xen-team/triage")).toEqual({
      code: 2,
      stdout: "",
      stderr: "xen-triage: publish: GITHUB_TOKEN is not set (or use --dry-run)\n",
    });
    process.env["GITHUB_TOKEN"] = "stand-in-token";
    process.env["GITHUB_API_URL"] = standIn.url;
    process.env["GITHUB_REPOSITORY"] = "debian-xen-team/triage";
    const first = await run("--db", db, "--json", "publish");
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as { issues: { created: number }; dashboard: string };
    expect({ created: result.issues.created, dashboard: result.dashboard }).toEqual({ created: 6, dashboard: "created" });
    expect(standIn.issues.size).toBe(7);
    const writes = standIn.writes();
    const second = await run("--db", db, "publish");
    expect(second).toEqual({
      code: 0,
      stdout: "Published to debian-xen-team/triage: 0 issues created, 0 updated, 0 closed, 0 reopened, 6 unchanged; dashboard unchanged\n",
      stderr: "",
    });
    expect(standIn.writes()).toBe(writes);
  } finally {
    for (const [k, v] of [["GITHUB_TOKEN", saved.token], ["GITHUB_API_URL", saved.url], ["GITHUB_REPOSITORY", saved.repo]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await standIn.close();
  }
  // Octokit spaces writes a second apart, as GitHub asks of integrations: eight writes take eight seconds.
}, 120_000);
