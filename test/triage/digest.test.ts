import type { ControlCommand, Message } from "../../src/mail/message.js";
import { controlsFromDoneMail, parseControlLine } from "../../src/mail/control-commands.js";
import { assembleDigest, controlsIn, reportActivity, sinceTime } from "../../src/triage/digest.js";
import { candidate, report } from "../helpers/reports.js";

const week = { since: "2025-03-10T00:00:00.000Z", until: "2025-03-17T00:00:00.000Z" };
/** Commands as a `Control:` line to bug 1090233 gives them (`-1` is that bug). */
const cmds = (...lines: string[]): ControlCommand[] => lines.map((l) => parseControlLine(l, "pseudo-header", 1090233)!);

/**
 * A stored message with what the digest reads of it; the rest empty. Unless given, its controls are the
 * close its recipients and subject make, as parsing gives it (controlsFromDoneMail).
 */
function msg(date: string | null, extra: Partial<Message> = {}): Message {
  const m: Message = {
    id: `m-${date}-${extra.subject ?? ""}`,
    source: "test",
    position: "message 1",
    date,
    fromName: "Someone",
    fromAddress: "someone@example.org",
    to: [],
    cc: [],
    subject: "Bug#1090233: xendomains",
    normalizedSubject: "xendomains",
    inReplyTo: null,
    references: [],
    bugs: [1090233],
    bugRefs: [],
    controls: [],
    body: "",
    ownText: "",
    warnings: [],
    ...extra,
  };
  if (!extra.controls) m.controls = controlsFromDoneMail(m.subject, `${m.fromName} <${m.fromAddress}>`, [...m.to, ...m.cc], m.body);
  return m;
}

test("sinceTime: spans back from now, dates at midnight UTC, anything else null", () => {
  const now = "2026-11-27T08:00:00.000Z";
  expect(
    ["7d", "2w", "36h", " 7d ", "2024-02-01", "2024-02-01T12:00:00Z", "2024-02-01T12:00:00+02:00", "7", "7m", "-7d", "yesterday", "2024-13-45", "", "2024-2-1"].map((v) => [v, sinceTime(v, now)]),
  ).toEqual([
    ["7d", "2026-11-20T08:00:00.000Z"],
    ["2w", "2026-11-13T08:00:00.000Z"],
    ["36h", "2026-11-25T20:00:00.000Z"],
    [" 7d ", "2026-11-20T08:00:00.000Z"],
    ["2024-02-01", "2024-02-01T00:00:00.000Z"],
    ["2024-02-01T12:00:00Z", "2024-02-01T12:00:00.000Z"],
    ["2024-02-01T12:00:00+02:00", "2024-02-01T10:00:00.000Z"],
    ["7", null],
    ["7m", null],
    ["-7d", null],
    ["yesterday", null],
    ["2024-13-45", null],
    ["", null],
    ["2024-2-1", null],
  ]);
});

