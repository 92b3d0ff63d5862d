import { type RankMetrics, rankMetrics, suggestionMetrics } from "../../src/duplicates/metrics.js";

describe("rankMetrics", () => {
  const rows: Array<[string, (number | null)[], RankMetrics]> = [
    // name, rank of each query's duplicate (1-based, null: not ranked), expected
    ["every duplicate first", [1, 1, 1], { queries: 3, rr1: 1, rr5: 1, rr10: 1, map: 1 }],
    [
      "ranks 1, 2, 5, 10, 11 and one unranked",
      [1, 2, 5, 10, 11, null],
      // MAP: (1 + 1/2 + 1/5 + 1/10 + 1/11 + 0) / 6 = 1.891/6 = 0.31515...
      { queries: 6, rr1: 0.167, rr5: 0.5, rr10: 0.667, map: 0.315 },
    ],
    ["rank 5 is within 5, rank 6 is not", [5, 6], { queries: 2, rr1: 0, rr5: 0.5, rr10: 1, map: 0.183 }],
    ["nothing ranked", [null, null], { queries: 2, rr1: 0, rr5: 0, rr10: 0, map: 0 }],
    ["rounding to three places: 2/3", [1, 1, null], { queries: 3, rr1: 0.667, rr5: 0.667, rr10: 0.667, map: 0.667 }],
    ["no queries", [], { queries: 0, rr1: 0, rr5: 0, rr10: 0, map: 0 }],
  ];
  test.each(rows)("%s", (_name, ranks, expected) => {
    expect(rankMetrics(ranks)).toEqual(expected);
  });
});

describe("suggestionMetrics", () => {
  type Pairs = [string, string][];
  const labelled: Pairs = [
    ["bug:1039422", "bug:1028251"],
    ["bug:1050000", "bug:1029998"],
    ["bug:1051234", "bug:1040123"],
  ];
  const rows: Array<[string, Pairs, Pairs, { suggestions: number; precision: number; recall: number }]> = [
    ["all right, all found", labelled, labelled, { suggestions: 3, precision: 1, recall: 1 }],
    ["pairs are unordered", labelled.map(([a, b]) => [b, a]), labelled, { suggestions: 3, precision: 1, recall: 1 }],
    [
      "one right, one wrong: precision 1/2, recall 1/3",
      [
        ["bug:1028251", "bug:1039422"],
        ["bug:1050000", "bug:1040123"],
      ],
      labelled,
      { suggestions: 2, precision: 0.5, recall: 0.333 },
    ],
    [
      "the same right pair twice: both count for precision, once for recall",
      [
        ["bug:1039422", "bug:1028251"],
        ["bug:1028251", "bug:1039422"],
        ["bug:1031000", "bug:1029998"],
      ],
      labelled,
      { suggestions: 3, precision: 0.667, recall: 0.333 },
    ],
    ["no suggestions: precision 1 (nothing wrong said), recall 0", [], labelled, { suggestions: 0, precision: 1, recall: 0 }],
    ["nothing labelled: recall 1, every suggestion wrong", [["bug:1", "bug:2"]], [], { suggestions: 1, precision: 0, recall: 1 }],
    [
      "two reports duplicating one bug: suggesting one for the other is right, though not a labelled pair",
      [
        ["bug:1060002", "bug:1060001"],
        ["bug:1060003", "bug:1060002"],
        ["bug:1060003", "bug:1039422"],
      ],
      [
        ["bug:1060002", "bug:1060001"],
        ["bug:1060003", "bug:1060001"],
      ],
      { suggestions: 3, precision: 0.667, recall: 0.5 },
    ],
    ["labels given in both directions count once", [["bug:1039422", "bug:1028251"]], [...labelled, ["bug:1028251", "bug:1039422"]], { suggestions: 1, precision: 1, recall: 0.333 }],
  ];
  test.each(rows)("%s", (_name, suggested, truth, expected) => {
    expect(suggestionMetrics(suggested, truth)).toEqual(expected);
  });
});
