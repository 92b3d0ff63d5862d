import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CsvError, parseCsv } from "../sources/csv.js";
import { gitbugsMail, readGitbugsPairs, readGitbugsReports } from "../sources/gitbugs.js";
import { openSqliteStore } from "../store/sqlite.js";
import { rankMetrics, suggestionMetrics } from "../duplicates/metrics.js";
import { DUPLICATE_MODEL, type DuplicateModel } from "../duplicates/model.js";
import { ingest } from "./ingest.js";
import { findDuplicates } from "./find-duplicates.js";
import { listDuplicates } from "./list-duplicates.js";
import { readLabelledPairs } from "./duplicate-sets.js";

export interface DuplicatesEval {
  queries: number;
  rr1: number;
  rr5: number;
  rr10: number;
  map: number;
  threshold: number;
  /** Default suggestions (pairs at or above the threshold) and how many of them are labelled pairs. */
  suggestions: number;
  precision: number;
  recall: number;
  /** Labelled near-miss pairs, and how many of them were suggested (our sets only). */
  nearMisses: number;
  nearMissesSuggested: number;
  /** Labelled pairs whose duplicate was not in the first 10, with the rank it had (null: not in the 50 ranked). */
  missed: { report: string; duplicateOf: string; rank: number | null }[];
}

/** How deep each query is ranked for MAP: a duplicate further down counts as not found. */
const RANKED = 50;

/**
 * Measure the duplicate finder on a labelled set, by the gitbugs reference protocol: the reports are
 * ingested as mail into a scratch store (gitbugs CSV rows become one `Bug#ID: Summary` mail each, dated
 * by Created; an mbox is ingested as it is), `triage` finds duplicates, and each labelled pair is a
 * query: the newer report, answered by every earlier one.
 *
 * Pairs: gitbugs' `Issue id,Duplicate id` (a list of ids allowed) or ours, `report,duplicate_of,kind`.
 */
export async function evalDuplicates(reportsPath: string, pairsPath: string, model: DuplicateModel = DUPLICATE_MODEL): Promise<DuplicatesEval> {
  const dir = mkdtempSync(join(tmpdir(), "xen-triage-dups-"));
  try {
    let mailPath = reportsPath;
    if (!isMbox(reportsPath)) {
      mailPath = join(dir, "reports.mbox");
      writeFileSync(mailPath, readGitbugsReports(readFileSync(reportsPath, "utf8"), reportsPath).map(gitbugsMail).join(""));
    }
    const store = openSqliteStore(join(dir, "eval.sqlite"));
    try {
      const ingested = await ingest([mailPath], store, { workers: false });
      if (ingested.messages === 0) throw new Error(`${reportsPath}: no mail to ingest`);
      await findDuplicates(store, { model });
      const reports = new Map((await store.listReports()).map((r) => [r.id, r]));
      const labelled = readPairs(pairsPath).filter((p) => reports.has(p.a) && reports.has(p.b));
      // The newer report is the query (by first date, then id as the finder breaks ties).
      const ordered = labelled.map((p) => {
        const da = reports.get(p.a)!.firstDate ?? "";
        const db = reports.get(p.b)!.firstDate ?? "";
        return da > db || (da === db && p.a > p.b) ? { query: p.a, other: p.b, kind: p.kind } : { query: p.b, other: p.a, kind: p.kind };
      });
      const ranked = new Map((await listDuplicates(store, { top: RANKED, model })).map((l) => [l.report, l.candidates.map((c) => c.report)]));
      const duplicates = ordered.filter((p) => p.kind === "duplicate");
      const ranks = duplicates.map((p) => {
        const k = (ranked.get(p.query) ?? []).indexOf(p.other);
        return k < 0 ? null : k + 1;
      });
      const suggested: [string, string][] = (await listDuplicates(store, { model })).flatMap((l) => l.candidates.map((c): [string, string] => [l.report, c.report]));
      const isSuggested = (a: string, b: string) => suggested.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
      const nearMisses = ordered.filter((p) => p.kind === "near-miss");
      return {
        ...rankMetrics(ranks),
        threshold: model.threshold,
        ...suggestionMetrics(suggested, duplicates.map((p) => [p.query, p.other])),
        nearMisses: nearMisses.length,
        nearMissesSuggested: nearMisses.filter((p) => isSuggested(p.query, p.other)).length,
        missed: duplicates.flatMap((p, k) => (ranks[k] === null || ranks[k]! > 10 ? [{ report: p.query, duplicateOf: p.other, rank: ranks[k]! }] : [])),
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isMbox(path: string): boolean {
  const head = readFileSync(path).subarray(0, 5);
  return head.toString("latin1") === "From " || (head[0] === 0x1f && head[1] === 0x8b);
}

/** Pairs of report ids, in either CSV form. */
function readPairs(path: string): { a: string; b: string; kind: "duplicate" | "near-miss" }[] {
  const text = readFileSync(path, "utf8");
  const header = parseCsv(text.split("\n", 1)[0] ?? "", path)[0]?.fields.map((f) => f.trim()) ?? [];
  if (header.includes("Issue id")) return readGitbugsPairs(text, path).map(([a, b]) => ({ a: `bug:${a}`, b: `bug:${b}`, kind: "duplicate" as const }));
  if (!header.includes("report")) throw new CsvError(`${path}, line 1: expected columns "Issue id,Duplicate id" (gitbugs) or "report,duplicate_of,kind"`);
  return readLabelledPairs(path).map((p) => ({ a: p.report, b: p.other, kind: p.kind }));
}
