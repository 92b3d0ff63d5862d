import { bugsFromAddresses, bugsFromSubject, findBugRefs } from "../../src/mail/bug-refs.js";
import type { BugRef } from "../../src/mail/message.js";

describe("findBugRefs", () => {
  const rows: Array<[string, string, string, string[], BugRef[]]> = [
    // name, subject, body, addresses, expected
    ["subject Bug#N:", "Re: Bug#1028251: xen: dom0 boot hangs with 4.17", "", [], [{ bug: 1028251, kind: "subject" }]],
    [
      "two Bug#N in the subject",
      "Bug#1039422: Bug#1029998: xen and systemd support",
      "",
      [],
      [
        { bug: 1039422, kind: "subject" },
        { bug: 1029998, kind: "subject" },
      ],
    ],
    ["bug #N with a space in the subject", "Re: bug #1028251 again", "", [], [{ bug: 1028251, kind: "subject" }]],
    [
      "mail to the bug",
      "",
      "",
      ["1028251@bugs.debian.org", "pkg-xen-devel@lists.alioth.debian.org"],
      [{ bug: 1028251, kind: "address" }],
    ],
    ["mail to N-done", "", "", ["1028251-done@bugs.debian.org"], [{ bug: 1028251, kind: "address" }]],
    [
      "Bug#N in prose",
      "",
      "This is the same problem as Bug#1028251, the init script races systemd.",
      [],
      [{ bug: 1028251, kind: "prose" }],
    ],
    ["bug #N in prose", "", "See bug #1028251 for the details.", [], [{ bug: 1028251, kind: "prose" }]],
    ["bug N without #", "", "Looks like bug 1028251 again.", [], [{ bug: 1028251, kind: "prose" }]],
    [
      "#N in prose",
      "",
      "I think #1028251 and #1029998 are the same thing.\n(#1039422)",
      [],
      [
        { bug: 1028251, kind: "prose" },
        { bug: 1029998, kind: "prose" },
        { bug: 1039422, kind: "prose" },
      ],
    ],
    ["message #59 is not a bug", "", "As I wrote in message #59 of that bug, and in #1234 upstream.", [], []],
    ["https URL", "", "See https://bugs.debian.org/1028251 please.", [], [{ bug: 1028251, kind: "url" }]],
    [
      "bugreport.cgi URL",
      "",
      "http://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1028251",
      [],
      [{ bug: 1028251, kind: "url" }],
    ],
    [
      "bugreport.cgi with msg= and #fragment",
      "",
      "Quoting https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1028251;msg=59 and\nhttps://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1029998#59",
      [],
      [
        { bug: 1028251, kind: "url" },
        { bug: 1029998, kind: "url" },
      ],
    ],
    [
      "bugreport.cgi with other parameters first",
      "",
      "<https://bugs.debian.org/cgi-bin/bugreport.cgi?att=1;bug=1028251;filename=xen.patch>",
      [],
      [{ bug: 1028251, kind: "url" }],
    ],
    ["bare bugreport.cgi", "", "look at bugreport.cgi?bug=1028251 for the log", [], [{ bug: 1028251, kind: "url" }]],
    [
      "address in the body",
      "",
      "Please reply to 1028251@bugs.debian.org, not to me.",
      [],
      [{ bug: 1028251, kind: "address" }],
    ],
    [
      "-done address in the body",
      "",
      "Closing: mail sent to <1028251-done@bugs.debian.org>.",
      [],
      [{ bug: 1028251, kind: "address" }],
    ],
    [
      "pipermail obfuscation",
      "",
      "From: 1028251 at bugs.debian.org\nand Cc: 1029998-submitter at bugs.debian.org",
      [],
      [
        { bug: 1028251, kind: "address" },
        { bug: 1029998, kind: "address" },
      ],
    ],
    [
      "changelog Closes:",
      "",
      "  * Ship systemd units for xenstored and xenconsoled. Closes: #1028251, #1029998",
      [],
      [
        { bug: 1028251, kind: "closes" },
        { bug: 1029998, kind: "closes" },
      ],
    ],
    [
      "closes: without #, and Bug# inside",
      "",
      "  * Fix xendomains LSB header (closes: 1028251)\n  * Drop pygrub. Closes: Bug#1029998",
      [],
      [
        { bug: 1028251, kind: "closes" },
        { bug: 1029998, kind: "closes" },
      ],
    ],
    [
      "one mention, one kind; another mention, another kind",
      "",
      "Closes: #1028251\n\nBy the way, #1028251 also explains the qemu failure.",
      [],
      [
        { bug: 1028251, kind: "closes" },
        { bug: 1028251, kind: "prose" },
      ],
    ],
    [
      "no duplicate (bug, kind), order of the kinds",
      "Bug#1028251: xen: dom0 boot hangs",
      "Bug#1028251 again, see https://bugs.debian.org/1028251 and https://bugs.debian.org/1028251 and Bug#1028251.",
      ["1028251@bugs.debian.org"],
      [
        { bug: 1028251, kind: "subject" },
        { bug: 1028251, kind: "address" },
        { bug: 1028251, kind: "url" },
        { bug: 1028251, kind: "prose" },
      ],
    ],
    ["GitHub-style #12", "", "Fixed upstream in #12 and #345, see PR #6789.", [], []],
    ["colour codes", "", '<span style="color:#ff0000">red</span> <font color=#336699>x</font> color: #cc00ff', [], []],
    [
      "fragments of other sites' URLs",
      "",
      "https://example.org/xen/changes.html#1234567 and https://lists.xenproject.org/archives/html/xen-devel/2024-02/#1028251 and https://salsa.debian.org/xen-team/debian-xen/-/issues/#1029998",
      [],
      [],
    ],
    [
      "GNU debbugs is not Debian's",
      "",
      "Same as https://debbugs.gnu.org/cgi/bugreport.cgi?bug=68511 in Emacs.",
      [],
      [],
    ],
    [
      "version strings",
      "",
      "Works with 4.17.3+10-g091466ba55-1~deb12u1, breaks with 4.17.2+76-ge1f9cb16e2-1 and qemu 1:8.2.1+ds-1; xen-4.17.1065432.",
      [],
      [],
    ],
    [
      "8+ digits",
      "Re: Bug#12345678: nothing",
      "#12345678 and Bug#123456789 and https://bugs.debian.org/12345678 and 12345678@bugs.debian.org, Closes: #12345678",
      ["12345678@bugs.debian.org"],
      [],
    ],
    [
      "other trackers",
      "",
      "Ubuntu has it as LP: #2034567 (also Launchpad bug #2034568), Red Hat as rhbz#2034569, upstream issue #1234570.",
      [],
      [],
    ],
    ["HTML entity", "", "caf&#1234567; and &#12345;", [], []],
    [
      "everything together",
      "Re: [Pkg-xen-devel] Bug#1039422: xen and systemd support",
      [
        "Control: forcemerge 1039422 1029998",
        "",
        "On Sun, 11 Feb 2024, Ada Greenhill wrote:",
        "> see https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1028251;msg=59",
        "",
        "That message #59 of #1028251 is what I meant; mail 1029998 at bugs.debian.org.",
      ].join("\n"),
      ["1039422@bugs.debian.org"],
      [
        { bug: 1039422, kind: "subject" },
        { bug: 1039422, kind: "address" },
        { bug: 1028251, kind: "url" },
        { bug: 1029998, kind: "address" },
        { bug: 1028251, kind: "prose" },
      ],
    ],
  ];
  test.each(rows)("%s", (_name, subject, body, addresses, expected) => {
    expect(findBugRefs(subject, body, addresses)).toEqual(expected);
  });
});

