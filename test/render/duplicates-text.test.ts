import { renderCandidate } from "../../src/render/duplicates-text.js";
import type { ListedCandidate } from "../../src/pipeline/list-duplicates.js";

const candidate: ListedCandidate = {
  report: "bug:1060001",
  title: "src:xen: XSA-433 not fixed in bookworm",
  score: 0.35,
  control: null,
  bts: null,
  why: [],
  effects: [],
  evidence: {
    titleTerms: ["bookworm", "fix"],
    sharedTerms: ["zen"],
    errorLines: [],
    sameAs: false,
    daysApart: 18,
    advisories: { report: ["xsa-434", "cve-2023-20569"], candidate: ["xsa-433"] },
  },
};

test("a candidate about another advisory says which advisories, as they are written", () => {
  expect(renderCandidate(candidate)).toBe(
    [
      "  0.35  bug:1060001  src:xen: XSA-433 not fixed in bookworm",
      "        title words: bookworm, fix",
      "        rare words in both: zen",
      "        18 days apart",
      "        not the same advisory: XSA-434, CVE-2023-20569 here, XSA-433 there",
    ].join("\n"),
  );
});
