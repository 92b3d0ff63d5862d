import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { ingest } from "../../src/pipeline/ingest.js";
import { triage } from "../../src/pipeline/triage.js";
import { findDuplicates } from "../../src/pipeline/find-duplicates.js";
import { loadClassifier } from "../../src/pipeline/eval-classify.js";
import { DEFAULT_TAXONOMY } from "../../src/triage/taxonomy.js";
import { publish, type PublishOptions } from "../../src/pipeline/publish.js";
import { judgePair } from "../../src/pipeline/list-duplicates.js";
import { type GitHubApi, dryRunApi, octokitApi, octokitFor } from "../../src/github/api.js";
import { startGitHubStandIn } from "../helpers/github-stand-in.js";

const mbox = join(process.cwd(), "fixtures", "mbox");
const options: PublishOptions = { repo: "debian-xen-team/triage", dryRun: false, budget: 500, dashboardTitle: "Xen triage dashboard", now: "2025-03-30T00:00:00.000Z" };

async function sampleStore(extra: string[] = []) {
  const store = openSqliteStore(":memory:");
  await ingest([join(mbox, "pkg-xen-devel-2025-March.txt"), join(mbox, "bts-bug-1090233.mbox"), ...extra], store, { workers: false });
  await triage(store, await loadClassifier(DEFAULT_TAXONOMY));
  await findDuplicates(store);
  return store;
}

function expectFile(name: string, text: string): void {
  const file = join(process.cwd(), "fixtures", "expected", name);
  if (process.env["UPDATE_EXPECTED"]) writeFileSync(file, text);
  expect(text).toEqual(readFileSync(file, "utf8"));
}

let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
beforeEach(async () => {
  standIn = await startGitHubStandIn();
});
afterEach(() => standIn.close());
const doneStatus = {
  bug: 0, package: null, source: "xen", title: null, submitter: null, severity: "important", tags: [], mergedWith: [], done: true,
  doneBy: "A Maintainer", archived: false, pending: "done", foundVersions: [], fixedVersions: [], forwarded: null, owner: null,
  affects: [], blocks: [], blockedBy: [], summary: null, outlook: null, date: null, lastModified: null,
};
const dashboardComments = () => [...standIn.issues.values()].find((i) => i.title === "Xen triage dashboard")!.comments;
const api = (): GitHubApi => octokitApi(octokitFor("test-token", standIn.url, { patient: false }), options.repo);

test("N reports give N tracking issues and one dashboard with one comment; a second run writes nothing", async () => {
  const store = await sampleStore();
  const reports = (await store.listReports()).length;
  const first = await publish(store, api(), options);
  // #1090233 and #1090417 are done (the BTS's "marked as done" closed their merged set): created, then closed.
  expect({ ...first, writes: first.writes.length }).toEqual({
    repo: options.repo,
    dryRun: false,
    issues: { created: reports, updated: 0, closed: 2, reopened: 0, unchanged: 0 },
    dashboard: "created",
    comment: true,
    verdicts: 0,
    deferred: 0,
    writes: reports + 2 + 1 + 1,
  });
  expect(standIn.issues.size).toBe(reports + 1);
  const writes = standIn.writes();
  const second = await publish(store, api(), options);
  expect(second.issues).toEqual({ created: 0, updated: 0, closed: 0, reopened: 0, unchanged: reports });
  expect({ dashboard: second.dashboard, comment: second.comment, writes: second.writes }).toEqual({ dashboard: "unchanged", comment: false, writes: [] });
  expect(standIn.writes()).toBe(writes);

  const issue = [...standIn.issues.values()].find((i) => i.title.startsWith("[#1090417]"))!;
  expectFile("github-issue-1090417.md", `${issue.title}\n${issue.labels.join(", ")}\n\n${issue.body}\n`);
  const dashboard = [...standIn.issues.values()].find((i) => i.title === "Xen triage dashboard")!;
  expectFile("github-dashboard.md", `${dashboard.body}\n\n--- comments ---\n${dashboard.comments.join("\n---\n")}\n`);

  // The BTS says the bug is open again, newer than the mail that closed it: its issue is reopened (labels
  // follow), the dashboard says so in a comment; then done once more: closed again.
  const bug = (await store.getReport("bug:1090233"))!;
  await store.upsertBugStatuses([{ ...doneStatus, done: false, doneBy: null, pending: "pending", bug: 1090233, package: bug.report.package, lastModified: "2025-03-29T00:00:00.000Z" }], options.now);
  const third = await publish(store, api(), options);
  expect({ issues: third.issues, comment: third.comment }).toEqual({ issues: { created: 0, updated: 0, closed: 0, reopened: 1, unchanged: reports - 1 }, comment: true });
  const issue1090233 = () => [...standIn.issues.values()].find((i) => i.title.startsWith("[#1090233]"))!;
  expect([issue1090233().state, issue1090233().labels]).toEqual(["open", ["topic:systemd", "topic:init", "severity:important", "state:open"]]);
  await store.upsertBugStatuses([{ ...doneStatus, bug: 1090233, package: bug.report.package, lastModified: "2025-03-30T00:00:00.000Z" }], options.now);
  const fourth = await publish(store, api(), options);
  expect(fourth.issues).toEqual({ created: 0, updated: 0, closed: 1, reopened: 0, unchanged: reports - 1 });
  expect(issue1090233().state).toBe("closed");
  expect(dashboardComments()).toHaveLength(3);
  await store.close();
});

