/**
 * Retrieval measures by the protocol of the gitbugs reference figure: each labelled duplicate pair is
 * one query (the newer report), answered by a ranking of earlier reports. RR@k is the share of queries
 * whose duplicate is in the first k; MAP is the mean of 1/rank (average precision with one relevant
 * answer), 0 when it is not ranked.
 */
export interface RankMetrics {
  queries: number;
  rr1: number;
  rr5: number;
  rr10: number;
  map: number;
}

export function rankMetrics(ranks: (number | null)[]): RankMetrics {
  const q = ranks.length || 1;
  const within = (k: number) => ranks.filter((r) => r !== null && r <= k).length / q;
  return {
    queries: ranks.length,
    rr1: round(within(1)),
    rr5: round(within(5)),
    rr10: round(within(10)),
    map: round(ranks.reduce<number>((s, r) => s + (r ? 1 / r : 0), 0) / q),
  };
}

/**
 * Precision and recall of suggestions against labelled pairs (pairs unordered). Duplicates are one bug
 * however many reports it has: when A and B both duplicate C, a suggestion of A for B is right too, so
 * precision counts every pair within a group of labelled duplicates; recall counts the labelled pairs.
 */
export function suggestionMetrics(suggested: [string, string][], labelled: [string, string][]): { suggestions: number; precision: number; recall: number } {
  const key = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
  const truth = new Set(labelled.map(([a, b]) => key(a, b)));
  const group = groupsOf(labelled);
  const right = ([a, b]: [string, string]) => group.has(a) && group.get(a) === group.get(b);
  const hits = new Set(suggested.map(([a, b]) => key(a, b)).filter((k) => truth.has(k)));
  return {
    suggestions: suggested.length,
    precision: suggested.length ? round(suggested.filter(right).length / suggested.length) : 1,
    recall: truth.size ? round(hits.size / truth.size) : 1,
  };
}

/** Each report of a labelled pair, to a name of its group of duplicates (union-find over the pairs). */
export function groupsOf(pairs: [string, string][]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const [a, b] of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
  }
  return new Map([...parent.keys()].map((x) => [x, find(x)]));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
