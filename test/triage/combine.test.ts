import { combinedScore, fitCombiners, type TopicLayers } from "../../src/triage/combine.js";
import { compileTaxonomy, fitThresholds } from "../../src/triage/classify.js";

const layer = (topic: string, pattern: number, model: number | null): TopicLayers => ({ topic, pattern, model, evidence: [] });

test("combiners: each topic learns which layer tells it apart; topics without both kinds of example, or without a model, get none", () => {
  const rows: { layers: TopicLayers[]; topics: string[] }[] = [];
  for (let i = 0; i < 40; i++) {
    const yes = i % 2 === 0;
    // For "patterned" only the patterns know; for "learned" only the model; "always" is on every report.
    const noise = (i % 5) / 10;
    rows.push({
      layers: [layer("patterned", yes ? 0.8 : 0.1, 0.3 + noise), layer("learned", 0.3 + noise, yes ? 0.9 : 0.05), layer("always", 0.5, 0.5), layer("unmodelled", 0.4, null)],
      topics: yes ? ["patterned", "learned", "always"] : ["always"],
    });
  }
  const c = fitCombiners(rows, ["patterned", "learned", "always", "unmodelled"]);
  expect(Object.keys(c)).toEqual(["patterned", "learned"]);
  expect(Math.abs(c["patterned"]!.weights[0])).toBeGreaterThan(5 * Math.abs(c["patterned"]!.weights[1]));
  expect(Math.abs(c["learned"]!.weights[1])).toBeGreaterThan(5 * Math.abs(c["learned"]!.weights[0]));
  expect([0.8, 0.1].map((p) => combinedScore(c["patterned"], p, 0.4) > 0.5)).toEqual([true, false]);
  expect([0.9, 0.05].map((m) => combinedScore(c["learned"], 0.4, m) > 0.5)).toEqual([true, false]);
  // Without a combiner or a model score: the patterns alone.
  expect([combinedScore(undefined, 0.42, 0.9), combinedScore(c["learned"], 0.42, null)]).toEqual([0.42, 0.42]);
});

test("thresholds: the middle of the range of about equally good ones, not its edge; the taxonomy's own wins", () => {
  const ct = compileTaxonomy({
    a: { description: "a", patterns: [["alpha", 1]] },
    b: { description: "b", patterns: [["beta", 1]], threshold: 0.9 },
  });
  const ev = [{ term: "alpha", message: 1, line: 1, text: "alpha" }];
  // Positives at 0.7 and above, negatives at 0.3 and below: every threshold from 0.325 to 0.7 is perfect.
  const scored = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1].map((s, i) => ({
    scores: [
      { topic: "a", score: s, evidence: ev },
      { topic: "b", score: s, evidence: ev },
    ],
    topics: i < 3 ? ["a"] : [],
  }));
  expect(fitThresholds(ct, scored)).toEqual({ a: 0.5, b: 0.9 });
});
