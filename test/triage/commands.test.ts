import { type ParsedCommands, parseTriageCommands } from "../../src/triage/commands.js";

const UNKNOWN = "unknown command (topic, duplicate-of, not-duplicate, refresh)";

describe("parseTriageCommands: one command", () => {
  test.each<[string, ParsedCommands]>([
    ["/triage refresh", { commands: [{ kind: "refresh" }], errors: [] }],
    ["/triage topic +systemd", { commands: [{ kind: "topic", add: ["systemd"], remove: [] }], errors: [] }],
    ["/triage topic -init", { commands: [{ kind: "topic", add: [], remove: ["init"] }], errors: [] }],
    ["/triage topic +systemd -init +abi", { commands: [{ kind: "topic", add: ["systemd", "abi"], remove: ["init"] }], errors: [] }],
    ["/triage topic +x86-64 -qemu2", { commands: [{ kind: "topic", add: ["x86-64"], remove: ["qemu2"] }], errors: [] }],
    ["/triage duplicate-of 1029998", { commands: [{ kind: "duplicate-of", bug: 1029998 }], errors: [] }],
    ["/triage duplicate-of #1029998", { commands: [{ kind: "duplicate-of", bug: 1029998 }], errors: [] }],
    ["/triage duplicate-of bug:1029998", { commands: [{ kind: "duplicate-of", bug: 1029998 }], errors: [] }],
    ["/triage duplicate-of BUG:1029998", { commands: [{ kind: "duplicate-of", bug: 1029998 }], errors: [] }],
    ["/triage not-duplicate 1029998", { commands: [{ kind: "not-duplicate", bug: 1029998 }], errors: [] }],
    ["/triage not-duplicate #1029998", { commands: [{ kind: "not-duplicate", bug: 1029998 }], errors: [] }],
    ["/triage not-duplicate bug:1029998", { commands: [{ kind: "not-duplicate", bug: 1029998 }], errors: [] }],
    ["/triage not-duplicate 7", { commands: [{ kind: "not-duplicate", bug: 7 }], errors: [] }],
    ["/triage duplicate-of 123456789", { commands: [{ kind: "duplicate-of", bug: 123456789 }], errors: [] }],
    // Case: the word and the verb in any case; topic names are stored in lower case.
    ["/Triage REFRESH", { commands: [{ kind: "refresh" }], errors: [] }],
    ["/TRIAGE Topic +SystemD -Init", { commands: [{ kind: "topic", add: ["systemd"], remove: ["init"] }], errors: [] }],
    ["/triage Duplicate-Of 1029998", { commands: [{ kind: "duplicate-of", bug: 1029998 }], errors: [] }],
    // White space around and between words.
    ["   /triage   duplicate-of \t 1029998   ", { commands: [{ kind: "duplicate-of", bug: 1029998 }], errors: [] }],
    ["\t/triage topic  +systemd", { commands: [{ kind: "topic", add: ["systemd"], remove: [] }], errors: [] }],
    // Words after refresh are not read.
    ["/triage refresh please", { commands: [{ kind: "refresh" }], errors: [] }],
  ])("%j", (body, expected) => {
    expect(parseTriageCommands(body)).toEqual(expected);
  });
});

describe("parseTriageCommands: lines it cannot read, with why", () => {
  test.each<[string, ParsedCommands]>([
    ["/triage", { commands: [], errors: [`"/triage": ${UNKNOWN}`] }],
    ["/triage merge 1029998 1039422", { commands: [], errors: [`"/triage merge 1029998 1039422": ${UNKNOWN}`] }],
    ["/triage close", { commands: [], errors: [`"/triage close": ${UNKNOWN}`] }],
    ["/triage topic", { commands: [], errors: ['"/triage topic": name topics to add (+name) or remove (-name)'] }],
    ["/triage topic systemd", { commands: [], errors: ['"/triage topic systemd": "systemd" is not +topic or -topic'] }],
    [
      "/triage topic +systemd init -abi",
      { commands: [{ kind: "topic", add: ["systemd"], remove: ["abi"] }], errors: ['"/triage topic +systemd init -abi": "init" is not +topic or -topic'] },
    ],
    [
      "/triage topic +9p +sys_temd",
      { commands: [], errors: ['"/triage topic +9p +sys_temd": "+9p" is not +topic or -topic', '"/triage topic +9p +sys_temd": "+sys_temd" is not +topic or -topic'] },
    ],
    ["/triage topic +", { commands: [], errors: ['"/triage topic +": "+" is not +topic or -topic'] }],
    ["/triage duplicate-of", { commands: [], errors: ['"/triage duplicate-of": expected one bug number'] }],
    ["/triage duplicate-of 1029998 1039422", { commands: [], errors: ['"/triage duplicate-of 1029998 1039422": expected one bug number'] }],
    ["/triage not-duplicate abc", { commands: [], errors: ['"/triage not-duplicate abc": expected one bug number'] }],
    ["/triage not-duplicate 1234567890", { commands: [], errors: ['"/triage not-duplicate 1234567890": expected one bug number'] }],
    ["/triage not-duplicate -1029998", { commands: [], errors: ['"/triage not-duplicate -1029998": expected one bug number'] }],
    ["/triage not-duplicate Bug#1029998", { commands: [], errors: ['"/triage not-duplicate Bug#1029998": expected one bug number'] }],
    ["/triage not-duplicate ##1029998", { commands: [], errors: ['"/triage not-duplicate ##1029998": expected one bug number'] }],
    // `/triage` followed by punctuation is still meant for the bot: say it was not understood.
    ["/triage-refresh", { commands: [], errors: [`"/triage-refresh": ${UNKNOWN}`] }],
    // The line is quoted trimmed, as the maintainer reads it.
    ["  /triage  frobnicate  ", { commands: [], errors: [`"/triage  frobnicate": ${UNKNOWN}`] }],
  ])("%j", (body, expected) => {
    expect(parseTriageCommands(body)).toEqual(expected);
  });
});

