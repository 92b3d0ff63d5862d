import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseMessage } from "../../src/mail/parse-message.js";
import { renderDigest } from "../../src/render/digest.js";
import { addressHeader, encodeWords, mailDate, quotedPrintable } from "../../src/render/digest-email.js";
import { SECTION_LIMIT, digestDocument } from "../../src/render/digest-sections.js";
import { wrap } from "../../src/render/digest-text.js";
import { plainLine } from "../../src/render/sanitize.js";
import { assembleDigest } from "../../src/triage/digest.js";
import { candidate, report } from "../helpers/reports.js";

/** Compare with fixtures/expected/NAME (UPDATE_EXPECTED=1 rewrites it). */
function expectFile(name: string, text: string): void {
  const file = join(process.cwd(), "fixtures", "expected", name);
  if (process.env["UPDATE_EXPECTED"]) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, "utf8"));
}

const week = { since: "2025-03-10T00:00:00.000Z", until: "2025-03-17T00:00:00.000Z" };
const mail = { from: "Xen triage <triage@example.org>", to: "pkg-xen-devel@alioth-lists.debian.net", date: "2025-03-17T06:00:00.000Z" };
/** A title written to do harm: mentions, an issue reference, markup, a script, a link, addresses, a bidi override. */
const HOSTILE = "@xen-team/maintainers and @maxi: see #12 <script>alert(1)</script> [x](javascript:alert(1)) from maxi at daemonizer.de or <jo@example.org> \u202Egnp.exe";

const reports = [
  report("bug:1090417", "xen-utils-4.19: xendomains fails to save domUs on shutdown", {
    firstDate: "2025-03-12T09:00:00.000Z", lastDate: "2025-03-14T10:00:00.000Z", messages: 4, severity: "important",
    topics: [{ topic: "systemd", score: 0.9 }, { topic: "init", score: 0.7 }],
  }),
  report("bug:1090499", HOSTILE, { firstDate: "2025-03-13T09:00:00.000Z", lastDate: "2025-03-13T09:00:00.000Z", package: "xen-utils-common", topics: [{ topic: "toolstack", score: 0.6 }] }),
  report("thread:20250314.1@example.org", "qemu-system-xen in trixie pulls libraries from unstable", {
    bug: null, package: null, severity: null, state: null, firstDate: "2025-03-14T08:00:00.000Z", lastDate: "2025-03-15T08:00:00.000Z", messages: 3,
  }),
  report("bug:1090233", "xen-utils-4.17: xendomains does not save domUs on shutdown under systemd", {
    state: "done", firstDate: "2025-01-15T09:00:00.000Z", lastDate: "2025-03-15T12:00:00.000Z", messages: 8, severity: "important", topics: [{ topic: "systemd", score: 0.8 }],
  }),
  report("bug:1085000", "xen-hypervisor-4.17-amd64: dom0 hangs with ucode=scan on an old AMD box", {
    firstDate: "2024-11-02T09:00:00.000Z", lastDate: "2025-03-11T09:00:00.000Z", messages: 6, package: "xen-hypervisor-4.17-amd64", topics: [{ topic: "boot", score: 0.7 }],
  }),
];
const activity = new Map([
  ["bug:1090417", { messagesInPeriod: 4, writers: [], closedAt: null, fixedIn: null }],
  ["bug:1090499", { messagesInPeriod: 1, writers: [], closedAt: null, fixedIn: null }],
  ["thread:20250314.1@example.org", { messagesInPeriod: 3, writers: [], closedAt: null, fixedIn: null }],
  ["bug:1090233", { messagesInPeriod: 2, writers: [], closedAt: "2025-03-15T12:00:00.000Z", fixedIn: "xen 4.17.5-1" }],
  ["bug:1085000", { messagesInPeriod: 2, writers: ["Ada Greenhill", "Jo Doe"], closedAt: null, fixedIn: null }],
]);
const suggestion = {
  ...candidate("bug:1090233", "xen-utils-4.17: xendomains does not save domUs on shutdown under systemd", 0.914),
  control: "reopen 1090233\nforcemerge 1090233 1090417\nthanks",
  bts: "bts reopen 1090233 , forcemerge 1090233 1090417",
  why: ["master #1090233: older"],
  effects: ["reopens #1090233 (done): the merged bugs share one state"],
};
const digest = assembleDigest({
  window: week,
  reports,
  activity,
  controls: [
    { date: "2025-03-12T18:40:02.000Z", line: "severity 1090417 important", bugs: [1090417] },
    { date: "2025-03-13T08:00:00.000Z", line: "owner 1090417 Jo Doe <jo@example.org>", bugs: [1090417] },
  ],
  suggestions: [{ report: "bug:1090417", title: "xen-utils-4.19: xendomains fails to save domUs on shutdown", candidates: [suggestion] }],
});

test.each([
  ["md", "digest.md"],
  ["text", "digest.txt"],
  ["html", "digest.html"],
  ["email", "digest.eml"],
] as const)("the digest as %s is the expected file", (format, file) => {
  expectFile(file, renderDigest(digest, format, mail));
});

