import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { ingest } from "../../src/pipeline/ingest.js";
import { findDuplicates } from "../../src/pipeline/find-duplicates.js";
import { judgePair, listDuplicates } from "../../src/pipeline/list-duplicates.js";
import { evalDuplicates } from "../../src/pipeline/eval-duplicates.js";
import type { BugStatus } from "../../src/sources/bts/bug-status.js";

const sets = join(process.cwd(), "fixtures", "duplicates");

/** Compare with fixtures/expected/NAME (UPDATE_EXPECTED=1 rewrites it). */
function expectFile(name: string, value: unknown): void {
  const file = join(process.cwd(), "fixtures", "expected", name);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env["UPDATE_EXPECTED"]) writeFileSync(file, text);
  expect(text).toEqual(readFileSync(file, "utf8"));
}

async function tuneStore() {
  const store = openSqliteStore(":memory:");
  await ingest([join(sets, "tune.mbox")], store, { workers: false });
  return store;
}

test("triage finds candidates for every report once; the suggestions, with their control blocks, as expected", async () => {
  const store = await tuneStore();
  expect(await findDuplicates(store)).toEqual({ documents: 54, queried: 54, suggestions: 1 });
  expect(await findDuplicates(store)).toEqual({ documents: 0, queried: 0, suggestions: 1 });
  expectFile("duplicates-tune.json", await listDuplicates(store));
  const top = await listDuplicates(store, { top: 3 });
  expect(top.length).toBe(53);
  expect(top.every((l) => l.candidates.length >= 1 && l.candidates.length <= 3)).toBe(true);
  await store.close();
});

test("evidence shows the query report's own words, never a stem, also for reports searched again in a later run", async () => {
  const store = await tuneStore();
  await findDuplicates(store);
  // A reply to the oldest report: every report is searched again, with only that document rebuilt.
  const dir = mkdtempSync(join(tmpdir(), "xen-triage-dups-"));
  const reply = join(dir, "reply.mbox");
  const oldest = (await store.listReports()).reduce((a, b) => ((a.firstDate ?? "") <= (b.firstDate ?? "") ? a : b));
  writeFileSync(
    reply,
    ["From ada@example.org Tue Dec  1 10:00:00 2026", "From: Ada Greenhill <ada@example.org>", `To: ${oldest.bug}@bugs.debian.org`,
      `Subject: Re: Bug#${oldest.bug}: ${oldest.title}`, "Date: Tue, 01 Dec 2026 10:00:00 +0000", "Message-ID: <reply-oldest@example.org>", "", "Still there.", ""].join("\n"),
  );
  await ingest([reply], store, { workers: false });
  expect(await findDuplicates(store)).toMatchObject({ documents: 1, queried: 54 });
  const lists = await listDuplicates(store, { top: 3 });
  // The query's words: runs of letters (camel humps apart), runs of digits, and whole chunks (paths,
  // package names, versions), in lower case. A stem such as "upgrad" or "guest" for "guests" is none.
  const wordsOf = (text: string): Set<string> => {
    const chunks = text.split(/[^\w.\-/:+~]+/).map((c) => c.replace(/^[.:/-]+|[.:/-]+$/g, ""));
    // An acronym's plural stands for its singular ("vCPUs" is the term "cpu").
    const humps = text.split(/(?<=[a-z])(?=[A-Z])|[^A-Za-z]+/).map((w) => (/^[A-Z]{2,}s$/.test(w) ? w.slice(0, -1) : w));
    return new Set([...humps, ...text.split(/[^0-9]+/), ...chunks, ...chunks.flatMap((c) => c.split(/[/:]+/))].map((w) => w.toLowerCase()));
  };
  const notWritten: string[] = [];
  for (const l of lists) {
    const full = await store.getReport(l.report);
    const words = wordsOf([l.title, ...full!.messages.map((m) => m.ownText)].join("\n"));
    for (const c of l.candidates) for (const t of [...c.evidence.titleTerms, ...c.evidence.sharedTerms]) if (!words.has(t)) notWritten.push(`${l.report}: ${t}`);
  }
  expect(notWritten).toEqual([]);
  expect(lists.flatMap((l) => l.candidates.flatMap((c) => [...c.evidence.titleTerms, ...c.evidence.sharedTerms])).length).toBeGreaterThan(500);
  rmSync(dir, { recursive: true, force: true });
  await store.close();
});

