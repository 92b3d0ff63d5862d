import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli as run } from "../helpers/run-cli.js";

const fixtures = join(process.cwd(), "fixtures", "mbox");
const sample = [join(fixtures, "pkg-xen-devel-2025-March.txt"), join(fixtures, "bts-bug-1090233.mbox")];
let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xen-triage-digest-"));
  db = join(dir, "t.sqlite");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Compare with fixtures/expected/NAME (UPDATE_EXPECTED=1 rewrites it). */
function expectedFile(name: string, text: string): string {
  const file = join(process.cwd(), "fixtures", "expected", name);
  if (process.env["UPDATE_EXPECTED"]) writeFileSync(file, text);
  return readFileSync(file, "utf8");
}

test("digest of the sample's mid-March week as text; --json gives the same digest as data; a quiet week says so", async () => {
  expect((await run("--db", db, "ingest", ...sample)).code).toBe(0);
  expect((await run("--db", db, "triage")).code).toBe(0);
  const text = await run("--db", db, "digest", "--since", "2025-03-10", "--until", "2025-03-20", "--format", "text");
  expect(text).toEqual({ code: 0, stdout: expectedFile("digest-sample.txt", text.stdout), stderr: "" });

  const json = await run("--db", db, "--json", "digest", "--since", "2025-03-10", "--until", "2025-03-20");
  const d = JSON.parse(json.stdout);
  expect({
    window: d.window,
    totals: d.totals,
    newReports: d.newReports.map((r: { id: string; messagesInPeriod: number }) => [r.id, r.messagesInPeriod]),
    closed: d.closed.map((r: { id: string }) => r.id),
    discussed: d.discussed.map((r: { id: string; messagesInPeriod: number }) => [r.id, r.messagesInPeriod]),
    controls: d.controls,
    quiet: d.quiet,
  }).toEqual({
    window: { since: "2025-03-10T00:00:00.000Z", until: "2025-03-20T00:00:00.000Z" },
    // #1090233's log has the BTS's "marked as done" (late March), which closes its merged set, #1090417 too.
    totals: { reports: 6, open: 4 },
    newReports: [
      ["bug:1090417", 3],
      [expect.stringMatching(/^thread:/), 3],
    ],
    closed: [],
    discussed: [["bug:1090233", 1]],
    // Dated by the `Control:` line that sent it, not by the BTS's transcript that echoed it hours later.
    controls: [{ date: "2025-03-12T09:03:27.000Z", line: "forcemerge 1090417 1090233", bugs: [1090417, 1090233] }],
    quiet: false,
  });

  const quiet = await run("--db", db, "digest", "--since", "2025-06-01", "--until", "2025-06-08", "--format", "md");
  expect(quiet).toEqual({
    code: 0,
    stdout: "# Xen triage digest, 2025-06-01 to 2025-06-07\n\nNothing new from 2025-06-01 to 2025-06-07: no new mail, no control commands, no duplicate suggestion waiting. 6 reports in all, 4 open.\n",
    stderr: "",
  });
});

test("digest: a bad --since, --until or --format is a usage error that names it", async () => {
  const usage = (message: string) => ({ code: 2, stdout: "", stderr: `xen-triage: ${message}\n` });
  expect(await run("--db", db, "digest", "--since", "last week")).toEqual(usage("--since last week: give a span (7d, 2w, 36h) or a date (2024-02-01)"));
  expect(await run("--db", db, "digest", "--since", "2025-03-10", "--until", "2025-03-01")).toEqual(usage("--until 2025-03-01: the period would end before it starts (2025-03-10)"));
  expect(await run("--db", db, "digest", "--since", "2999-01-01")).toEqual(usage("--since 2999-01-01: the period would start after it ends (now)"));
  expect(await run("--db", db, "digest", "--until", "soon")).toEqual(usage("--until soon: give a date (2024-03-01) or a span back from now (1d)"));
  expect(await run("--db", db, "digest", "--format", "pdf")).toEqual(usage("--format pdf: expected one of md, text, html, email"));
  const config = join(dir, "bad.yml");
  writeFileSync(config, "digest:\n  format: pdf\n");
  expect(await run("--db", db, "--config", config, "digest")).toEqual(usage(`--config ${config}: digest.format: Invalid option: expected one of "md"|"text"|"html"|"email"`));
});

test("run: ingests the configured sources, triages, prints only the digest on stdout (steps on stderr), and publishes when a repository is set", async () => {
  const config = join(dir, "xen-triage.yml");
  writeFileSync(config, `sources:\n${sample.map((s) => `  - ${s}\n`).join("")}digest:\n  since: 2025-03-10\n  format: text\n  from: Xen triage <triage@example.org>\n`);
  const saved = process.env["GITHUB_REPOSITORY"];
  delete process.env["GITHUB_REPOSITORY"];
  try {
    const first = await run("--db", db, "--config", config, "run");
    expect(first.code).toBe(0);
    expect(first.stderr.split("\n").filter((l) => /^(\d+ messages read|publish:)/.test(l))).toEqual([
      "22 messages read (21 new) from 2 sources; 6 reports; 0 rejected",
      "publish: no repository (--repo, GITHUB_REPOSITORY or github.repo), nothing published",
    ]);
    // The same digest `digest` prints for the same period.
    const digest = await run("--db", db, "--config", config, "digest");
    expect(first.stdout).toBe(digest.stdout);
    expect(first.stdout).toMatch(/^Xen triage digest, 2025-03-10 to \d{4}-\d{2}-\d{2}\n/);

    // A quiet period: nothing on stdout, so cron sends no mail.
    const quiet = await run("--db", db, "--config", config, "run", "--since", "1d");
    expect([quiet.code, quiet.stdout]).toEqual([0, ""]);

    const json = await run("--db", db, "--config", config, "--json", "run", "--dry-run", "--repo", "debian-xen-team/triage", "--format", "email");
    const r = JSON.parse(json.stdout);
    expect({ code: json.code, stderr: json.stderr, ingest: r.ingest, triaged: r.triage.reports, quiet: r.digest.quiet, publish: [r.publish.repo, r.publish.dryRun, r.publish.issues.created, r.publish.dashboard] }).toEqual({
      code: 0,
      stderr: "",
      ingest: { messages: 22, new: 0, reports: 6, rejected: [] },
      triaged: 6,
      quiet: false,
      publish: ["debian-xen-team/triage", true, 6, "created"],
    });

    const none = join(dir, "empty.yml");
    writeFileSync(none, "digest:\n  since: 7d\n");
    expect(await run("--db", db, "--config", none, "run")).toEqual({ code: 2, stdout: "", stderr: "xen-triage: run: no `sources` in the config file (give --config FILE)\n" });
  } finally {
    if (saved !== undefined) process.env["GITHUB_REPOSITORY"] = saved;
  }
});