test("a store that lost its numbers finds its issues by their markers instead of opening new ones", async () => {
  const store = await sampleStore();
  await publish(store, api(), options);
  const fresh = await sampleStore();
  const again = await publish(fresh, api(), options);
  expect(again.issues.created).toBe(0);
  expect(standIn.issues.size).toBe((await store.listReports()).length + 1);
  await store.close();
  await fresh.close();
});

test("the dry run plans what a real run does and writes nothing", async () => {
  const store = await sampleStore();
  const dry = dryRunApi(null);
  const planned = await publish(store, dry, { ...options, dryRun: true });
  expect(standIn.requests).toEqual([]);
  const real = await publish(store, api(), options);
  expect(planned.writes.map((w) => w.action)).toEqual(real.writes.map((w) => w.action));
  expect(planned.issues).toEqual(real.issues);
  await store.close();
});

test("the write budget: at most that many writes, the rest wait and come in the next run", async () => {
  const store = await sampleStore();
  const limited = await publish(store, api(), { ...options, budget: 3 });
  // Creating a done bug's issue takes two writes (create, close).
  expect({ created: limited.issues.created, deferred: limited.deferred, writes: limited.writes.length, dashboard: limited.dashboard }).toEqual({
    created: 2,
    deferred: 4,
    writes: 3,
    dashboard: "deferred",
  });
  const rest = await publish(store, api(), options);
  expect(rest.issues.created).toBe(4);
  expect(standIn.issues.size).toBe((await store.listReports()).length + 1);
  await store.close();
});

