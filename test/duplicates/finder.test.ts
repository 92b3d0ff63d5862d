import type { DupDoc } from "../../src/duplicates/dup-doc.js";
import { FEATURES, DuplicateFinder, isEarlier } from "../../src/duplicates/finder.js";
import type { DuplicateModel } from "../../src/duplicates/model.js";
import { reportDoc } from "../helpers/dup-docs.js";

/** Seven Xen reports, oldest first; 1028251 and 1039422 are the same xendomains problem. */
const XENDOMAINS = reportDoc({
  bug: 1028251,
  date: "2023-01-10T09:00:00.000Z",
  title: "xendomains: guests are not saved on shutdown",
  body: "With systemd the xendomains service stops before the guests are saved.\nxendomains[812]: Error: Failed to save domain web01 after 300s",
});
const PYGRUB = reportDoc({
  bug: 1029998,
  date: "2023-01-30T10:00:00.000Z",
  title: "pygrub cannot read ext4 root of a guest",
  body: "pygrub fails with: Error: Unable to find partition containing kernel",
});
const VNC = reportDoc({
  bug: 1031000,
  date: "2023-03-02T10:00:00.000Z",
  title: "qemu-system-i386 segfaults when a VNC client connects",
  body: "The device model crashes as soon as vncviewer connects to the guest console.",
});
const XENDOMAINS_AGAIN = reportDoc({
  bug: 1039422,
  date: "2023-06-21T08:30:00.000Z",
  title: "xendomains.service does not save running guests at shutdown",
  body: "On shutdown the running guests are killed instead of saved by xendomains.\nxendomains[2211]: Error: Failed to save domain web02 after 300s",
});
const XENSTORED = reportDoc({
  bug: 1040123,
  date: "2023-06-30T09:00:00.000Z",
  title: "xenstored fails to start at boot",
  body: "xenstored.service exits during boot because /var/run/xenstored is missing.",
});
const LOST = reportDoc({
  bug: 1050000,
  date: "2023-09-01T09:00:00.000Z",
  title: "guests lost after host reboot",
  body: "After a reboot of the host none of my guests came back; I think the shutdown did not save them.",
});
/** Says it is a duplicate of the pygrub bug, in words that share nothing with it. */
const SAYS_DUPLICATE = reportDoc({
  bug: 1051234,
  date: "2023-09-15T09:00:00.000Z",
  title: "boot hangs at loading initial ramdisk",
  body: "This is a duplicate of #1029998 I believe: the machine hangs in grub.",
});
const ALL = [XENDOMAINS, PYGRUB, VNC, XENDOMAINS_AGAIN, XENSTORED, LOST, SAYS_DUPLICATE];

function finderOf(docs: DupDoc[], model?: DuplicateModel): DuplicateFinder {
  const finder = model ? new DuplicateFinder(model) : new DuplicateFinder();
  for (const d of docs) finder.add(d);
  return finder;
}

const ids = (finder: DuplicateFinder, doc: DupDoc, k = 10, skip?: (id: string) => boolean): string[] => finder.candidates(doc, k, skip).map((c) => c.id);

/**
 * A model whose score is hand-computable: only the BM25F rank counts, z = -1 + 2 / (rank + 1), and the
 * calibration is the identity, so the first candidate scores sigmoid(1), the second sigmoid(0), ...
 */
const RANK_ONLY: DuplicateModel = {
  version: "test",
  pool: 50,
  ranker: { weights: FEATURES.map((f) => (f === "inverseRank" ? 2 : 0)), bias: -1 },
  calibration: { features: [], weights: [1], bias: 0 },
  threshold: 0.7,
};
const sigmoid3 = (z: number): number => Math.round(1000 / (1 + Math.exp(-z))) / 1000;