test("reportActivity: people's messages in the period (not the BTS's notices), and the last close by -done mail, notice or command", () => {
  const messages = [
    msg("2025-03-09T23:59:59.000Z"),
    msg("2025-03-10T00:00:00.000Z"),
    msg("2025-03-12T10:00:00.000Z", { subject: "Re: Bug#1090233: xendomains" }),
    // The BTS's own acknowledgement is not discussion.
    msg("2025-03-12T10:00:05.000Z", { subject: "Bug#1090233: Acknowledgement (xendomains)", fromAddress: "owner@bugs.debian.org" }),
    msg("2025-03-17T00:00:00.000Z"),
    msg(null),
  ];
  expect(reportActivity(1090233, messages, week)).toEqual({ messagesInPeriod: 2, writers: ["Someone"], closedAt: null, fixedIn: null });
  // Names of who wrote, once each and never an address; someone who gives none is left out.
  const named = [
    msg("2025-03-11T10:00:00.000Z", { fromName: "Ada  Greenhill" }),
    msg("2025-03-11T11:00:00.000Z", { fromName: "jo@example.org" }),
    msg("2025-03-11T12:00:00.000Z", { fromName: null }),
    msg("2025-03-11T13:00:00.000Z", { fromName: "Tomas Varga" }),
    msg("2025-03-11T14:00:00.000Z", { fromName: "Ada Greenhill" }),
  ];
  expect(reportActivity(1090233, named, week).writers).toEqual(["Ada Greenhill", "Tomas Varga"]);

  const done = msg("2025-03-14T09:00:00.000Z", { to: ["1090233-Done@bugs.debian.org"] });
  const notice = msg("2025-03-14T09:00:03.000Z", { subject: "Bug#1090233: marked as done (xendomains)", fromAddress: "owner@bugs.debian.org" });
  const command = msg("2025-03-15T09:00:00.000Z", { controls: cmds("close -1 4.17.5-1") });
  const otherBug = msg("2025-03-16T09:00:00.000Z", { to: ["1090417-done@bugs.debian.org"], controls: cmds("close 1090417") });
  // The archive's mail to -close@ says which upload fixed it; the notice after it does not take that away.
  const upload = msg("2025-03-14T08:59:00.000Z", { subject: "Bug#1090233: fixed in xen 4.17.5-1", to: ["1090233-close@bugs.debian.org"], fromAddress: "ftpmaster@ftp-master.debian.org" });
  expect(reportActivity(1090233, [done], week)).toEqual({ messagesInPeriod: 1, writers: ["Someone"], closedAt: "2025-03-14T09:00:00.000Z", fixedIn: null });
  expect(reportActivity(1090233, [upload, notice], week)).toEqual({ messagesInPeriod: 0, writers: [], closedAt: "2025-03-14T09:00:03.000Z", fixedIn: "xen 4.17.5-1" });
  const quoting = msg(notice.date, { subject: notice.subject, fromAddress: notice.fromAddress, body: "This is an automatic notification from the Debian bug tracking system.\n\nThe message dated Fri, 14 Mar 2025 08:59:00 +0000\nwith message-id <x@ftp-master.example.org>\nand subject line Bug#1090233: fixed in xen 4.17.5-1\nhas caused the Debian Bug report #1090233,\n" });
  expect(reportActivity(1090233, [quoting], week)).toEqual({ messagesInPeriod: 0, writers: [], closedAt: "2025-03-14T09:00:03.000Z", fixedIn: "xen 4.17.5-1" });
  expect(reportActivity(1090233, [command, done, otherBug], week)).toEqual({ messagesInPeriod: 3, writers: ["Someone"], closedAt: "2025-03-15T09:00:00.000Z", fixedIn: "4.17.5-1" });
  // A list thread has no bug to close.
  expect(reportActivity(null, [done, notice], week)).toEqual({ messagesInPeriod: 1, writers: ["Someone"], closedAt: null, fixedIn: null });
});

test("controlsIn: the period's commands oldest first, bugs as numbers, a transcript's echo of a command listed once", () => {
  expect(
    controlsIn(
      [
        { date: "2025-03-12T18:40:03.000Z", controls: cmds("forcemerge   1090417 1090233") },
        { date: "2025-03-12T18:40:02.000Z", controls: cmds("forcemerge 1090417 1090233", "severity 1090417 important") },
        { date: "2025-03-11T08:00:00.000Z", controls: cmds("reassign -1 src:xen 4.17.3-1") },
        { date: "2025-03-09T08:00:00.000Z", controls: cmds("tags 1090233 + moreinfo") },
        { date: null, controls: cmds("close 1090233") },
        { date: "2025-03-17T00:00:00.000Z", controls: cmds("close 1090417") },
        // A mail to -done@ is listed as closed, not as a command.
        { date: "2025-03-13T08:00:00.000Z", controls: [{ verb: "close", bugs: [1090233], args: "", line: "close 1090233", via: "done-mail" }] },
      ],
      week,
    ),
  ).toEqual([
    { date: "2025-03-11T08:00:00.000Z", line: "reassign 1090233 src:xen 4.17.3-1", bugs: [1090233] },
    { date: "2025-03-12T18:40:02.000Z", line: "forcemerge 1090417 1090233", bugs: [1090417, 1090233] },
    { date: "2025-03-12T18:40:02.000Z", line: "severity 1090417 important", bugs: [1090417] },
  ]);
});

