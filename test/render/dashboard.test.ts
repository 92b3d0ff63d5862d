import { DASHBOARD_MARKER, renderDashboard, tickedBoxes } from "../../src/render/dashboard.js";
import { BODY_LIMIT } from "../../src/render/tracking-issue.js";
import type { ReportSummary } from "../../src/store/store.js";
import { candidate, report } from "../helpers/reports.js";
import type { ListedDuplicates } from "../../src/pipeline/list-duplicates.js";

const NOW = "2025-03-30T00:00:00.000Z";
const THREAD = "thread:20250301.abc@example.org";
/** publicKey(THREAD): "thread:" and the first 16 hex digits of the id's SHA-256. */
const THREAD_KEY = "thread:e772ec1c1574ebe4";



const headings = (body: string) => body.split("\n").filter((l) => /^#{1,2} /.test(l));

describe("renderDashboard: a small store", () => {
  const reports = [
    report("bug:1090001", "xendomains does not save guests on shutdown", {
      topics: [
        { topic: "systemd", score: 0.9 },
        { topic: "init", score: 0.7 },
      ],
      firstDate: "2025-03-25T10:00:00.000Z",
      lastDate: "2025-03-26T10:00:00.000Z",
    }),
    report("bug:1090002", "xendomains fails to save domains", {
      topics: [{ topic: "init", score: 0.8 }],
      state: "done",
      firstDate: "2025-03-10T10:00:00.000Z",
      lastDate: "2025-03-28T10:00:00.000Z",
    }),
    report("bug:1090003", "qemu-system-xen: HVM guest hangs at boot", { firstDate: "2024-12-01T10:00:00.000Z", lastDate: "2025-01-02T10:00:00.000Z" }),
    report(THREAD, "Question about @maxi's <b>vif</b> scripts", { state: null, firstDate: "2025-03-29T10:00:00.000Z", lastDate: "2025-03-29T10:00:00.000Z" }),
    report("bug:1080000", "old and archived", { state: "archived", firstDate: "2024-01-01T10:00:00.000Z", lastDate: "2025-03-02T10:00:00.000Z" }),
  ];
  const suggestions: ListedDuplicates[] = [
    { report: "bug:1090002", title: "xendomains fails to save domains", candidates: [candidate("bug:1090001", "xendomains does not save guests on shutdown", 0.914)] },
    { report: THREAD, title: "Question about @maxi's <b>vif</b> scripts", candidates: [candidate("bug:1090003", "qemu-system-xen: HVM guest hangs at boot", 0.8)] },
  ];
  const issues = new Map([
    ["bug:1090001", 4],
    ["bug:1090002", 5],
    [THREAD, -2],
  ]);
  const thread = "list thread: Question about @\u200Bmaxi's &lt;b&gt;vif&lt;/b&gt; scripts";

  test("every section, in order of importance; threads named by title, their keys hashed", () => {
    const body = renderDashboard({ title: "Xen triage dashboard", reports, suggestions, issues, now: NOW });
    expect(body).toEqual(
      [
        DASHBOARD_MARKER,
        "# Xen triage dashboard",
        "",
        "5 reports, 3 open. Kept up to date by xen-triage; the BTS is the record.",
        "",
        "## Decisions waiting",
        "",
        "Duplicate suggestions. Tick **accept** to record that the two are one bug (the tracking issue then shows the control mail to send) or **reject** so the pair is never suggested again; the next run reads the boxes.",
        "",
        "- [#1090002](https://bugs.debian.org/1090002) xendomains fails to save domains (#5) looks like [#1090001](https://bugs.debian.org/1090001) xendomains does not save guests on shutdown (#4) (score 0.91)",
        "  - [ ] accept <!-- xen-triage:accept=bug:1090002|bug:1090001 -->",
        "  - [ ] reject <!-- xen-triage:reject=bug:1090002|bug:1090001 -->",
        `- ${thread} looks like [#1090003](https://bugs.debian.org/1090003) qemu-system-xen: HVM guest hangs at boot (score 0.80)`,
        `  - [ ] accept <!-- xen-triage:accept=${THREAD_KEY}|bug:1090003 -->`,
        `  - [ ] reject <!-- xen-triage:reject=${THREAD_KEY}|bug:1090003 -->`,
        "",
        "## Needs a human",
        "",
        "2 open reports that no topic fits:",
        "",
        "- [#1090003](https://bugs.debian.org/1090003) qemu-system-xen: HVM guest hangs at boot",
        `- ${thread}`,
        "",
        "## Open reports by topic",
        "",
        "| topic | open reports |",
        "|---|---|",
        "| init | 1 |",
        "| systemd | 1 |",
        "",
        "```mermaid",
        "xychart-beta",
        '  title "Open reports per topic"',
        "  x-axis [init, systemd]",
        "  bar [1, 1]",
        "```",
        "",
        "```mermaid",
        "xychart-beta",
        '  title "New (bars) and closed (line) reports per week"',
        '  x-axis ["02-02", "02-09", "02-16", "02-23", "03-02", "03-09", "03-16", "03-23"]',
        "  bar [0, 0, 0, 0, 0, 1, 0, 2]",
        "  line [0, 0, 0, 0, 1, 0, 0, 1]",
        "```",
        "",
        "## Newest reports",
        "",
        `- 2025-03-29 ${thread}`,
        "- 2025-03-25 [#1090001](https://bugs.debian.org/1090001) xendomains does not save guests on shutdown (#4)",
        "- 2025-03-10 [#1090002](https://bugs.debian.org/1090002) xendomains fails to save domains (#5)",
        "- 2024-12-01 [#1090003](https://bugs.debian.org/1090003) qemu-system-xen: HVM guest hangs at boot",
        "- 2024-01-01 [#1080000](https://bugs.debian.org/1080000) old and archived",
        "",
      ].join("\n"),
    );
    // Every box reads back as rendered; nothing is ticked yet.
    expect(tickedBoxes(body)).toEqual([]);
    expect(tickedBoxes(body.replace(/\[ \]/g, "[x]"))).toEqual([
      { verdict: "accepted", report: "bug:1090002", candidate: "bug:1090001" },
      { verdict: "rejected", report: "bug:1090002", candidate: "bug:1090001" },
      { verdict: "accepted", report: THREAD_KEY, candidate: "bug:1090003" },
      { verdict: "rejected", report: THREAD_KEY, candidate: "bug:1090003" },
    ]);
  });

  test("an empty store: the sections say so, the weekly chart is all zeros", () => {
    expect(renderDashboard({ title: "Triage @team <x>", reports: [], suggestions: [], issues: new Map(), now: NOW })).toEqual(
      [
        DASHBOARD_MARKER,
        "# Triage @\u200Bteam &lt;x&gt;",
        "",
        "0 reports, 0 open. Kept up to date by xen-triage; the BTS is the record.",
        "",
        "## Decisions waiting",
        "",
        "No duplicate suggestions above the threshold.",
        "",
        "",
        "## Needs a human",
        "",
        "Every open report has a topic.",
        "",
        "",
        "## Open reports by topic",
        "",
        "| topic | open reports |",
        "|---|---|",
        "",
        "```mermaid",
        "xychart-beta",
        '  title "New (bars) and closed (line) reports per week"',
        '  x-axis ["02-02", "02-09", "02-16", "02-23", "03-02", "03-09", "03-16", "03-23"]',
        "  bar [0, 0, 0, 0, 0, 0, 0, 0]",
        "  line [0, 0, 0, 0, 0, 0, 0, 0]",
        "```",
        "",
        "## Newest reports",
        "",
        "",
      ].join("\n"),
    );
  });
});

describe("renderDashboard: under GitHub's limit with thousands of reports", () => {
  const bug = (k: number) => `bug:${1100000 + k}`;
  const day = (k: number) => new Date(Date.parse("2020-01-01T00:00:00.000Z") + k * 3_600_000).toISOString();
  const render = (reports: ReportSummary[], suggestions: ListedDuplicates[] = []) =>
    renderDashboard({ title: "Xen triage dashboard", reports, suggestions, issues: new Map(), now: NOW });

  test("long titles among the newest: only the newest reports are dropped", () => {
    const reports = Array.from({ length: 3000 }, (_, k) =>
      report(bug(k), k >= 2980 ? `xen ${"very long title ".repeat(250)}` : `report ${k}`, { topics: [{ topic: "toolstack", score: 0.9 }], firstDate: day(k) }),
    );
    const body = render(reports);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(headings(body)).toEqual(["# Xen triage dashboard", "## Decisions waiting", "## Needs a human", "## Open reports by topic"]);
    // Without the dropped section it would be well over the limit.
    expect(body).toContain("| toolstack | 3000 |");
  });

  test("thousands of topics: the charts go too, the needs-a-human queue stays", () => {
    const reports = Array.from({ length: 3000 }, (_, k) => report(bug(k), `report ${k}`, { topics: [{ topic: `topic-${k}`, score: 0.9 }], firstDate: day(k) }));
    reports.push(report("bug:1099999", "nobody knows", { firstDate: day(-1) }));
    const body = render(reports);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(headings(body)).toEqual(["# Xen triage dashboard", "## Decisions waiting", "## Needs a human"]);
    expect(body.endsWith("1 open report that no topic fits:\n\n- [#1099999](https://bugs.debian.org/1099999) nobody knows\n")).toBe(true);
  });

  test("thousands of reports no topic fits: only the decisions are left", () => {
    const reports = Array.from({ length: 3000 }, (_, k) => report(bug(k), `xen-utils-common: report number ${k}`, { firstDate: day(k) }));
    const suggestions = [{ report: bug(1), title: "", candidates: [candidate(bug(0), "", 0.9)] }];
    const body = render(reports, suggestions);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(headings(body)).toEqual(["# Xen triage dashboard", "## Decisions waiting"]);
    expect(body.endsWith("  - [ ] reject <!-- xen-triage:reject=bug:1100001|bug:1100000 -->\n")).toBe(true);
  });

  test("thousands of suggestions: the decisions alone are shortened, and say where the rest is", () => {
    const reports = Array.from({ length: 6000 }, (_, k) => report(bug(k), `xen-utils-common: report number ${k}`, { topics: [{ topic: "abi", score: 1 }], firstDate: day(k) }));
    const suggestions = Array.from({ length: 3000 }, (_, k) => ({ report: bug(2 * k + 1), title: "", candidates: [candidate(bug(2 * k), "", 0.9)] }));
    const body = render(reports, suggestions);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(headings(body)).toEqual(["# Xen triage dashboard", "## Decisions waiting"]);
    // As many whole suggestions (a line and its two boxes) as fit under the limit with the note.
    expect(tickedBoxes(body.replace(/\[ \]/g, "[x]"))).toHaveLength(2 * 205);
    expect(body.endsWith("\n\n_(more suggestions than fit here: see `xen-triage duplicates`)_")).toBe(true);
  });

  // BUG: the shortened dashboard keeps 200 lines of decisions and then cuts the text at BODY_LIMIT
  // characters. With long titles 200 lines are more than that: the cut falls inside a line (here in the
  // middle of a title; it could as well fall inside a box's hidden marker and leave an HTML comment open),
  // and the note saying where the rest is is lost.
  test("hundreds of suggestions with long titles: still whole lines, still the note", () => {
    const long = `xen-hypervisor: ${"a guest with many vcpus and a long story ".repeat(12)}`;
    const reports = Array.from({ length: 1200 }, (_, k) => report(bug(k), `${long}${k}`, { firstDate: day(k) }));
    const suggestions = Array.from({ length: 600 }, (_, k) => ({ report: bug(2 * k + 1), title: "", candidates: [candidate(bug(2 * k), "", 0.9)] }));
    const body = render(reports, suggestions);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(body.endsWith("\n\n_(more suggestions than fit here: see `xen-triage duplicates`)_")).toBe(true);
  });
});

describe("tickedBoxes", () => {
  test("reads `[x]` and `[X]` box lines only, with the verdict and keys from the hidden marker", () => {
    const body = [
      "<!-- xen-triage:dashboard -->",
      "- [#1090002](https://bugs.debian.org/1090002) x looks like [#1090001](https://bugs.debian.org/1090001) y (score 0.91)",
      "  - [x] accept <!-- xen-triage:accept=bug:1090002|bug:1090001 -->",
      "  - [ ] reject <!-- xen-triage:reject=bug:1090002|bug:1090001 -->",
      `  - [ ] accept <!-- xen-triage:accept=${THREAD_KEY}|bug:1090003 -->`,
      `  - [X] reject <!-- xen-triage:reject=${THREAD_KEY}|bug:1090003 -->`,
      "- [x] accept <!-- xen-triage:accept=bug:5|bug:4 -->\r",
      // Not boxes: no list item, a box mid-line, another word, text after the marker, no marker, a loose `x`.
      "[x] accept <!-- xen-triage:accept=bug:7|bug:6 -->",
      "Tick - [x] accept <!-- xen-triage:accept=bug:9|bug:8 -->",
      "  - [x] acceptance <!-- xen-triage:accept=bug:11|bug:10 -->",
      "  - [x] accept <!-- xen-triage:accept=bug:13|bug:12 --> thanks",
      "  - [x] accept bug:15 and bug:14",
      "  - [x ] accept <!-- xen-triage:accept=bug:17|bug:16 -->",
      "  - [y] reject <!-- xen-triage:reject=bug:19|bug:18 -->",
      "> - [x] accept <!-- xen-triage:accept=bug:21|bug:20 -->",
    ].join("\n");
    expect(tickedBoxes(body)).toEqual([
      { verdict: "accepted", report: "bug:1090002", candidate: "bug:1090001" },
      { verdict: "rejected", report: THREAD_KEY, candidate: "bug:1090003" },
      { verdict: "accepted", report: "bug:5", candidate: "bug:4" },
    ]);
  });

  test("nothing ticked, or no dashboard at all: none", () => {
    expect(tickedBoxes("")).toEqual([]);
    expect(tickedBoxes("  - [ ] accept <!-- xen-triage:accept=bug:2|bug:1 -->\n  - [ ] reject <!-- xen-triage:reject=bug:2|bug:1 -->")).toEqual([]);
  });
});
