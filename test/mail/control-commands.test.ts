import {
  controlsFromControlMail,
  controlsFromPseudoHeaders,
  controlsFromTranscript,
  leadingPseudoHeaderLines,
  parseControlLine,
} from "../../src/mail/control-commands.js";
import type { ControlCommand } from "../../src/mail/message.js";

type Cmd = Omit<ControlCommand, "via">;
const cmd = (verb: string, bugs: number[], args: string, line: string): Cmd => ({ verb, bugs, args, line });
const via = (v: ControlCommand["via"], list: Cmd[]): ControlCommand[] => list.map((c) => ({ ...c, via: v }));

describe("parseControlLine", () => {
  const rows: Array<[string, number | undefined, Cmd | null]> = [
    // line, self, expected (via "control-mail")
    ["merge 1039422 1029998", undefined, cmd("merge", [1039422, 1029998], "", "merge 1039422 1029998")],
    ["forcemerge 1039422 1029998 1031245", undefined, cmd("forcemerge", [1039422, 1029998, 1031245], "", "forcemerge 1039422 1029998 1031245")],
    ["forcemerge #1039422 #1029998", undefined, cmd("forcemerge", [1039422, 1029998], "", "forcemerge #1039422 #1029998")],
    ["forcemerge -1 1029998", 1039422, cmd("forcemerge", [1039422, 1029998], "", "forcemerge -1 1029998")],
    ["unmerge 1029998", undefined, cmd("unmerge", [1029998], "", "unmerge 1029998")],
    ["reassign 1090233 src:xen 4.17.3+10-g091466ba55-1~deb12u1", undefined, cmd("reassign", [1090233], "src:xen 4.17.3+10-g091466ba55-1~deb12u1", "reassign 1090233 src:xen 4.17.3+10-g091466ba55-1~deb12u1")],
    ["reassign -1 qemu-system-xen", 1090233, cmd("reassign", [1090233], "qemu-system-xen", "reassign -1 qemu-system-xen")],
    ["severity 1090233 serious", undefined, cmd("severity", [1090233], "serious", "severity 1090233 serious")],
    ["priority 1090233 important", undefined, cmd("severity", [1090233], "important", "priority 1090233 important")],
    ["tags 1090233 + confirmed patch", undefined, cmd("tags", [1090233], "+ confirmed patch", "tags 1090233 + confirmed patch")],
    ["tag -1 moreinfo", 1090233, cmd("tags", [1090233], "moreinfo", "tag -1 moreinfo")],
    ["TAGS 1090233 - moreinfo", undefined, cmd("tags", [1090233], "- moreinfo", "TAGS 1090233 - moreinfo")],
    ["close 1090233 4.17.3+10-g091466ba55-1", undefined, cmd("close", [1090233], "4.17.3+10-g091466ba55-1", "close 1090233 4.17.3+10-g091466ba55-1")],
    ["close 1090233 4", undefined, cmd("close", [1090233], "4", "close 1090233 4")],
    ["close 1090233", undefined, cmd("close", [1090233], "", "close 1090233")],
    ["reopen 1090233", undefined, cmd("reopen", [1090233], "", "reopen 1090233")],
    ["found 1090233 xen/4.17.2+76-ge1f9cb16e2-1", undefined, cmd("found", [1090233], "xen/4.17.2+76-ge1f9cb16e2-1", "found 1090233 xen/4.17.2+76-ge1f9cb16e2-1")],
    ["notfound -1 xen/4.14.5+94-ge49571868d-1", 1090233, cmd("notfound", [1090233], "xen/4.14.5+94-ge49571868d-1", "notfound -1 xen/4.14.5+94-ge49571868d-1")],
    ["fixed 1090233 4.17.3+10-g091466ba55-1", undefined, cmd("fixed", [1090233], "4.17.3+10-g091466ba55-1", "fixed 1090233 4.17.3+10-g091466ba55-1")],
    ["notfixed 1090233 4.17.3+10-g091466ba55-1", undefined, cmd("notfixed", [1090233], "4.17.3+10-g091466ba55-1", "notfixed 1090233 4.17.3+10-g091466ba55-1")],
    ["retitle 1090233 xen: xendomains does not save guests on shutdown", undefined, cmd("retitle", [1090233], "xen: xendomains does not save guests on shutdown", "retitle 1090233 xen: xendomains does not save guests on shutdown")],
    ["retitle 1090233 32 bit PV guests fail to start", undefined, cmd("retitle", [1090233], "32 bit PV guests fail to start", "retitle 1090233 32 bit PV guests fail to start")],
    ["affects 1090233 + qemu-system-xen xen-utils-4.17", undefined, cmd("affects", [1090233], "+ qemu-system-xen xen-utils-4.17", "affects 1090233 + qemu-system-xen xen-utils-4.17")],
    ["block 1090233 by 1090100 1090101", undefined, cmd("block", [1090233, 1090100, 1090101], "", "block 1090233 by 1090100 1090101")],
    ["block 1090233 with 1090100,1090101", undefined, cmd("block", [1090233, 1090100, 1090101], "", "block 1090233 with 1090100,1090101")],
    ["unblock -1 by 1090100", 1090233, cmd("unblock", [1090233, 1090100], "", "unblock -1 by 1090100")],
    ["block 1090100 by -1", 1090233, cmd("block", [1090100, 1090233], "", "block 1090100 by -1")],
    ["submitter 1090233 Ada Greenhill <ada@example.org>", undefined, cmd("submitter", [1090233], "Ada Greenhill <ada@example.org>", "submitter 1090233 Ada Greenhill <ada@example.org>")],
    ["forwarded 1090233 https://lists.xenproject.org/archives/html/xen-devel/2024-02/msg00123.html", undefined, cmd("forwarded", [1090233], "https://lists.xenproject.org/archives/html/xen-devel/2024-02/msg00123.html", "forwarded 1090233 https://lists.xenproject.org/archives/html/xen-devel/2024-02/msg00123.html")],
    ["notforwarded 1090233", undefined, cmd("notforwarded", [1090233], "", "notforwarded 1090233")],
    ["owner 1090233 !", undefined, cmd("owner", [1090233], "!", "owner 1090233 !")],
    ["noowner 1090233", undefined, cmd("noowner", [1090233], "", "noowner 1090233")],
    ["summary 1090233 12", undefined, cmd("summary", [1090233], "12", "summary 1090233 12")],
    ["outlook 1090233 fixed upstream, waiting for 4.17.4", undefined, cmd("outlook", [1090233], "fixed upstream, waiting for 4.17.4", "outlook 1090233 fixed upstream, waiting for 4.17.4")],
    ["archive 1090233", undefined, cmd("archive", [1090233], "", "archive 1090233")],
    ["unarchive 957422", undefined, cmd("unarchive", [957422], "", "unarchive 957422")],
    ["clone 1090233 -2 -3", undefined, cmd("clone", [1090233], "-2 -3", "clone 1090233 -2 -3")],
    ["clone -1 -2", 1090233, cmd("clone", [1090233], "-2", "clone -1 -2")],
    ["  forcemerge\t1039422   1029998  ", undefined, cmd("forcemerge", [1039422, 1029998], "", "forcemerge 1039422 1029998")],
    // not commands
    ["reassign -1 qemu-system-xen", undefined, null],
    ["tags", undefined, null],
    ["merge the two reports please", undefined, null],
    ["thanks", undefined, null],
    ["Package: xen-utils-4.17", undefined, null],
    ["user debian-xen@lists.debian.org", undefined, null],
    ["close 12345678", undefined, null],
    ["", undefined, null],
  ];
  test.each(rows)("%j (self %p)", (line, self, expected) => {
    expect(parseControlLine(line, "control-mail", self)).toEqual(expected === null ? null : { ...expected, via: "control-mail" });
  });
});