test("assembleDigest: new, closed, discussed, needs a human, topics; quiet when nothing happened and nothing waits", () => {
  const reports = [
    report("bug:1", "old and quiet", { firstDate: "2024-01-01T00:00:00.000Z", lastDate: "2024-02-01T00:00:00.000Z", topics: [{ topic: "qemu", score: 0.9 }] }),
    report("bug:2", "old, discussed", { firstDate: "2024-01-01T00:00:00.000Z", lastDate: "2025-03-12T00:00:00.000Z", messages: 9, topics: [{ topic: "init", score: 0.8 }] }),
    report("bug:3", "old, closed this week", { firstDate: "2024-05-01T00:00:00.000Z", lastDate: "2025-03-14T00:00:00.000Z", state: "done", messages: 4 }),
    report("bug:4", "new and closed", { firstDate: "2025-03-11T00:00:00.000Z", lastDate: "2025-03-13T00:00:00.000Z", state: "done", messages: 2, topics: [{ topic: "build", score: 0.7 }] }),
    report("thread:a@x", "new thread", { bug: null, package: null, severity: null, state: null, firstDate: "2025-03-15T00:00:00.000Z", lastDate: "2025-03-16T00:00:00.000Z", messages: 3 }),
    report("bug:5", "old, no topic, discussed", { firstDate: "2023-01-01T00:00:00.000Z", lastDate: "2025-03-13T00:00:00.000Z", messages: 5 }),
    report("bug:6", "closed long ago, one late reply", { firstDate: "2023-01-01T00:00:00.000Z", lastDate: "2025-03-13T00:00:00.000Z", state: "archived", messages: 6 }),
    report("bug:7", "after the period", { firstDate: "2025-03-20T00:00:00.000Z", lastDate: "2025-03-20T00:00:00.000Z", topics: [{ topic: "init", score: 0.8 }] }),
  ];
  const activity = new Map([
    ["bug:2", { messagesInPeriod: 2, writers: [], closedAt: null, fixedIn: null }],
    ["bug:3", { messagesInPeriod: 1, writers: [], closedAt: "2025-03-14T00:00:00.000Z", fixedIn: null }],
    ["bug:4", { messagesInPeriod: 2, writers: [], closedAt: "2025-03-13T00:00:00.000Z", fixedIn: null }],
    ["thread:a@x", { messagesInPeriod: 3, writers: [], closedAt: null, fixedIn: null }],
    ["bug:5", { messagesInPeriod: 4, writers: [], closedAt: null, fixedIn: null }],
    ["bug:6", { messagesInPeriod: 1, writers: [], closedAt: "2023-06-01T00:00:00.000Z", fixedIn: null }],
  ]);
  const suggestions = [{ report: "bug:5", title: "old, no topic, discussed", candidates: [candidate("bug:2", "old, discussed", 0.81)] }];
  const d = assembleDigest({ window: week, reports, activity, controls: [], suggestions });
  const ids = (list: { id: string }[]) => list.map((r) => r.id);
  expect({
    totals: d.totals,
    newReports: ids(d.newReports),
    closed: d.closed.map((r) => [r.id, r.closedAt]),
    discussed: d.discussed.map((r) => [r.id, r.messagesInPeriod, r.state]),
    needsHuman: ids(d.needsHuman),
    topics: d.topics,
    quiet: d.quiet,
  }).toEqual({
    totals: { reports: 8, open: 5 },
    newReports: ["bug:4", "thread:a@x"],
    closed: [
      ["bug:4", "2025-03-13T00:00:00.000Z"],
      ["bug:3", "2025-03-14T00:00:00.000Z"],
    ],
    // Most mail first; an archived bug with a late reply is discussed, not closed again.
    discussed: [
      ["bug:5", 4, "open"],
      ["bug:2", 2, "open"],
      ["bug:6", 1, "archived"],
    ],
    needsHuman: ["thread:a@x", "bug:5"],
    topics: [
      { topic: "init", open: 2, new: 0 },
      { topic: "qemu", open: 1, new: 0 },
      { topic: "build", open: 0, new: 1 },
    ],
    quiet: false,
  });
  expect(d.newReports[1]).toEqual({
    id: "thread:a@x",
    bug: null,
    title: "new thread",
    package: null,
    severity: null,
    state: "open",
    topics: [],
    messagesInPeriod: 3,
    messages: 3,
    writers: [],
    firstDate: "2025-03-15T00:00:00.000Z",
    lastDate: "2025-03-16T00:00:00.000Z",
  });

  const nothing = assembleDigest({ window: week, reports, activity: new Map(), controls: [], suggestions: [] });
  expect([nothing.quiet, nothing.newReports.length, nothing.discussed.length]).toEqual([false, 2, 0]);
  const later = { since: "2025-04-01T00:00:00.000Z", until: "2025-04-08T00:00:00.000Z" };
  expect(assembleDigest({ window: later, reports, activity: new Map(), controls: [], suggestions: [] }).quiet).toBe(true);
  // A decision still waiting is worth a digest even in a quiet week.
  expect(assembleDigest({ window: later, reports, activity: new Map(), controls: [], suggestions }).quiet).toBe(false);
});

test("controlsIn with the store's bugs: a transcript of a mass filing against other packages is not the team's news", () => {
  const events = [
    { date: "2025-03-11T08:00:00.000Z", controls: cmds("severity 1043628 important", "forcemerge 1090417 1043629", "tags 1043630 + ftbfs") },
  ];
  expect(controlsIn(events, week, new Set([1090417, 1090233])).map((c) => c.line)).toEqual(["forcemerge 1090417 1043629"]);
  expect(controlsIn(events, week).length).toBe(3);
});
