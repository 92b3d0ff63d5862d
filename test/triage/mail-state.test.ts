import type { ControlCommand } from "../../src/mail/message.js";
import { controlsFromDoneMail, parseControlLine } from "../../src/mail/control-commands.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { stateFromControls } from "../../src/triage/mail-state.js";

const cmds = (...lines: string[]): ControlCommand[] => lines.map((l) => parseControlLine(l, "control-mail")!);

test("control commands in date order: merged sets, unmerge, reassign, severity, tags, close and reopen", () => {
  const states = stateFromControls([
    { date: "2025-03-12T18:40:02.000Z", controls: cmds("forcemerge 1090417 1090233") },
    // The same merge echoed by the transcript changes nothing; a later merge joins the whole set.
    { date: "2025-03-12T18:40:03.000Z", controls: cmds("forcemerge 1090417 1090233", "merge 1090233 1090500") },
    { date: "2025-01-20T16:40:04.000Z", controls: cmds("severity 1090233 Important", "tags 1090233 + confirmed moreinfo") },
    { date: "2025-03-20T10:00:00.000Z", controls: cmds("unmerge 1090500", "tags 1090233 - moreinfo", "reassign 1090500 src:qemu 1:9.2+ds-1") },
    { date: "2025-03-27T15:30:05.000Z", controls: cmds("close 1090233 4.17.5-1") },
    { date: "2025-03-28T09:00:00.000Z", controls: cmds("reopen 1090233", "tags 1090417 = patch") },
  ]);
  // Once merged, a command to one bug is a command to its merged set: the close and reopen of 1090233
  // and the tags of 1090417 are both bugs' (the severity came before the merge).
  expect([...states.values()].sort((a, b) => a.bug - b.bug)).toEqual([
    { bug: 1090233, mergedWith: [1090417], mergeSeen: true, package: null, severity: "important", done: false, tags: ["patch"], asOf: "2025-03-28T09:00:00.000Z" },
    { bug: 1090417, mergedWith: [1090233], mergeSeen: true, package: null, severity: null, done: false, tags: ["patch"], asOf: "2025-03-28T09:00:00.000Z" },
    // Merging joined the tags; unmerged, it keeps them.
    { bug: 1090500, mergedWith: [], mergeSeen: true, package: "src:qemu", severity: null, done: null, tags: ["confirmed", "moreinfo"], asOf: "2025-03-20T10:00:00.000Z" },
  ]);
});

test("forcemerge: the first bug's severity and done state go to the others, tags are joined; a plain merge joins tags only", () => {
  const states = stateFromControls([
    { date: "2025-03-01T00:00:00.000Z", controls: cmds("severity 1 serious", "tags 1 + patch", "severity 2 minor", "close 2", "tags 2 + upstream", "severity 3 minor") },
    { date: "2025-03-02T00:00:00.000Z", controls: cmds("forcemerge 1 2", "merge 3 4") },
  ]);
  expect([...states.values()].sort((a, b) => a.bug - b.bug).map((s) => [s.bug, s.severity, s.done, s.tags])).toEqual([
    [1, "serious", null, ["patch", "upstream"]],
    [2, "serious", true, ["patch", "upstream"]],
    [3, "minor", null, []],
    [4, null, null, []],
  ]);
});

test("a mail to N-done@ and the BTS's \"marked as done\" close the bug, and its merged set with it", () => {
  const done = controlsFromDoneMail("Re: Bug#1090233: xendomains", "Maint <maint@example.org>", ["1090233-done@bugs.debian.org", "pkg-xen-devel@example.org"], "Version: 4.17.5-1\n\nFixed upstream.\n");
  const notice = controlsFromDoneMail("Bug#1090500: marked as done (qemu: hang)", "owner@bugs.debian.org (Debian Bug Tracking System)", ["jo@example.org"], "Your message dated ...\n");
  expect([...done, ...notice, ...controlsFromDoneMail("Bug#1090501: marked as done (x)", "Jo <jo@example.org>", [], "")]).toEqual([
    { verb: "close", bugs: [1090233], args: "4.17.5-1", line: "close 1090233 4.17.5-1", via: "done-mail" },
    { verb: "close", bugs: [1090500], args: "", line: "close 1090500", via: "done-mail" },
  ]);
  // The archive's mail names the fixing upload in its subject; the BTS's notice quotes that subject line.
  const upload = controlsFromDoneMail("Bug#1090233: fixed in xen 4.17.5-1", "Debian FTP Masters <ftpmaster@ftp-master.debian.org>", ["1090233-close@bugs.debian.org"], "Source: xen\nSource-Version: 4.17.5-1\n");
  const quoting = controlsFromDoneMail("Bug#1090233: marked as done (xendomains)", "owner@bugs.debian.org (Debian Bug Tracking System)", ["jo@example.org"], "The message dated ...\nand subject line Bug#1090233: fixed in xen 4.17.5-1\nhas caused ...\n");
  expect([...upload, ...quoting].map((c) => c.line)).toEqual(["close 1090233 xen/4.17.5-1", "close 1090233 xen/4.17.5-1"]);
  const states = stateFromControls([
    { date: "2025-03-12T18:40:02.000Z", controls: cmds("forcemerge 1090417 1090233") },
    { date: "2025-03-27T15:30:05.000Z", controls: done },
  ]);
  expect([...states.values()].map((s) => [s.bug, s.done])).toEqual([
    [1090417, true],
    [1090233, true],
  ]);
});

test("the BTS's answer wins when it is newer than the control mail; newer mail wins until the next sync", async () => {
  const store = openSqliteStore(":memory:");
  const status = (bug: number, lastModified: string) => ({
    bug, package: "src:xen", source: "xen", title: `bug ${bug}`, submitter: null, severity: "normal", tags: [], mergedWith: [],
    done: false, doneBy: null, archived: false, pending: "pending", foundVersions: [], fixedVersions: [], forwarded: null,
    owner: null, affects: [], blocks: [], blockedBy: [], summary: null, outlook: null, date: null, lastModified,
  });
  await store.upsertBugStatuses([status(1, "2025-03-01T00:00:00.000Z"), status(2, "2025-05-01T00:00:00.000Z")], "2025-05-02T00:00:00.000Z");
  const mail = stateFromControls([{ date: "2025-04-01T00:00:00.000Z", controls: cmds("forcemerge 1 2", "severity 1 serious", "severity 2 serious") }]);
  await store.replaceMailState([...mail.values()]);
  await store.replaceReports([
    { id: "bug:1", bug: 1, title: "", messageIds: [], firstDate: null, lastDate: null },
    { id: "bug:2", bug: 2, title: "", messageIds: [], firstDate: null, lastDate: null },
  ]);
  const reports = await store.listReports();
  expect(reports.map((r) => ({ id: r.id, severity: r.severity, mergedWith: r.mergedWith, stateFrom: r.stateFrom }))).toEqual([
    { id: "bug:1", severity: "serious", mergedWith: [2], stateFrom: "mail" },
    { id: "bug:2", severity: "normal", mergedWith: [], stateFrom: "bts" },
  ]);
  await store.close();
});