test("a new report is searched, older ones are not; the stored ranking serves --top up to 10, more is computed afresh and agrees", async () => {
  const store = await tuneStore();
  await findDuplicates(store);
  const stored = await listDuplicates(store, { top: 10 });
  const fresh = await listDuplicates(store, { top: 11 });
  expect(fresh.map((l) => ({ ...l, candidates: l.candidates.slice(0, 10) }))).toEqual(stored);
  const dir = mkdtempSync(join(tmpdir(), "xen-triage-dups-"));
  const late = join(dir, "late.mbox");
  writeFileSync(
    late,
    [
      "From ada@example.org Tue Dec  1 10:00:00 2026",
      "From: Ada Greenhill <ada@example.org>",
      "To: submit@bugs.debian.org",
      "Subject: Bug#1096099: xen-utils-common: bash completion file for xl clashes with xen-utils-4.14 on upgrade",
      "Date: Tue, 01 Dec 2026 10:00:00 +0000",
      "Message-ID: <late-1096099@example.org>",
      "",
      "Package: xen-utils-common",
      "",
      "Upgrading from bullseye, dpkg stops: trying to overwrite '/usr/share/bash-completion/completions/xl'.",
      "",
    ].join("\n"),
  );
  await ingest([late], store, { workers: false });
  // Only the new report is searched: it is the newest, so no older report can gain it as a candidate.
  expect(await findDuplicates(store)).toEqual({ documents: 1, queried: 1, suggestions: 1 });
  // Its best candidate is the bug it repeats, three and a half years on: ranked first, but below the threshold.
  expect((await listDuplicates(store, { top: 1 })).find((l) => l.report === "bug:1096099")?.candidates.map((c) => [c.report, c.score])).toEqual([["bug:1096024", 0.176]]);
  rmSync(dir, { recursive: true, force: true });
  await store.close();
});

test("a rejected pair never comes back; an accepted one leaves the suggestions too; unknown reports are refused", async () => {
  const store = await tuneStore();
  await findDuplicates(store);
  const before = await listDuplicates(store);
  const first = before[0]!;
  await judgePair(store, first.candidates[0]!.report, first.report, "rejected", "maint", "2026-11-01T00:00:00.000Z");
  const after = await listDuplicates(store);
  expect(after).toEqual(before.slice(1));
  await findDuplicates(store, { all: true });
  expect((await listDuplicates(store, { top: 10 })).find((l) => l.report === first.report)?.candidates.map((c) => c.report)).not.toContain(first.candidates[0]!.report);
  expect(await store.verdicts()).toEqual([{ a: first.candidates[0]!.report, b: first.report, verdict: "rejected", by: "maint", at: "2026-11-01T00:00:00.000Z" }]);
  await expect(judgePair(store, "bug:1", first.report, "accepted", null)).rejects.toThrow("no report bug:1");
  await expect(judgePair(store, first.report, first.report, "accepted", null)).rejects.toThrow("not a duplicate of itself");
  await store.close();
});

test("merge plans come from the bugs' synced state: different packages get a reassign, a done bug is named", async () => {
  const store = await tuneStore();
  const base: BugStatus = {
    bug: 0, package: "xen-utils-common", source: "xen", title: null, submitter: null, severity: "normal", tags: [], mergedWith: [],
    done: false, doneBy: null, archived: false, pending: null, foundVersions: [], fixedVersions: [], forwarded: null, owner: null,
    affects: [], blocks: [], blockedBy: [], summary: null, outlook: null, date: null, lastModified: null,
  };
  await store.upsertBugStatuses(
    [
      { ...base, bug: 1096024, date: "2023-06-20T10:00:00.000Z" },
      { ...base, bug: 1096025, package: "xen-utils-4.17", done: true, doneBy: "someone", date: "2023-06-26T10:00:00.000Z" },
    ],
    "2026-11-01T00:00:00.000Z",
  );
  await findDuplicates(store);
  const pair = (await listDuplicates(store)).find((l) => l.report === "bug:1096025")!.candidates[0]!;
  expect({ report: pair.report, control: pair.control, bts: pair.bts, effects: pair.effects }).toMatchInlineSnapshot(`
{
  "bts": "bts reassign 1096025 xen-utils-common , forcemerge 1096024 1096025",
  "control": "reassign 1096025 xen-utils-common
forcemerge 1096024 1096025
thanks",
  "effects": [
    "#1096025 would move from xen-utils-4.17 to xen-utils-common",
    "would reopen #1096025 (closed by someone)",
  ],
  "report": "bug:1096024",
}
`);
  await store.close();
});

test("eval duplicates on our check set: the whole result", async () => {
  expectFile("duplicates-eval-check.json", await evalDuplicates(join(sets, "check.mbox"), join(sets, "check-pairs.csv")));
});
