import type { ReportSummary } from "../../src/store/store.js";
import type { ListedCandidate } from "../../src/pipeline/list-duplicates.js";

/** A report as `listReports` gives it, with defaults for what a test does not care about. */
export function report(id: string, title: string, extra: Partial<ReportSummary> = {}): ReportSummary {
  const bug = /^bug:(\d+)$/.exec(id);
  return {
    id,
    bug: bug ? Number(bug[1]) : null,
    title,
    package: "src:xen",
    state: "open",
    severity: "normal",
    topics: [],
    messages: 1,
    mergedWith: [],
    stateFrom: "bts",
    firstDate: "2025-03-01T00:00:00.000Z",
    lastDate: "2025-03-01T00:00:00.000Z",
    ...extra,
  };
}

/** A duplicate candidate with no merge plan and no evidence. */
export function candidate(id: string, title: string, score: number): ListedCandidate {
  return {
    report: id,
    title,
    score,
    control: null,
    bts: null,
    why: [],
    effects: [],
    evidence: { titleTerms: [], sharedTerms: [], errorLines: [], sameAs: false, daysApart: null },
  };
}
