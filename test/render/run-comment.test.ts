import { renderRunComment, type RunSnapshot, snapshotOf } from "../../src/render/run-comment.js";
import { candidate, report } from "../helpers/reports.js";
import type { ListedDuplicates } from "../../src/pipeline/list-duplicates.js";

const DATE = "2025-03-30T06:00:00.000Z";



const THREAD = "thread:20250301.abc@example.org";
const reports = [
  report("bug:1090001", "xen: xendomains does not save guests on shutdown"),
  report("bug:1090002", "xen-utils-common: xendomains fails to save domains", { state: "done" }),
  report("bug:1090003", "qemu-system-xen: HVM guest hangs at boot", { mergedWith: [1090004] }),
  report(THREAD, "Question about @maxi's xl.cfg and <b>vif</b> scripts"),
];
const suggestions: ListedDuplicates[] = [
  { report: "bug:1090002", title: reports[1]!.title, candidates: [candidate("bug:1090001", reports[0]!.title, 0.91)] },
  { report: THREAD, title: reports[3]!.title, candidates: [candidate("bug:1090003", reports[2]!.title, 0.82), candidate("bug:1090001", reports[0]!.title, 0.8)] },
];

describe("snapshotOf", () => {
  test("each report's state (merged sets spelled out) and the suggested pairs, sorted", () => {
    expect(snapshotOf(reports, suggestions)).toEqual({
      reports: {
        "bug:1090001": "open",
        "bug:1090002": "done",
        "bug:1090003": "open merged 1090004",
        [THREAD]: "open",
      },
      suggestions: ["bug:1090002|bug:1090001", `${THREAD}|bug:1090001`, `${THREAD}|bug:1090003`],
    });
  });

  test("a report with no state yet counts as open; no suggestions, no pairs", () => {
    expect(snapshotOf([report("bug:1", "t", { state: null }), report("bug:2", "u", { state: "archived", mergedWith: [3, 4] })], [])).toEqual({
      reports: { "bug:1": "open", "bug:2": "archived merged 3 4" },
      suggestions: [],
    });
  });
});

describe("renderRunComment", () => {
  const now = snapshotOf(reports, suggestions);

  test("first run: only how much was published", () => {
    expect(renderRunComment(null, now, reports, new Map(), DATE)).toEqual("**2025-03-30**: first run. 4 reports published, 3 duplicate suggestions.");
  });

  test("first run of an empty store", () => {
    expect(renderRunComment(null, { reports: {}, suggestions: [] }, [], new Map(), DATE)).toEqual("**2025-03-30**: first run. 0 reports published, 0 duplicate suggestions.");
  });

  test("nothing changed: null, so no comment", () => {
    expect(renderRunComment(now, now, reports, new Map([["bug:1090001", 4]]), DATE)).toBeNull();
  });

  test("reports or suggestions that went away are no news: null", () => {
    const before: RunSnapshot = { reports: { ...now.reports, "bug:1089999": "open" }, suggestions: [...now.suggestions, "bug:1090003|bug:1089999"] };
    expect(renderRunComment(before, now, reports, new Map(), DATE)).toBeNull();
  });

  test("new reports, new suggestions and state changes, each with its issue number when it has one", () => {
    const before: RunSnapshot = {
      reports: { "bug:1090001": "open", "bug:1090002": "open", "bug:1090003": "open" },
      suggestions: ["bug:1090002|bug:1090001"],
    };
    // A negative number is a dry run's planned issue: never shown.
    const issues = new Map([
      ["bug:1090001", 4],
      ["bug:1090002", 5],
      [THREAD, -1],
    ]);
    expect(renderRunComment(before, now, reports, issues, DATE)).toEqual(
      [
        "**2025-03-30**: what changed since the last run.",
        "",
        "New reports (1):",
        "- list thread: Question about @\u200Bmaxi's xl.cfg and &lt;b&gt;vif&lt;/b&gt; scripts",
        "",
        "New duplicate suggestions (2):",
        "- list thread: Question about @\u200Bmaxi's xl.cfg and &lt;b&gt;vif&lt;/b&gt; scripts looks like [#1090001](https://bugs.debian.org/1090001) xen: xendomains does not save guests on shutdown (#4)",
        "- list thread: Question about @\u200Bmaxi's xl.cfg and &lt;b&gt;vif&lt;/b&gt; scripts looks like [#1090003](https://bugs.debian.org/1090003) qemu-system-xen: HVM guest hangs at boot",
        "",
        "State changes (2):",
        "- [#1090002](https://bugs.debian.org/1090002) xen-utils-common: xendomains fails to save domains (#5): open → done",
        "- [#1090003](https://bugs.debian.org/1090003) qemu-system-xen: HVM guest hangs at boot: open → open merged 1090004",
      ].join("\n"),
    );
  });

  test("only a state change: only that section", () => {
    const before: RunSnapshot = { ...now, reports: { ...now.reports, "bug:1090002": "open" } };
    expect(renderRunComment(before, now, reports, new Map(), DATE)).toEqual(
      [
        "**2025-03-30**: what changed since the last run.",
        "",
        "State changes (1):",
        "- [#1090002](https://bugs.debian.org/1090002) xen-utils-common: xendomains fails to save domains: open → done",
      ].join("\n"),
    );
  });

  test("only a new suggestion: only that section", () => {
    const before: RunSnapshot = { ...now, suggestions: now.suggestions.filter((p) => p !== "bug:1090002|bug:1090001") };
    expect(renderRunComment(before, now, reports, new Map(), DATE)).toEqual(
      [
        "**2025-03-30**: what changed since the last run.",
        "",
        "New duplicate suggestions (1):",
        "- [#1090002](https://bugs.debian.org/1090002) xen-utils-common: xendomains fails to save domains looks like [#1090001](https://bugs.debian.org/1090001) xen: xendomains does not save guests on shutdown",
      ].join("\n"),
    );
  });

  test("a report the list no longer holds is named as gone", () => {
    const before: RunSnapshot = { reports: {}, suggestions: [] };
    expect(renderRunComment(before, { reports: { "bug:1090009": "open" }, suggestions: [] }, [], new Map(), DATE)).toEqual(
      ["**2025-03-30**: what changed since the last run.", "", "New reports (1):", "- [#1090009](https://bugs.debian.org/1090009) (gone)"].join("\n"),
    );
  });

  test("more than 30 new reports: 30 listed, the rest counted", () => {
    const many = Array.from({ length: 32 }, (_, k) => report(`bug:${1091000 + k}`, `report ${k}`));
    const after = snapshotOf(many, []);
    expect(renderRunComment({ reports: {}, suggestions: [] }, after, many, new Map(), DATE)).toEqual(
      [
        "**2025-03-30**: what changed since the last run.",
        "",
        "New reports (32):",
        ...Array.from({ length: 30 }, (_, k) => `- [#${1091000 + k}](https://bugs.debian.org/${1091000 + k}) report ${k}`),
        "- and 2 more",
      ].join("\n"),
    );
  });
});
