/**
 * An in-memory BM25F index over reports, incremental: `add` appends a document's postings and updates
 * the field statistics; idf and length norms are computed at query time, so nothing is ever rebuilt.
 *
 * BM25F (Robertson, Zaragoza, Taylor 2004): per term, the field frequencies are length-normalised per
 * field and summed with field weights before one saturation, so a word in the title and the body is not
 * counted as two independent pieces of evidence.
 *
 * Terms are numbered as they are first seen; postings are typed arrays (4 bytes of document number and
 * one byte of count per field), so 100,000 reports fit in tens of megabytes, not gigabytes of objects.
 */

export const FIELDS = ["title", "body", "later"] as const;
export type Field = (typeof FIELDS)[number];

export interface Bm25fParams {
  k1: number;
  weight: Record<Field, number>;
  b: Record<Field, number>;
  /** Query terms kept, best first by idf times query weight: long reports would otherwise scan every posting. */
  maxQueryTerms: number;
}

export const DEFAULT_BM25F: Bm25fParams = {
  k1: 1.2,
  weight: { title: 3, body: 1, later: 0.3 },
  b: { title: 0.5, body: 0.75, later: 0.75 },
  maxQueryTerms: 48,
};

export type FieldTerms = Record<Field, Record<string, number>>;

/** Postings of one term: document numbers and the term's count in each field, in growable arrays. */
class Postings {
  docs = new Int32Array(2);
  tf = new Uint8Array(6);
  size = 0;
  push(doc: number, title: number, body: number, later: number): void {
    if (this.size === this.docs.length) {
      const docs = new Int32Array(this.size * 2);
      docs.set(this.docs);
      this.docs = docs;
      const tf = new Uint8Array(this.size * 6);
      tf.set(this.tf);
      this.tf = tf;
    }
    this.docs[this.size] = doc;
    const k = this.size * 3;
    this.tf[k] = Math.min(title, 255);
    this.tf[k + 1] = Math.min(body, 255);
    this.tf[k + 2] = Math.min(later, 255);
    this.size++;
  }
}

/** Whether (doc d, score s) ranks before the entry: a higher score, or the same and a lower number. */
function ahead(s: number, d: number, entry: [number, number]): boolean {
  return s > entry[1] || (s === entry[1] && d < entry[0]);
}

/**
 * The first position at or after `from` in the first `size` entries of ascending `docs` whose value is
 * at least `doc` (`size` if none): steps doubling from `from`, then a binary search in the last step.
 */