describe("bugsFromSubject", () => {
  const rows: Array<[string, number[]]> = [
    ["Bug#1028251: xen: dom0 boot hangs with 4.17", [1028251]],
    ["Re: [Pkg-xen-devel] Bug#1039422: Bug#1039422: xen and systemd support", [1039422]],
    ["Bug#1039422: Bug#1029998: xen and systemd support", [1039422, 1029998]],
    ["Re: bug #1028251: again", [1028251]],
    ["Processed: Re: Bug#1054644: xen-utils-4.17: xl list shows no domains", [1054644]],
    ["xen: same as Bug#1028251 but on arm64", []],
    ["Bug#12345678: another tracker's number", [12345678]],
    ["Bug#1234567890: too long", []],
    ["Bug#0: nothing", []],
    ["[Pkg-xen-devel] xendomains hangs at shutdown", []],
  ];
  test.each(rows)("%j", (subject, expected) => {
    expect(bugsFromSubject(subject)).toEqual(expected);
  });
});

describe("bugsFromAddresses", () => {
  const rows: Array<[string[], number[]]> = [
    [["1028251@bugs.debian.org"], [1028251]],
    [["1028251-done@bugs.debian.org", "1028251@bugs.debian.org"], [1028251]],
    [["1028251-submitter@bugs.debian.org", "1029998-quiet@bugs.debian.org"], [1028251, 1029998]],
    [["1028251-maintonly@Bugs.Debian.Org"], [1028251]],
    [["control@bugs.debian.org", "submit@bugs.debian.org", "pkg-xen-devel@lists.alioth.debian.org"], []],
    [["1028251@bugs.debian.org.example.com", "x1028251@bugs.debian.org", "12345678@bugs.debian.org"], []],
    [[], []],
  ];
  test.each(rows)("%j", (addresses, expected) => {
    expect(bugsFromAddresses(addresses)).toEqual(expected);
  });
});