describe("leadingPseudoHeaderLines", () => {
  const rows: Array<[string, string[]]> = [
    ["Package: xen-utils-4.17\nVersion: 4.17.3+10-g091466ba55-1~deb12u1\nSeverity: important\n\nDear Maintainer,", ["Package: xen-utils-4.17", "Version: 4.17.3+10-g091466ba55-1~deb12u1", "Severity: important"]],
    ["\n\nControl: tags -1 + moreinfo\n\nHi,", ["Control: tags -1 + moreinfo"]],
    ["Hi Ada,\n\nControl: tags -1 + moreinfo", []],
    ["-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nControl: severity -1 serious\n\nThis breaks upgrades.", ["Control: severity -1 serious"]],
  ];
  test.each(rows)("%j", (body, expected) => {
    expect(leadingPseudoHeaderLines(body)).toEqual(expected);
  });
});

describe("controlsFromPseudoHeaders", () => {
  const rows: Array<[string, string, number | undefined, Cmd[]]> = [
    [
      "one Control: line",
      "Control: forcemerge 1039422 1029998\n\nBoth are about the systemd units.\n",
      1039422,
      [cmd("forcemerge", [1039422, 1029998], "", "forcemerge 1039422 1029998")],
    ],
    [
      "several, mixed with reportbug's pseudo-headers",
      [
        "Package: xen-utils-common",
        "Version: 4.17.3+10-g091466ba55-1~deb12u1",
        "Control: tags -1 + patch",
        "control: affects -1 xen-hypervisor-4.17-amd64",
        "Severity: normal",
        "CONTROL: block -1 by 1090100",
        "",
        "Dear Maintainer,",
        "Control: close -1",
      ].join("\n"),
      1090233,
      [
        cmd("tags", [1090233], "+ patch", "tags -1 + patch"),
        cmd("affects", [1090233], "xen-hypervisor-4.17-amd64", "affects -1 xen-hypervisor-4.17-amd64"),
        cmd("block", [1090233, 1090100], "", "block -1 by 1090100"),
      ],
    ],
    [
      "-1 without a known bug",
      "Control: severity -1 serious\nControl: merge 1039422 1029998\n",
      undefined,
      [cmd("merge", [1039422, 1029998], "", "merge 1039422 1029998")],
    ],
    ["Control: later in the body is no pseudo-header", "Hi,\n\nControl: close -1\n", 1090233, []],
    ["no pseudo-headers", "On Mon, 3 Mar 2025, Ada wrote:\n> Control: close -1\n", 1090233, []],
    [
      "clearsigned mail",
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nControl: reassign -1 src:qemu 1:8.2.1+ds-1\n\nqemu's bug.\n-----BEGIN PGP SIGNATURE-----\n\niQIz\n-----END PGP SIGNATURE-----\n",
      1090233,
      [cmd("reassign", [1090233], "src:qemu 1:8.2.1+ds-1", "reassign -1 src:qemu 1:8.2.1+ds-1")],
    ],
  ];
  test.each(rows)("%s", (_name, body, self, expected) => {
    expect(controlsFromPseudoHeaders(body, self)).toEqual(via("pseudo-header", expected));
  });
});