function leap(docs: Int32Array, size: number, from: number, doc: number): number {
  if (from >= size || docs[from]! >= doc) return from;
  let lo = from;
  let step = 1;
  while (lo + step < size && docs[lo + step]! < doc) {
    lo += step;
    step *= 2;
  }
  // docs[lo] < doc, and docs[hi] >= doc or hi = size.
  let hi = Math.min(lo + step, size);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (docs[mid]! < doc) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A query's terms with what scoring needs of them. */
export interface QueryTerm {
  term: string;
  /** -1 for a term no document has. */
  id: number;
  qw: number;
  idf: number;
}

export class Bm25fIndex {
  private readonly vocabulary = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly postings: Postings[] = [];
  private readonly lengths: Record<Field, number[]> = { title: [], body: [], later: [] };
  private readonly totals: Record<Field, number> = { title: 0, body: 0, later: 0 };
  private scores = new Float64Array(1024);
  private touched = new Int32Array(1024);
  private docs = 0;
  /** idf by term id, valid while `idfAt[id]` equals the document count it was computed at. */
  private idfCache = new Float64Array(1024);
  private idfAt = new Int32Array(1024).fill(-1);
  private normCache = { t: new Float64Array(0), b: new Float64Array(0), l: new Float64Array(0) };
  private normsAt = -1;

  constructor(readonly params: Bm25fParams = DEFAULT_BM25F) {}

  get size(): number {
    return this.docs;
  }

  /** A term's number, or -1 when no document has it. */
  termId(term: string): number {
    return this.vocabulary.get(term) ?? -1;
  }

  termText(id: number): string {
    return this.words[id] ?? "";
  }

  /** Sorted ids of a document's terms (-1 for each term no document has). */
  idsOf(fields: Partial<FieldTerms>): Int32Array {
    const ids = new Set<number>();
    for (const f of FIELDS) for (const t of Object.keys(fields[f] ?? {})) ids.add(this.termId(t));
    return Int32Array.from(ids).sort();
  }

  /** Add a document; returns its number (documents are numbered in the order added) and its term ids. */
  add(fields: FieldTerms): { doc: number; terms: Int32Array; title: Int32Array } {
    const doc = this.docs++;
    const merged = new Map<number, [number, number, number]>();
    FIELDS.forEach((f, k) => {
      let len = 0;
      for (const [term, n] of Object.entries(fields[f])) {
        len += n;
        let id = this.vocabulary.get(term);
        if (id === undefined) {
          this.vocabulary.set(term, (id = this.postings.length));
          this.words.push(term);
          this.postings.push(new Postings());
        }
        let c = merged.get(id);
        if (!c) merged.set(id, (c = [0, 0, 0]));
        c[k]! += n;
      }
      this.lengths[f].push(len);
      this.totals[f] += len;
    });
    for (const [id, [t, b, l]] of merged) this.postings[id]!.push(doc, t, b, l);
    const terms = Int32Array.from(merged.keys()).sort();
    const title = Int32Array.from(Object.keys(fields.title).map((t) => this.vocabulary.get(t)!)).sort();
    return { doc, terms, title };
  }

  /** Inverse document frequency by term id (BM25's, floored at a small positive value); -1 is the rarest. */
  idfOf(id: number): number {
    if (id < 0) return Math.max(0.01, Math.log(1 + (this.docs + 0.5) / 0.5));
    if (id >= this.idfAt.length) {
      const n = Math.max(id + 1, this.idfAt.length * 2);
      const cache = new Float64Array(n);
      cache.set(this.idfCache);
      const at = new Int32Array(n).fill(-1);
      at.set(this.idfAt);
      this.idfCache = cache;
      this.idfAt = at;
    }
    if (this.idfAt[id] !== this.docs) {
      const df = this.postings[id]?.size ?? 0;
      this.idfCache[id] = Math.max(0.01, Math.log(1 + (this.docs - df + 0.5) / (df + 0.5)));
      this.idfAt[id] = this.docs;
    }
    return this.idfCache[id]!;
  }

  idf(term: string): number {
    return this.idfOf(this.termId(term));
  }

  /**
   * Score every document sharing a query term; `accept(doc)` filters candidates (earlier reports, not
   * already merged, not rejected). Returns the best `k` as [doc, score], best first.
   */
  search(query: FieldTerms, k: number, accept: (doc: number) => boolean): [number, number][] {
    const { k1, maxQueryTerms } = this.params;
    const n = this.docs;
    if (n === 0) return [];
    if (this.scores.length < n) this.scores = new Float64Array(Math.max(n, this.scores.length * 2));
    const scores = this.scores;
    const { t: invT, b: invB, l: invL } = this.norms();
    // Documents scored so far, in a buffer kept between queries (a query touches thousands at 100,000
    // reports; a fresh array each time was the collector's work).
    let touched = this.touched;
    let count = 0;
    /** How many of the first touched documents are in document order. */
    let sorted = 0;
    const add = (p: Postings, i: number, w: number) => {
      const d = p.docs[i]!;
      const tf = p.tf[i * 3]! * invT[d]! + p.tf[i * 3 + 1]! * invB[d]! + p.tf[i * 3 + 2]! * invL[d]!;
      if (scores[d] === 0) {
        if (count === touched.length) {
          const grown = new Int32Array(touched.length * 2);
          grown.set(touched);
          this.touched = touched = grown;
        }
        touched[count++] = d;
      }
      scores[d]! += w * (tf / (k1 + tf));
    };
    // Rarer terms first (the order is by idf times query weight). A common term's postings would cost
    // more to walk than they can change the ranking, so once rarer terms have found the candidates, a
    // common term only adds to those, found by binary search in its postings (kept in document order):
    // a report sharing nothing but common words with the query is no candidate anyway. Common: in more
    // than one report in 64 (and 1,000), which at 100,000 reports halves the median query time.
    const common = Math.max(1000, n >> 6);
    for (const { id, qw, idf } of this.queryTerms(query).slice(0, maxQueryTerms)) {
      if (id < 0) continue;
      const p = this.postings[id]!;
      const w = qw * idf;
      if (p.size > common && count > 0 && count * Math.log2(p.size) < p.size) {
        // The documents found so far, in document order (only terms walked in full add to them), met
        // in one pass over the postings, leaping ahead from where the last one was found.
        if (sorted !== count) {
          touched.subarray(0, count).sort();
          sorted = count;
        }
        let i = 0;
        for (let t = 0; t < count && i < p.size; t++) {
          i = leap(p.docs, p.size, i, touched[t]!);
          if (i < p.size && p.docs[i] === touched[t]) add(p, i, w);
        }
      } else {
        for (let i = 0; i < p.size; i++) add(p, i, w);
      }
    }
    const best: [number, number][] = [];
    for (let t = 0; t < count; t++) {
      const d = touched[t]!;
      const s = scores[d]!;
      scores[d] = 0;
      // The filter is the costly part: ask it only of documents that would make the list.
      // Ranked by score, then by document number, in the list as in the final sort.
      if (s <= 0 || (best.length === k && !ahead(s, d, best[k - 1]!)) || !accept(d)) continue;
      if (best.length < k) {
        best.push([d, s]);
        if (best.length === k) best.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      } else {
        let i = k - 1;
        while (i > 0 && ahead(s, d, best[i - 1]!)) {
          best[i] = best[i - 1]!;
          i--;
        }
        best[i] = [d, s];
      }
    }
    return best.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  }

  /**
   * Each document's field weight over its length norm, `w / (1 - b + b * len / avg)`, so that scoring a
   * posting is three multiplications. Recomputed when documents were added since (once per batch of
   * additions in `triage`; a pass over a number per document otherwise).
   */
  private norms(): { t: Float64Array; b: Float64Array; l: Float64Array } {
    const n = this.docs;
    if (this.normsAt !== n) {
      if (this.normCache.t.length < n) {
        const size = Math.max(n, this.normCache.t.length * 2);
        this.normCache = { t: new Float64Array(size), b: new Float64Array(size), l: new Float64Array(size) };
      }
      const { weight, b } = this.params;
      for (const [f, out] of [
        ["title", this.normCache.t],
        ["body", this.normCache.b],
        ["later", this.normCache.l],
      ] as const) {
        const avg = Math.max(1, this.totals[f] / n);
        const len = this.lengths[f];
        for (let d = 0; d < n; d++) out[d] = weight[f] / (1 - b[f] + (b[f] * len[d]!) / avg);
      }
      this.normsAt = n;
    }
    return this.normCache;
  }

  /**
   * What the query would score against itself were it in the index: the ceiling a candidate's score is
   * compared with, so that "as similar as a report can be" means the same for a short and a long report.
   */
  selfScore(query: FieldTerms): number {
    const { k1, weight, b, maxQueryTerms } = this.params;
    const n = Math.max(1, this.docs);
    const len: Record<Field, number> = { title: 0, body: 0, later: 0 };
    for (const f of FIELDS) for (const c of Object.values(query[f])) len[f] += c;
    let score = 0;
    for (const { term, qw, idf } of this.queryTerms(query).slice(0, maxQueryTerms)) {
      let tf = 0;
      for (const f of FIELDS) {
        const c = query[f][term] ?? 0;
        if (c === 0) continue;
        const avg = Math.max(1, this.totals[f] / n);
        tf += (weight[f] * c) / (1 - b[f] + (b[f] * len[f]) / avg);
      }
      score += qw * idf * (tf / (k1 + tf));
    }
    return score;
  }

  /**
   * The query's terms with their weight (field-weighted count, saturated) and idf, best first. A term
   * no document has is kept with id -1: it cannot score, but it is part of what the query says.
   */
  queryTerms(query: FieldTerms): QueryTerm[] {
    const qtf = new Map<string, number>();
    for (const f of FIELDS) for (const [t, c] of Object.entries(query[f])) qtf.set(t, (qtf.get(t) ?? 0) + this.params.weight[f] * c);
    const out: QueryTerm[] = [];
    for (const [term, w] of qtf) {
      const id = this.termId(term);
      out.push({ term, id, qw: w / (w + 1), idf: this.idfOf(id) });
    }
    // Terms no document has go last: they cannot score, and must not crowd out terms that can.
    return out.sort((a, b) => (a.id < 0 ? 1 : 0) - (b.id < 0 ? 1 : 0) || b.qw * b.idf - a.qw * a.idf || (a.term < b.term ? -1 : 1));
  }
}