test("nothing any format writes names an address, pings anyone, or carries markup from mail", () => {
  for (const format of ["md", "text", "html", "email"] as const) {
    const out = renderDigest(digest, format, mail);
    const body = format === "email" ? out.split("\n\n").slice(1).join("\n\n") : out;
    expect([format, body]).not.toEqual([format, expect.stringMatching(/jo@example\.org|daemonizer\.de|maxi at|\u202E/)]);
  }
  const md = renderDigest(digest, "md", mail);
  expect(md).not.toMatch(/(^|[^\u200B\\])@(xen-team|maxi)/);
  expect(md).not.toMatch(/<script|\]\(javascript:/);
  const html = renderDigest(digest, "html", mail);
  expect(html).not.toMatch(/<script|href="javascript:/);
  expect(html.match(/href="[^"]*"/g)!.every((h) => /^href="https:\/\/bugs\.debian\.org\/\d+"$/.test(h))).toBe(true);
});

test("the mail reads back, through our own parser, as the plain-text digest", () => {
  const eml = renderDigest(digest, "email", mail);
  const parsed = parseMessage(Buffer.from(eml), { source: "digest.eml", index: 1, offset: 0, separator: null });
  expect({ subject: parsed.subject, date: parsed.date, warnings: parsed.warnings, body: parsed.body.trimEnd() }).toEqual({
    subject: "[xen-triage] Xen triage digest, 2025-03-10 to 2025-03-16",
    date: "2025-03-17T06:00:00.000Z",
    warnings: [],
    body: renderDigest(digest, "text", mail).trimEnd(),
  });
  expect(eml.split("\n").every((l) => l.length <= 76 || /^(Content-Type|Message-ID):/.test(l))).toBe(true);
});

test("a quiet period says so in one line; a long section is cut with a count", () => {
  const quiet = assembleDigest({ window: { since: "2025-04-01T00:00:00.000Z", until: "2025-04-08T00:00:00.000Z" }, reports, activity: new Map(), controls: [], suggestions: [] });
  expect(renderDigest(quiet, "text", mail)).toBe(
    "Xen triage digest, 2025-04-01 to 2025-04-07\n===========================================\n\n" +
      "Nothing new from 2025-04-01 to 2025-04-07: no new mail, no control\ncommands, no duplicate suggestion waiting. 5 reports in all, 4 open.\n",
  );
  const many = Array.from({ length: SECTION_LIMIT + 7 }, (_, k) => report(`bug:${1091000 + k}`, `report ${k}`, { firstDate: "2025-03-11T00:00:00.000Z" }));
  const doc = digestDocument(assembleDigest({ window: week, reports: many, activity: new Map(), controls: [], suggestions: [] }));
  expect(doc.sections.map((s) => [s.heading, s.items.length, s.more])).toEqual([
    [`New reports (${SECTION_LIMIT + 7})`, SECTION_LIMIT, 7],
    [`Needs a human (${SECTION_LIMIT + 7})`, SECTION_LIMIT, 7],
  ]);
  expect(renderDigest(assembleDigest({ window: week, reports: many, activity: new Map(), controls: [], suggestions: [] }), "md", mail)).toContain(
    `- [#${1091000 + SECTION_LIMIT - 1}](https://bugs.debian.org/${1091000 + SECTION_LIMIT - 1}) report ${SECTION_LIMIT - 1} — src:xen, normal; 1 message\n- and 7 more\n`,
  );
});

test("mail pieces: quoted-printable, encoded words, RFC 5322 dates, wrapping, plain lines", () => {
  expect(quotedPrintable("a=b café \nend  \n" + "x".repeat(80))).toBe(`a=3Db caf=C3=A9=20\nend =20\n${"x".repeat(75)}=\n${"x".repeat(5)}`);
  expect(encodeWords("plain ASCII")).toBe("plain ASCII");
  expect(encodeWords("Xen digest – März")).toBe("=?UTF-8?B?WGVuIGRpZ2VzdCDigJMgTcOkcno=?=");
  expect(mailDate("2025-03-02T06:05:04.000Z")).toBe("Sun, 2 Mar 2025 06:05:04 +0000");
  expect(["Xen triage <t@example.org>", '"Équipe Xen" <t@example.org>', "Équipe\nXen <t@example.org>"].map(addressHeader)).toEqual([
    "Xen triage <t@example.org>",
    "=?UTF-8?B?w4lxdWlwZSBYZW4=?= <t@example.org>",
    "=?UTF-8?B?w4lxdWlwZSBYZW4=?= <t@example.org>",
  ]);
  expect(wrap("one two three", "* ", "  ")).toEqual(["* one two three"]);
  expect(wrap(`${"a".repeat(70)} b ${"c".repeat(80)}`, "* ", "  ")).toEqual([`* ${"a".repeat(70)}`, "  b", `  ${"c".repeat(80)}`]);
  expect(plainLine("Jo <jo@example.org>, maxi at daemonizer.de; error at xl.cfg line 3\n next")).toBe("Jo [address hidden], [address hidden]; error at xl.cfg line 3 next");
});
