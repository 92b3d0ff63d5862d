import { Bm25fIndex, DEFAULT_BM25F, type Bm25fParams } from "./bm25f-index.js";
import type { DupDoc } from "./dup-doc.js";
import { FEATURES, type FeatureDoc, type PairEvidence, pairFeatures, querySums } from "./features.js";
import { DUPLICATE_MODEL, type DuplicateModel, pairScore, rankerOutput } from "./model.js";

export interface DuplicateCandidate {
  /** The earlier report. */
  id: string;
  /** Calibrated: about the share of candidates scored so that turn out to be duplicates. */
  score: number;
  evidence: PairEvidence;
}

/** What the finder keeps of an indexed report: its metadata and its terms as sorted ids. */
interface Indexed extends FeatureDoc {
  id: string;
  mergedWith: number[];
  /** The date as a number, for the earlier-than test on every scored document (NaN: no date). */
  time: number;
}

/**
 * Duplicate candidates for a report: BM25F retrieval of the `pool` best earlier reports, re-ranked by
 * a linear model over pair features, its output mapped to a calibrated probability. A report that says
 * in its own words that it is the same as a bug gets that bug at the top, whatever the words.
 *
 * Incremental: `add` indexes one report; a changed report is added again and its old entry is ignored
 * from then on (its share of the collection statistics stays, which moves idf by a hair).
 */
export class DuplicateFinder {
  private readonly index: Bm25fIndex;
  private readonly docs: Indexed[] = [];
  private readonly current = new Map<string, number>();
  /** Index entries replaced by a newer version of their report. */
  private dead = new Uint8Array(1024);
  private readonly byBug = new Map<number, number>();
  /** How many reports show each line (by hash). */
  private readonly lineDf = new Map<number, number>();

  constructor(
    readonly model: DuplicateModel = DUPLICATE_MODEL,
    params: Bm25fParams = DEFAULT_BM25F,
  ) {
    this.index = new Bm25fIndex(params);
  }

  get size(): number {
    return this.current.size;
  }

  add(doc: DupDoc): void {
    const { doc: n, terms, title } = this.index.add(doc);
    const previous = this.current.get(doc.id);
    if (previous !== undefined) this.dead[previous] = 1;
    if (n >= this.dead.length) {
      const grown = new Uint8Array(this.dead.length * 2);
      grown.set(this.dead);
      this.dead = grown;
    }
    const lines = Int32Array.from(doc.lines ?? []).sort();
    for (const h of lines) this.lineDf.set(h, (this.lineDf.get(h) ?? 0) + 1);
    this.docs[n] = { id: doc.id, bug: doc.bug, date: doc.date, time: timeOf(doc.date), mergedWith: doc.mergedWith, terms, title, errors: doc.errors, package: doc.package, lines, advisories: doc.advisories ?? [], sameAs: doc.sameAs };
    this.current.set(doc.id, n);
    if (doc.bug !== null) this.byBug.set(doc.bug, n);
  }

  has(id: string): boolean {
    return this.current.has(id);
  }

  /**
   * The `k` best earlier reports for `doc`, best first, whatever their score. `skip(id)` leaves out
   * pairs never to suggest (merged already, rejected by a maintainer).
   */
  candidates(doc: DupDoc, k: number, skip: (id: string) => boolean = () => false): DuplicateCandidate[] {
    return this.pooled(doc, Math.max(k, this.model.pool), skip)
      .map(({ id, x, evidence }) => {
        const z = rankerOutput(this.model, x);
        const p = pairScore(this.model, x, evidence.advisories !== undefined);
        const score = evidence.sameAs ? Math.max(SAME_AS_SCORE, p) : p;
        return { id, z: evidence.sameAs ? Infinity : z, score, evidence };
      })
      .sort((a, b) => b.z - a.z || (a.id < b.id ? -1 : 1))
      .slice(0, k)
      .map(({ id, score, evidence }) => ({ id, score: Math.round(score * 1000) / 1000, evidence }));
  }

