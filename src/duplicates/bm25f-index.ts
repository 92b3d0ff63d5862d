/**
 * An in-memory BM25F index over reports, incremental: `add` appends a document's postings and updates
 * the field statistics; idf and length norms are computed at query time, so nothing is ever rebuilt.
 *
 * BM25F (Robertson, Zaragoza, Taylor 2004): per term, the field frequencies are length-normalised per
 * field and summed with field weights before one saturation, so a word in the title and the body is not
 * counted as two independent pieces of evidence.
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
  docs = new Int32Array(4);
  tf: Record<Field, Uint16Array> = { title: new Uint16Array(4), body: new Uint16Array(4), later: new Uint16Array(4) };
  size = 0;
  push(doc: number, counts: Record<Field, number>): void {
    if (this.size === this.docs.length) {
      const n = this.size * 2;
      const docs = new Int32Array(n);
      docs.set(this.docs);
      this.docs = docs;
      for (const f of FIELDS) {
        const a = new Uint16Array(n);
        a.set(this.tf[f]);
        this.tf[f] = a;
      }
    }
    this.docs[this.size] = doc;
    for (const f of FIELDS) this.tf[f][this.size] = Math.min(counts[f], 65535);
    this.size++;
  }
}

export class Bm25fIndex {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: Record<Field, number[]> = { title: [], body: [], later: [] };
  private readonly totals: Record<Field, number> = { title: 0, body: 0, later: 0 };
  private scores = new Float64Array(1024);
  private readonly ids: string[] = [];

  constructor(readonly params: Bm25fParams = DEFAULT_BM25F) {}

  get size(): number {
    return this.ids.length;
  }

  idOf(doc: number): string {
    return this.ids[doc]!;
  }

  /** Add a document; returns its number (documents are numbered in the order added). */
  add(id: string, fields: FieldTerms): number {
    const doc = this.ids.length;
    this.ids.push(id);
    const merged = new Map<string, Record<Field, number>>();
    for (const f of FIELDS) {
      let len = 0;
      for (const [term, n] of Object.entries(fields[f])) {
        len += n;
        let c = merged.get(term);
        if (!c) merged.set(term, (c = { title: 0, body: 0, later: 0 }));
        c[f] += n;
      }
      this.lengths[f].push(len);
      this.totals[f] += len;
    }
    for (const [term, c] of merged) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = new Postings()));
      p.push(doc, c);
    }
    return doc;
  }

  /** Inverse document frequency (BM25's, floored at a small positive value). */
  idf(term: string): number {
    const df = this.postings.get(term)?.size ?? 0;
    return Math.max(0.01, Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5)));
  }

  /**
   * Score every document sharing a query term; `accept(doc)` filters candidates (earlier reports, not
   * already merged, not rejected). Returns the best `k` as [doc, score], best first.
   */
  search(query: FieldTerms, k: number, accept: (doc: number) => boolean): [number, number][] {
    const { k1, weight, b, maxQueryTerms } = this.params;
    const n = this.ids.length;
    if (n === 0) return [];
    if (this.scores.length < n) this.scores = new Float64Array(Math.max(n, this.scores.length * 2));
    const scores = this.scores;
    const avg: Record<Field, number> = { title: 1, body: 1, later: 1 };
    for (const f of FIELDS) avg[f] = Math.max(1, this.totals[f] / n);
    const terms = this.queryTerms(query).slice(0, maxQueryTerms);
    const touched: number[] = [];
    for (const { term, qw, idf } of terms) {
      const p = this.postings.get(term);
      if (!p) continue;
      for (let i = 0; i < p.size; i++) {
        const d = p.docs[i]!;
        let tf = 0;
        for (const f of FIELDS) {
          const c = p.tf[f][i]!;
          if (c === 0) continue;
          tf += (weight[f] * c) / (1 - b[f] + (b[f] * this.lengths[f][d]!) / avg[f]);
        }
        if (scores[d] === 0) touched.push(d);
        scores[d]! += qw * idf * (tf / (k1 + tf));
      }
    }
    const best: [number, number][] = [];
    for (const d of touched) {
      const s = scores[d]!;
      scores[d] = 0;
      if (s <= 0 || !accept(d)) continue;
      if (best.length < k) {
        best.push([d, s]);
        if (best.length === k) best.sort((x, y) => y[1] - x[1]);
      } else if (s > best[k - 1]![1]) {
        let i = k - 1;
        while (i > 0 && best[i - 1]![1] < s) {
          best[i] = best[i - 1]!;
          i--;
        }
        best[i] = [d, s];
      }
    }
    return best.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  }

  /**
   * The query's terms with their weight (field-weighted count, saturated) and idf, best first. A term
   * in no document is dropped: it cannot score.
   */
  queryTerms(query: FieldTerms): { term: string; qw: number; idf: number }[] {
    const qtf = new Map<string, number>();
    for (const f of FIELDS) for (const [t, c] of Object.entries(query[f])) qtf.set(t, (qtf.get(t) ?? 0) + this.params.weight[f] * c);
    const out: { term: string; qw: number; idf: number }[] = [];
    for (const [term, w] of qtf) {
      if (!this.postings.has(term)) continue;
      out.push({ term, qw: w / (w + 1), idf: this.idf(term) });
    }
    return out.sort((a, b) => b.qw * b.idf - a.qw * a.idf || (a.term < b.term ? -1 : 1));
  }
}
