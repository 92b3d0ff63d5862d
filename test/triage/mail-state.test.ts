import type { ControlCommand } from "../../src/mail/message.js";
import { parseControlLine } from "../../src/mail/control-commands.js";
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
  expect([...states.values()].sort((a, b) => a.bug - b.bug)).toEqual([
    { bug: 1090233, mergedWith: [1090417], mergeSeen: true, package: null, severity: "important", done: false, tags: ["confirmed"], asOf: "2025-03-28T09:00:00.000Z" },
    { bug: 1090417, mergedWith: [1090233], mergeSeen: true, package: null, severity: null, done: null, tags: ["patch"], asOf: "2025-03-28T09:00:00.000Z" },
    { bug: 1090500, mergedWith: [], mergeSeen: true, package: "src:qemu", severity: null, done: null, tags: [], asOf: "2025-03-20T10:00:00.000Z" },
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