describe("parseTriageCommands: prose, quotes and code are not commands", () => {
  test.each<[string, string]>([
    ["empty", ""],
    ["prose", "Same as #1029998, I think.\nSomeone should triage it."],
    ["/triage later in the line", "You can say /triage refresh to get it redone."],
    ["a longer word", "/triaged this one already"],
    ["a quote", "> /triage not-duplicate 1029998\n\nWhy? They look alike to me."],
    ["a nested quote", ">> /triage refresh\n> > /triage topic +abi"],
    ["a code fence", "Type this:\n```\n/triage not-duplicate 1029998\n```\nand it is recorded."],
    ["a fence with a language", "```sh\n/triage refresh\n```"],
    ["a tilde fence", "~~~\n/triage topic +abi\n~~~"],
    ["an indented fence", "  ```\n  /triage refresh\n  ```"],
    ["a fence never closed", "```\n/triage refresh\n\n/triage topic +abi"],
  ])("%s", (_, body) => {
    expect(parseTriageCommands(body)).toEqual({ commands: [], errors: [] });
  });
});

describe("parseTriageCommands: several commands in one comment", () => {
  test("in order, with the prose, quotes and code around them skipped, and each bad line named", () => {
    const body = [
      "Thanks for the report. Looking at both logs:",
      "",
      "/triage not-duplicate #1029998",
      "/triage duplicate-of bug:1039422",
      "> /triage refresh",
      "```",
      "/triage topic +build",
      "```",
      "/triage topic +systemd -init",
      "/triage merge 1",
      "/triage refresh",
      "/triage not-duplicate",
      "",
      "Regards",
    ].join("\r\n");
    expect(parseTriageCommands(body)).toEqual({
      commands: [
        { kind: "not-duplicate", bug: 1029998 },
        { kind: "duplicate-of", bug: 1039422 },
        { kind: "topic", add: ["systemd"], remove: ["init"] },
        { kind: "refresh" },
      ],
      errors: [`"/triage merge 1": ${UNKNOWN}`, '"/triage not-duplicate": expected one bug number'],
    });
  });

  test("the same command twice is read twice (applying it twice is harmless)", () => {
    expect(parseTriageCommands("/triage refresh\n/triage refresh")).toEqual({ commands: [{ kind: "refresh" }, { kind: "refresh" }], errors: [] });
  });

  test("a command after a closed fence is read again", () => {
    expect(parseTriageCommands("```\n/triage refresh\n```\n/triage topic -docs")).toEqual({ commands: [{ kind: "topic", add: [], remove: ["docs"] }], errors: [] });
  });

  // BUG: `/triage topic` with nothing after it only reports an error when no earlier line had one: the
  // check looks at the whole comment's error list instead of this line's. After a bad line, a bare
  // `/triage topic` is neither a command nor an error, so the reply says nothing about it.
  test("a bare `/triage topic` after another bad line is still reported", () => {
    expect(parseTriageCommands("/triage merge 1\n/triage topic")).toEqual({
      commands: [],
      errors: [`"/triage merge 1": ${UNKNOWN}`, '"/triage topic": name topics to add (+name) or remove (-name)'],
    });
  });

  // BUG: a fence is closed by any fence line, not by one of its own kind (CommonMark: a ``` fence ends
  // only at ``` of at least its length, a ~~~ fence at ~~~). A `~~~` line inside a ``` block turns the
  // parser's fence off, so a command quoted further down in the same code block runs.
  test("a ~~~ line inside a ``` block does not end it", () => {
    expect(parseTriageCommands("```\n~~~\n/triage not-duplicate 1029998\n```")).toEqual({ commands: [], errors: [] });
  });
});