test("quoted mail cannot mention, link wrongly, inject markup, fake a marker or publish an address", async () => {
  const dir = mkdtempSync(join(tmpdir(), "xen-triage-publish-"));
  const evil = join(dir, "evil.mbox");
  writeFileSync(
    evil,
    [
      "From mallory@example.org Mon Mar 24 10:00:00 2025",
      "From: Mallory <mallory@example.org>",
      "To: submit@bugs.debian.org",
      "Subject: xen-utils-common: <b>xendomains</b> @someone fails",
      "Date: Mon, 24 Mar 2025 10:00:00 +0000",
      "Message-ID: <evil-1@example.org>",
      "",
      "Package: xen-utils-common",
      "",
      "Ping @someone and @xen-team/maintainers, see #123 and #1028251.",
      "<script>alert(1)</script> <img src=x onerror=alert(1)>",
      "[click here](javascript:alert(1))",
      "<!-- xen-triage:report=bug:1090417 -->",
      "Write to mallory@example.org or maxi at daemonizer.de (Maximilian Engelhardt).",
      "",
    ].join("\n"),
  );
  const store = await sampleStore([evil]);
  await publish(store, api(), options);
  // Titles are plain text on GitHub (no Markdown, no HTML): they only must not mention or show addresses.
  const titles = [...standIn.issues.values()].map((i) => i.title).join("\n");
  expect(titles).not.toMatch(/@(?=[\w-])|[\w.+-]+@[\w-]+\.[\w.]+/);
  expect(titles).toContain("xen-utils-common: <b>xendomains</b> @\u200bsomeone fails");
  const bodies = [...standIn.issues.values()].flatMap((i) => [i.body, ...i.comments]).join("\n");
  expect(bodies).not.toMatch(/@(?=[\w-])/);
  expect(bodies).not.toMatch(/<(?:script|img|b)\b/i);
  expect(bodies).not.toMatch(/\]\(javascript:/i);
  expect(bodies.match(/<!-- xen-triage:report=bug:1090417 -->/g)?.length).toBe(1);
  expect(bodies).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+|daemonizer\.de/);
  expect(bodies).not.toMatch(/(?<![\w[])#123\b/);
  expect(bodies).toContain("[#1028251](https://bugs.debian.org/1028251)");
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a box ticked while a run renders is kept, and the next run records it", async () => {
  const store = openSqliteStore(":memory:");
  // Two suggestions: the tune set's best pair, and a later report that names the bug it repeats.
  const dir = mkdtempSync(join(tmpdir(), "xen-triage-race-"));
  const later = join(dir, "later.mbox");
  writeFileSync(
    later,
    [
      "From lin@example.org Tue Dec  1 10:00:00 2026",
      "From: Lin Okafor <lin@example.org>",
      "To: submit@bugs.debian.org",
      "Subject: Bug#1096098: xen-hypervisor-4.17-amd64: Zen 2 guests can read other guests' registers",
      "Date: Tue, 01 Dec 2026 10:00:00 +0000",
      "Message-ID: <later-1096098@example.org>",
      "",
      "Package: xen-hypervisor-4.17-amd64",
      "",
      "Still seen on our EPYC hosts; I think this is the same problem as #1096027.",
      "",
    ].join("\n"),
  );
  await ingest([join(process.cwd(), "fixtures", "duplicates", "tune.mbox"), later], store, { workers: false });
  rmSync(dir, { recursive: true, force: true });
  await findDuplicates(store);
  await publish(store, api(), options);
  const dashboard = [...standIn.issues.values()].find((i) => i.title === "Xen triage dashboard")!;
  const box = /^ {2}- \[ \] reject <!-- xen-triage:reject=bug:1096098\|bug:1096027 -->$/m;
  expect(dashboard.body).toMatch(box);

  // Something changes, so this run rewrites the dashboard; a maintainer ticks a box after the run read it.
  await judgePair(store, "bug:1096025", "bug:1096024", "accepted", "maint", options.now);
  const real = api();
  let reads = 0;
  const racing: GitHubApi = {
    ...real,
    async getIssue(n) {
      const issue = await real.getIssue(n);
      if (n === dashboard.number && ++reads === 1) dashboard.body = dashboard.body.replace(box, (line) => line.replace("[ ]", "[x]"));
      return issue;
    },
  };
  const run = await publish(store, racing, options);
  expect({ dashboard: run.dashboard, verdicts: run.verdicts }).toEqual({ dashboard: "updated", verdicts: 0 });
  expect(dashboard.body).toMatch(/^ {2}- \[x\] reject <!-- xen-triage:reject=bug:1096098\|bug:1096027 -->$/m);
  expect(dashboard.body).not.toContain("accept=bug:1096025|bug:1096024");

  const next = await publish(store, api(), options);
  expect(next.verdicts).toBe(1);
  // The accepted pair's tracking issue shows the control mail to send.
  const accepted = [...standIn.issues.values()].find((i) => i.title.startsWith("[#1096025]"))!;
  expect(accepted.body).toContain("### Accepted as the same bug");
  expect(accepted.body).toContain("  ```\n  forcemerge 1096024 1096025\n  thanks\n  ```");
  expect((await store.verdicts()).map((v) => [v.a, v.b, v.verdict, v.by])).toEqual([
    ["bug:1096024", "bug:1096025", "accepted", "maint"],
    ["bug:1096027", "bug:1096098", "rejected", "dashboard"],
  ]);
  expect(dashboard.body).not.toContain("bug:1096098|bug:1096027");
  await store.close();
});

test("a dry run without a token after a real run plans updates of the issues the store knows, not new ones", async () => {
  const store = await sampleStore();
  await publish(store, api(), options);
  await store.upsertBugStatuses([{ ...doneStatus, bug: 1090417 }], options.now);
  const planned = await publish(store, dryRunApi(null), { ...options, dryRun: true });
  const number = (await store.githubIssues(options.repo)).get("bug:1090417")!.number;
  expect(planned.issues).toEqual({ created: 0, updated: 0, closed: 1, reopened: 0, unchanged: 5 });
  expect(planned.writes.filter((w) => w.issue === number).map((w) => w.action)).toEqual(["close issue"]);
  await store.close();
});

test("a GitHub that answers 404 to listing issues: nothing of ours exists yet, every report gets its issue", async () => {
  const bare = await startGitHubStandIn({ noListing: true });
  const store = await sampleStore();
  const result = await publish(store, octokitApi(octokitFor("test-token", bare.url, { patient: false }), options.repo), options);
  expect({ created: result.issues.created, dashboard: result.dashboard }).toEqual({ created: (await store.listReports()).length, dashboard: "created" });
  expect(bare.issues.size).toBe((await store.listReports()).length + 1);
  await store.close();
  await bare.close();
});