  /** The features of every pooled candidate, for fitting the model (offline). */
  featureRows(doc: DupDoc, skip: (id: string) => boolean = () => false): { id: string; x: number[]; differentAdvisories: boolean }[] {
    return this.pooled(doc, this.model.pool, skip).map(({ id, x, evidence }) => ({ id, x, differentAdvisories: evidence.advisories !== undefined }));
  }

  private pooled(doc: DupDoc, pool: number, skip: (id: string) => boolean): { id: string; x: number[]; evidence: PairEvidence }[] {
    const live = (n: number) => this.dead[n] === 0;
    const time = timeOf(doc.date);
    const earlier = (other: Indexed) =>
      (Number.isNaN(time) || Number.isNaN(other.time) ? isEarlier(other, doc) : other.time < time || (other.time === time && other.id < doc.id)) &&
      other.id !== doc.id &&
      !(other.bug !== null && doc.mergedWith.includes(other.bug)) &&
      !skip(other.id);
    const hits = this.index.search(doc, pool, (n) => live(n) && earlier(this.docs[n]!));
    // A bug the report names as the same problem is a candidate even when the words differ.
    for (const bug of doc.sameAs) {
      const n = this.byBug.get(bug);
      if (n !== undefined && live(n) && earlier(this.docs[n]!) && !hits.some(([h]) => h === n)) hits.push([n, 0]);
    }
    if (hits.length === 0) return [];
    const n = this.current.get(doc.id);
    const query: FeatureDoc =
      n !== undefined
        ? this.docs[n]!
        : {
            bug: doc.bug,
            date: doc.date,
            terms: this.index.idsOf(doc),
            title: this.index.idsOf({ title: doc.title }),
            errors: doc.errors,
            package: doc.package,
            lines: Int32Array.from(doc.lines ?? []).sort(),
            advisories: doc.advisories ?? [],
            sameAs: doc.sameAs,
          };
    let written: Map<string, string> | undefined;
    const best = hits[0]![1];
    const self = this.index.selfScore(doc);
    // A line is rare when at most a handful of reports show it (one in a thousand in a large archive).
    const rareLimit = Math.max(3, Math.ceil(this.size / 1000));
    const idf = (id: number) => this.index.idfOf(id);
    const ctx = {
      best,
      self,
      idf,
      query: querySums(query, idf),
      // Evidence terms are the query's: shown as the query writes them.
      term: (id: number) => {
        const t = this.index.termText(id);
        return (written ??= wordsBehindStems(doc)).get(t) ?? t;
      },
      maxIdf: this.index.idfOf(-1),
      rareLine: (h: number) => (this.lineDf.get(h) ?? 0) <= rareLimit,
    };
    return hits.map(([c, bm25], rank) => ({ id: this.docs[c]!.id, ...pairFeatures(query, this.docs[c]!, { ...ctx, bm25, rank }) }));
  }
}

/** The words a report writes for its stems (from `surface`'s `stem word` lines). */
function wordsBehindStems(doc: DupDoc): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of doc.surface ? doc.surface.split("\n") : []) {
    const space = line.indexOf(" ");
    if (space > 0) out.set(line.slice(0, space), line.slice(space + 1));
  }
  return out;
}

function timeOf(date: string | null): number {
  return date ? Date.parse(date) : NaN;
}

/** A report that says "same as #N" in its own words is believed, whatever the model says. */
const SAME_AS_SCORE = 0.97;

/** Earlier: an earlier first date; the same date (or none) is broken by id, so exactly one of two is earlier. */
export function isEarlier(a: { id: string; date: string | null }, b: { id: string; date: string | null }): boolean {
  const da = a.date ?? "";
  const db = b.date ?? "";
  return da < db || (da === db && a.id < b.id);
}

export { FEATURES };