describe("controlsFromControlMail", () => {
  const rows: Array<[string, string, Cmd[]]> = [
    [
      "until thanks",
      "# both are the missing systemd units\nforcemerge 1039422 1029998\ntags 1039422 + pending\nthanks\n\nclose 1039422\n",
      [
        cmd("forcemerge", [1039422, 1029998], "", "forcemerge 1039422 1029998"),
        cmd("tags", [1039422], "+ pending", "tags 1039422 + pending"),
      ],
    ],
    [
      "thank you, with leading blank lines and indentation",
      "\n\n  severity 1090233 important\n  retitle 1090233 xen: vif-bridge ignores mtu\nThank you.\nseverity 1090233 wishlist\n",
      [
        cmd("severity", [1090233], "important", "severity 1090233 important"),
        cmd("retitle", [1090233], "xen: vif-bridge ignores mtu", "retitle 1090233 xen: vif-bridge ignores mtu"),
      ],
    ],
    ["quit", "reassign 1090233 src:xen\nquit\nreassign 1090233 qemu\n", [cmd("reassign", [1090233], "src:xen", "reassign 1090233 src:xen")]],
    ["stop", "close 1090233\nstop\nreopen 1090233\n", [cmd("close", [1090233], "", "close 1090233")]],
    [
      "a signature stops it",
      "found 1090233 4.17.2+76-ge1f9cb16e2-1\n-- \nAda Greenhill\nmerge 1 2\n",
      [cmd("found", [1090233], "4.17.2+76-ge1f9cb16e2-1", "found 1090233 4.17.2+76-ge1f9cb16e2-1")],
    ],
    [
      "no stop word: to the end; prose and comments ignored",
      "Hello control,\n# unmerge 1039422\nunmerge 1029998\nThanks for the quick fix!\nnotfixed 1029998 4.17.3+10-g091466ba55-1\n",
      [
        cmd("unmerge", [1029998], "", "unmerge 1029998"),
        cmd("notfixed", [1029998], "4.17.3+10-g091466ba55-1", "notfixed 1029998 4.17.3+10-g091466ba55-1"),
      ],
    ],
    ["thanks first", "thanks\nclose 1090233\n", []],
  ];
  test.each(rows)("%s", (_name, body, expected) => {
    expect(controlsFromControlMail(body)).toEqual(via("control-mail", expected));
  });
});