describe("DuplicateFinder.candidates", () => {
  test("whole candidates: retrieval order, the model's score rounded, the evidence", () => {
    const finder = finderOf(ALL, RANK_ONLY);
    expect(finder.candidates(XENDOMAINS_AGAIN, 10)).toEqual([
      {
        id: "bug:1028251",
        score: sigmoid3(-1 + 2 / 1),
        evidence: {
          titleTerms: ["xendomains", "save", "shutdown", "service", "guests"],
          // No shared term is rare in seven reports (rare: idf above half that of a term in one report).
          sharedTerms: [],
          errorLines: ["xendomains[0]: error: failed to save domain web0 after 0s"],
          sameAs: false,
          daysApart: 162,
          packages: { report: null, candidate: null },
        },
      },
      {
        id: "bug:1029998",
        score: sigmoid3(-1 + 2 / 2),
        evidence: { titleTerms: ["guests"], sharedTerms: [], errorLines: [], sameAs: false, daysApart: 142, packages: { report: null, candidate: null } },
      },
      {
        id: "bug:1031000",
        score: sigmoid3(-1 + 2 / 3),
        evidence: { titleTerms: ["guests"], sharedTerms: [], errorLines: [], sameAs: false, daysApart: 111, packages: { report: null, candidate: null } },
      },
    ]);
  });

  // Reports later than the query, and the query itself, are never candidates, however alike.
  test.each([
    ["the oldest report has none", XENDOMAINS, []],
    ["the second has the first", PYGRUB, ["bug:1028251"]],
    ["the fourth has the three before it, not the later ones", XENDOMAINS_AGAIN, ["bug:1028251", "bug:1029998", "bug:1031000"]],
    ["the sixth: only earlier reports sharing a word", LOST, ["bug:1028251", "bug:1039422", "bug:1029998", "bug:1031000"]],
  ] as [string, DupDoc, string[]][])("only earlier reports are candidates: %s", (_name, doc, expected) => {
    expect(ids(finderOf(ALL), doc)).toEqual(expected);
  });

  test("undated reports: the same rule as isEarlier (no date sorts first, two undated by id)", () => {
    const undatedA = { ...XENDOMAINS, id: "bug:1000001", bug: 1000001, date: null };
    const undatedB = { ...XENDOMAINS_AGAIN, id: "bug:1000002", bug: 1000002, date: null };
    const finder = finderOf([...ALL, undatedA, undatedB]);
    expect({
      a: ids(finder, undatedA),
      b: ids(finder, undatedB),
      dated: ids(finder, XENDOMAINS_AGAIN),
    }).toEqual({
      a: [],
      b: ["bug:1000001"],
      // Undated reports count as earlier than any dated one; the copy of the query's own text leads.
      dated: ["bug:1000002", "bug:1028251", "bug:1000001", "bug:1029998", "bug:1031000"],
    });
  });

  test("a report not yet indexed gets the same candidates as once indexed", () => {
    const without = finderOf(ALL.filter((d) => d !== XENDOMAINS_AGAIN));
    const withIt = finderOf(ALL);
    expect(without.candidates(XENDOMAINS_AGAIN, 10).map((c) => c.id)).toEqual(withIt.candidates(XENDOMAINS_AGAIN, 10).map((c) => c.id));
  });

  test("skip removes exactly the pairs it names, a same-as one included", () => {
    const finder = finderOf(ALL);
    expect([
      ids(finder, LOST, 10, (id) => id === "bug:1039422"),
      ids(finder, SAYS_DUPLICATE, 10),
      ids(finder, SAYS_DUPLICATE, 10, (id) => id === "bug:1029998"),
    ]).toEqual([
      ["bug:1028251", "bug:1029998", "bug:1031000"],
      ["bug:1029998", "bug:1040123"],
      ["bug:1040123"],
    ]);
  });

  test("a bug the report is already merged with is never a candidate, not even when named as the same", () => {
    const merged = { ...SAYS_DUPLICATE, mergedWith: [1029998] };
    const mergedAgain = { ...XENDOMAINS_AGAIN, mergedWith: [1028251] };
    const finder = finderOf(ALL);
    expect([ids(finder, merged), ids(finder, mergedAgain)]).toEqual([["bug:1040123"], ["bug:1029998", "bug:1031000"]]);
  });

  test("a report saying it duplicates #N gets N first, at 0.97 or more, though no word is shared", () => {
    const candidates = finderOf(ALL).candidates(SAYS_DUPLICATE, 10);
    expect({ first: candidates[0]!.id, sameAs: candidates.map((c) => c.evidence.sameAs), atLeast097: candidates[0]!.score >= 0.97 }).toEqual({
      first: "bug:1029998",
      sameAs: [true, false],
      atLeast097: true,
    });
    // Retrieval alone does not find it: the two share no term.
    expect(Object.keys(SAYS_DUPLICATE.title).filter((t) => t in PYGRUB.title || t in PYGRUB.body)).toEqual([]);
  });

  test("with the rank-only model the same-as bug is first and scored 0.97 though retrieval ranked it last", () => {
    const candidates = finderOf(ALL, RANK_ONLY).candidates(SAYS_DUPLICATE, 10);
    expect(candidates.map((c) => [c.id, c.score])).toEqual([
      ["bug:1029998", 0.97],
      ["bug:1040123", sigmoid3(-1 + 2 / 1)],
    ]);
  });

  test("a same-as bug that is not indexed, or not earlier, is no candidate", () => {
    const finder = finderOf(ALL);
    const unknown = { ...SAYS_DUPLICATE, sameAs: [1099999] };
    const later = { ...PYGRUB, sameAs: [1051234] };
    expect([ids(finder, unknown), ids(finder, later)]).toEqual([["bug:1040123"], ["bug:1028251"]]);
  });

  test("re-adding a changed report replaces its entry: the old text no longer matches, the new one does", () => {
    const finder = finderOf(ALL);
    const before = ids(finder, XENDOMAINS_AGAIN);
    // #1028251 retitled: it turns out to be about pygrub, not xendomains.
    const changed = reportDoc({
      bug: 1028251,
      date: "2023-01-10T09:00:00.000Z",
      title: "pygrub cannot read ext4 root filesystem",
      body: "pygrub cannot read an ext4 root: no partition containing a kernel was found.",
    });
    finder.add(changed);
    const laterPygrub = reportDoc({ bug: 1060000, date: "2024-01-01T00:00:00.000Z", title: "pygrub fails on ext4 root", body: "Same partition error from pygrub." });
    expect({
      size: finder.size,
      has: finder.has("bug:1028251"),
      before,
      after: ids(finder, XENDOMAINS_AGAIN),
      pygrub: ids(finder, laterPygrub).slice(0, 2),
    }).toEqual({
      size: ALL.length,
      has: true,
      before: ["bug:1028251", "bug:1029998", "bug:1031000"],
      // Only "guest" in the title of the old text matched the others; the new entry shares none of it.
      after: ["bug:1029998", "bug:1031000"],
      // The new text is found: both pygrub reports lead (the original shares "fail" and "error" too).
      pygrub: ["bug:1029998", "bug:1028251"],
    });
  });

  test("k truncates after re-ranking; candidates are sorted by score, best first", () => {
    const finder = finderOf(ALL);
    const all = finder.candidates(LOST, 10);
    const scores = all.map((c) => c.score);
    expect({ top2: finder.candidates(LOST, 2), sorted: scores, inRange: scores.every((s) => s >= 0 && s <= 1) }).toEqual({
      top2: all.slice(0, 2),
      sorted: [...scores].sort((a, b) => b - a),
      inRange: true,
    });
  });

  describe("reports about different security advisories", () => {
    const advisory = (bug: number, date: string, title: string, body: string) => reportDoc({ bug, date, title, body });
    const ZENBLEED = advisory(1060001, "2023-07-25T10:00:00.000Z", "src:xen: XSA-433 not fixed in bookworm", "XSA-433 affects AMD Zen 2 guests; bookworm lacks the fix.");
    const INCEPTION = advisory(1060002, "2023-08-12T10:00:00.000Z", "src:xen: XSA-434 not fixed in bookworm", "XSA-434 affects AMD Zen guests; bookworm lacks the fix.");
    const BY_CVE = advisory(1060003, "2023-08-20T10:00:00.000Z", "src:xen: CVE-2023-20593 not fixed in bookworm", "CVE-2023-20593 affects AMD Zen 2 guests; bookworm lacks the fix.");

    test("are kept below the threshold however alike, and the evidence names both advisories", () => {
      const [first] = finderOf([ZENBLEED, INCEPTION], RANK_ONLY).candidates(INCEPTION, 1);
      expect(first).toMatchObject({ id: "bug:1060001", score: 0.35, evidence: { advisories: { report: ["xsa-434"], candidate: ["xsa-433"] } } });
      // Without the rule the rank-only model scores the first candidate sigmoid(1).
      expect(sigmoid3(1)).toBeGreaterThan(RANK_ONLY.threshold);
    });

    test("one naming an XSA and the other a CVE may be one hole under two names: scored as usual", () => {
      const [first] = finderOf([ZENBLEED, BY_CVE], RANK_ONLY).candidates(BY_CVE, 1);
      expect([first!.id, first!.score, first!.evidence.advisories]).toEqual(["bug:1060001", sigmoid3(1), undefined]);
    });
  });

  test("an empty finder has no candidates", () => {
    expect(new DuplicateFinder().candidates(LOST, 5)).toEqual([]);
  });

  test("featureRows: one row per pooled candidate, one value per feature", () => {
    const rows = finderOf(ALL).featureRows(XENDOMAINS_AGAIN);
    expect(rows.map((r) => [r.id, r.x.length])).toEqual([
      ["bug:1028251", FEATURES.length],
      ["bug:1029998", FEATURES.length],
      ["bug:1031000", FEATURES.length],
    ]);
  });
});

