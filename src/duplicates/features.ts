import { fnv1a } from "./dup-doc.js";

/**
 * What the re-ranker reads of a (new report, earlier candidate) pair. Each feature is a number in a
 * small range, so one linear model weighs them; `evidence` keeps the words behind them for people.
 */
export const FEATURES = [
  /** Share of the new report's title (idf-weighted) found anywhere in the candidate. */
  "titleCoverage",
  /** Share of the candidate's title found anywhere in the new report. */
  "candidateTitleCoverage",
  /** BM25F score over the best candidate's. */
  "relativeToBest",
  /** BM25F score over the new report's score against itself. */
  "relativeToSelf",
  "titleCosine",
  /** Cosine of the two reports' term sets, idf-weighted. */
  "termCosine",
  /** log(1 + days between the two reports): duplicates cluster after a release or an upload. */
  "logDaysApart",
  /** Rare terms both share (idf above half the maximum), up to 10, over 10. */
  "sharedRareTerms",
  /** Lines both show (log lines, command output) that few other reports show, up to 3, over 3. */
  "sharedRareLines",
  /** 1 / (BM25F rank + 1). */
  "inverseRank",
] as const;

export interface PairEvidence {
  /** Title words of the new report the candidate has too. */
  titleTerms: string[];
  /** The rarest terms both share, rarest first. */
  sharedTerms: string[];
  errorLines: string[];
  /** The new report says it is the same as the candidate's bug. */
  sameAs: boolean;
  daysApart: number | null;
  /** The advisories each names, when they are different advisories (see otherAdvisories): different bugs. */
  advisories?: { report: string[]; candidate: string[] };
  /** What each report was filed against (its `Package:` line, or the BTS's package when synced); absent in candidates stored before it was kept. */
  packages?: { report: string | null; candidate: string | null };
}

/** The part of a report pair features read: sorted term ids (-1: a term no indexed report has). */
export interface FeatureDoc {
  bug: number | null;
  date: string | null;
  terms: Int32Array;
  title: Int32Array;
  errors: string[];
  package: string | null;
  /** Sorted line hashes. */
  lines: Int32Array;
  advisories: string[];
  sameAs: number[];
}

export interface PairContext {
  bm25: number;
  best: number;
  self: number;
  rank: number;
  idf: (id: number) => number;
  /** A term id's text, for evidence. */
  term: (id: number) => string;
  /** idf of a term seen in one report only: the largest idf there is. */
  maxIdf: number;
  /** Whether few reports show this line (by its hash). */
  rareLine: (hash: number) => boolean;
  /** The query's own sums, the same for every candidate (see querySums). */
  query: QuerySums;
}

export interface QuerySums {
  titleIdf: number;
  titleIdfSq: number;
  termsIdfSq: number;
}

/** What pairFeatures needs of the query alone: computed once per query, not once per candidate. */
export function querySums(query: FeatureDoc, idf: (id: number) => number): QuerySums {
  return { titleIdf: idfSum(query.title, idf), titleIdfSq: idfSqSum(query.title, idf), termsIdfSq: idfSqSum(query.terms, idf) };
}

/** Values in both sorted arrays. */
function intersectAll(a: Int32Array, b: Int32Array): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return out;
}

/** Ids in both sorted arrays (never -1). */
export function intersect(a: Int32Array, b: Int32Array): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      if (x >= 0) out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

function idfSum(ids: Iterable<number>, idf: (id: number) => number): number {
  let s = 0;
  for (const id of ids) s += idf(id);
  return s;
}

export function daysBetween(a: string | null, b: string | null): number | null {
  if (!a || !b) return null;
  const ms = Math.abs(Date.parse(a) - Date.parse(b));
  return Number.isFinite(ms) ? ms / 86_400_000 : null;
}

export function pairFeatures(query: FeatureDoc, cand: FeatureDoc, ctx: PairContext): { x: number[]; evidence: PairEvidence } {
  const { idf } = ctx;
  const { titleIdf: qTitleAll, titleIdfSq: qt, termsIdfSq: qAll } = ctx.query;
  const cTitleAll = idfSum(cand.title, idf);
  const qTitleInC = intersect(query.title, cand.terms);
  const cTitleInQ = intersect(cand.title, query.terms);
  const titleBoth = intersect(query.title, cand.title);
  const shared = intersect(query.terms, cand.terms);
  const cAll = idfSqSum(cand.terms, idf);
  const rare = ctx.maxIdf / 2;
  const sharedRare = shared.filter((id) => idf(id) > rare).sort((a, b) => idf(b) - idf(a) || a - b);
  const sharedLines = intersectAll(query.lines, cand.lines).filter(ctx.rareLine);
  const errorLines = query.errors.filter((e) => cand.errors.includes(e) && ctx.rareLine(fnv1a(e)));
  const days = daysBetween(query.date, cand.date);
  const titleDot = idfSqSum(titleBoth, idf);
  const ct = idfSqSum(cand.title, idf);
  const x = [
    qTitleAll > 0 ? idfSum(qTitleInC, idf) / qTitleAll : 0,
    cTitleAll > 0 ? idfSum(cTitleInQ, idf) / cTitleAll : 0,
    ctx.best > 0 ? ctx.bm25 / ctx.best : 0,
    ctx.self > 0 ? Math.min(1.5, ctx.bm25 / ctx.self) : 0,
    qt > 0 && ct > 0 ? titleDot / Math.sqrt(qt * ct) : 0,
    qAll > 0 && cAll > 0 ? idfSqSum(shared, idf) / Math.sqrt(qAll * cAll) : 0,
    Math.log1p(days ?? 365),
    Math.min(sharedRare.length, 10) / 10,
    Math.min(sharedLines.length, 3) / 3,
    1 / (ctx.rank + 1),
  ];
  return {
    x,
    evidence: {
      titleTerms: qTitleInC.sort((a, b) => idf(b) - idf(a) || a - b).slice(0, 8).map(ctx.term),
      sharedTerms: sharedRare.slice(0, 8).map(ctx.term),
      errorLines: errorLines.slice(0, 3),
      sameAs: cand.bug !== null && query.sameAs.includes(cand.bug),
      daysApart: days === null ? null : Math.round(days),
      packages: { report: query.package, candidate: cand.package },
      ...(otherAdvisories(query.advisories, cand.advisories) ? { advisories: { report: query.advisories, candidate: cand.advisories } } : {}),
    },
  };
}

/**
 * Whether two reports are about different security advisories: both name an XSA (or both a CVE), and
 * they name no advisory in common. One naming XSA-433 and the other CVE-2023-20593 is not enough: that
 * can be one hole under its two names.
 */
export function otherAdvisories(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0 || a.some((x) => b.includes(x))) return false;
  return a.some((x) => b.some((y) => x.slice(0, 4) === y.slice(0, 4)));
}

function idfSqSum(ids: Iterable<number>, idf: (id: number) => number): number {
  let s = 0;
  for (const id of ids) s += idf(id) ** 2;
  return s;
}