describe("controlsFromTranscript", () => {
  const rows: Array<[string, string, number | undefined, Cmd[]]> = [
    [
      "control@ transcript with forcemerge and a thanks",
      [
        "Processing commands for control@bugs.debian.org:",
        "",
        "> forcemerge 1039422 1029998",
        "Bug #1039422 [src:xen] xen and systemd support",
        "Bug #1029998 [src:xen] xen: please ship systemd units",
        "Severity set to 'wishlist' from 'normal'",
        "Merged 1029998 1039422",
        "> tags 1039422 + pending",
        "Bug #1039422 [src:xen] xen and systemd support",
        "Bug #1029998 [src:xen] xen: please ship systemd units",
        "Added tag(s) pending.",
        "> thanks",
        "Stopping processing here.",
        "",
        "Please contact me if you need assistance.",
        "-- ",
        "1039422: https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1039422",
        "Debian Bug Tracking System",
      ].join("\n"),
      undefined,
      [
        cmd("forcemerge", [1039422, 1029998], "", "forcemerge 1039422 1029998"),
        cmd("tags", [1039422], "+ pending", "tags 1039422 + pending"),
      ],
    ],
    [
      "-1 resolved from the result line",
      [
        "Processing control commands:",
        "",
        "> reassign -1 src:qemu",
        "Bug #1090233 [xen-utils-4.17] qemu-system-xen crashes on HVM reboot",
        "Bug reassigned from package 'xen-utils-4.17' to 'src:qemu'.",
        "",
      ].join("\n"),
      undefined,
      [cmd("reassign", [1090233], "src:qemu", "reassign -1 src:qemu")],
    ],
    [
      "result line of a done bug",
      [
        "Processing control commands:",
        "",
        "> notfound -1 xen/4.14.5+94-ge49571868d-1",
        "Bug #1001234 {Done: Ada Greenhill <ada@example.org>} [xen-utils-common] xendomains: wrong LSB",
        "No longer marked as found in versions xen/4.14.5+94-ge49571868d-1.",
      ].join("\n"),
      undefined,
      [cmd("notfound", [1001234], "xen/4.14.5+94-ge49571868d-1", "notfound -1 xen/4.14.5+94-ge49571868d-1")],
    ],
    [
      "-1 after `by` is the mail's bug, not the one the result line names",
      [
        "Processing control commands:",
        "",
        "> block 1090100 by -1",
        "Bug #1090100 [src:xen] xen: FTBFS with gcc-14",
        "1090100 was not blocked by any bugs.",
        "Added blocking bug(s) of 1090100: 1090233",
      ].join("\n"),
      1090233,
      [cmd("block", [1090100, 1090233], "", "block 1090100 by -1")],
    ],
    [
      "clone, then the clone's -2 and the original's -1",
      [
        "Processing control commands:",
        "",
        "> clone -1 -2",
        "Bug #1090233 [src:xen] xen-utils: xl and qemu both crash on reboot",
        "Bug 1090233 cloned as bug 1090500",
        "> reassign -2 src:qemu",
        "Bug #1090500 [src:xen] xen-utils: xl and qemu both crash on reboot",
        "Bug reassigned from package 'src:xen' to 'src:qemu'.",
        "> block -1 by -2",
        "Bug #1090233 [src:xen] xen-utils: xl and qemu both crash on reboot",
        "Added blocking bug(s) of 1090233: 1090500",
        "",
      ].join("\n"),
      1090233,
      [
        cmd("clone", [1090233], "-2", "clone -1 -2"),
        cmd("reassign", [1090500], "src:qemu", "reassign -2 src:qemu"),
        cmd("block", [1090233, 1090500], "", "block -1 by -2"),
      ],
    ],
    [
      "comments, unknown commands and the end marker",
      [
        "Processing commands for control@bugs.debian.org:",
        "",
        "> # xen bugs that 4.17.3 fixes",
        "> fixed 1090233 4.17.3+10-g091466ba55-1",
        "Bug #1090233 [src:xen] xen: vif-bridge ignores mtu",
        "Marked as fixed in versions xen/4.17.3+10-g091466ba55-1.",
        "> frobnicate 1090233",
        "Unknown command or malformed arguments to command.",
        ">",
        "End of message, stopping processing here.",
      ].join("\n"),
      undefined,
      [cmd("fixed", [1090233], "4.17.3+10-g091466ba55-1", "fixed 1090233 4.17.3+10-g091466ba55-1")],
    ],
    ["no commands", "Processing control commands:\n\n\n-- \n1090233: https://bugs.debian.org/1090233\n", 1090233, []],
  ];
  test.each(rows)("%s", (_name, body, self, expected) => {
    expect(controlsFromTranscript(body, self)).toEqual(via("transcript", expected));
  });
});

test("controlsFromTranscript leaves out the commands the BTS refused", () => {
  const transcript = [
    "Processing commands for control@bugs.debian.org:",
    "",
    "> tags 1090233 confirm",
    "Unknown tag/s: confirm.",
    "Recognized are: patch wontfix moreinfo unreproducible help security.",
    "",
    "> forcemerge 1090233 1090901",
    "Unable to merge bugs because:",
    "package of #1090901 is 'src:qemu' not 'src:xen'",
    "Failed to forcibly merge 1090233: Did not alter merged bugs.",
    "",
    "> severity 1090233 serious",
    "Bug #1090233 [src:xen] xendomains does not save domUs",
    "Severity set to 'serious' from 'important'",
    "> thanks",
  ].join("\n");
  expect(controlsFromTranscript(transcript)).toEqual([
    { verb: "severity", bugs: [1090233], args: "serious", line: "severity 1090233 serious", via: "transcript" },
  ]);
});