describe("isEarlier", () => {
  const rows: Array<[string, { id: string; date: string | null }, { id: string; date: string | null }, boolean]> = [
    ["an earlier date", { id: "bug:2", date: "2023-01-10T09:00:00.000Z" }, { id: "bug:1", date: "2023-06-21T08:30:00.000Z" }, true],
    ["a later date", { id: "bug:1", date: "2023-06-21T08:30:00.000Z" }, { id: "bug:2", date: "2023-01-10T09:00:00.000Z" }, false],
    ["the same date, the smaller id", { id: "bug:1028251", date: "2023-01-10T09:00:00.000Z" }, { id: "bug:1039422", date: "2023-01-10T09:00:00.000Z" }, true],
    ["the same date, the larger id", { id: "bug:1039422", date: "2023-01-10T09:00:00.000Z" }, { id: "bug:1028251", date: "2023-01-10T09:00:00.000Z" }, false],
    ["no dates: by id", { id: "bug:1028251", date: null }, { id: "bug:1039422", date: null }, true],
    ["no date sorts before any date", { id: "bug:1039422", date: null }, { id: "bug:1028251", date: "2023-01-10T09:00:00.000Z" }, true],
    ["itself", { id: "bug:1028251", date: "2023-01-10T09:00:00.000Z" }, { id: "bug:1028251", date: "2023-01-10T09:00:00.000Z" }, false],
  ];
  test.each(rows)("%s", (_name, a, b, expected) => {
    expect(isEarlier(a, b)).toBe(expected);
  });

  test("of two different reports exactly one is earlier", () => {
    const reports = ALL.map((d) => ({ id: d.id, date: d.date })).concat([
      { id: "bug:1000001", date: null },
      { id: "bug:1000002", date: "2023-01-10T09:00:00.000Z" },
    ]);
    const broken = reports.flatMap((a) => reports.filter((b) => b !== a && isEarlier(a, b) === isEarlier(b, a)).map((b) => [a.id, b.id]));
    expect(broken).toEqual([]);
  });
});
