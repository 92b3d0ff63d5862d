import type { Evidence } from "./classify.js";
import { fitLogistic, sigmoid } from "../duplicates/logistic.js";

/**
 * How a topic's two scores, the patterns' and the learned model's, make one: a logistic model per
 * topic over both, fitted on scores of labelled reports the model was not trained on. Topics differ:
 * `xl` in the text says little about toolstack (every report runs xl), `FTBFS` says nearly all about
 * build, and the learned layer knows some topics far better than others. A fixed mix cannot say that.
 */
export interface TopicCombiner {
  /** For the pattern probability and the model's scaled log-odds. */
  weights: [number, number];
  bias: number;
}

/** The model's probability as scaled log-odds, bounded so a 0 or 1 cannot run away. */
function modelFeature(modelProbability: number): number {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, modelProbability));
  return Math.log(p / (1 - p)) / 6;
}

/** The combined score of a topic; without a combiner (no model, or no example of the topic), the patterns alone. */
export function combinedScore(combiner: TopicCombiner | undefined, patternProbability: number, modelProbability: number | null): number {
  if (!combiner || modelProbability === null) return patternProbability;
  return sigmoid(combiner.bias + combiner.weights[0] * patternProbability + combiner.weights[1] * modelFeature(modelProbability));
}

/** One topic's scores from the two layers for one report, and the patterns' evidence. */
export interface TopicLayers {
  topic: string;
  pattern: number;
  /** Null when the topic has no model. */
  model: number | null;
  evidence: Evidence[];
}

/** A combiner per topic that has model scores and examples with and without it; lightly regularised. */
export function fitCombiners(rows: { layers: TopicLayers[]; topics: string[] }[], topicNames: string[]): Record<string, TopicCombiner> {
  const out: Record<string, TopicCombiner> = {};
  topicNames.forEach((name) => {
    const usable = rows.flatMap((r) => {
      const l = r.layers.find((x) => x.topic === name);
      return l && l.model !== null ? [{ x: [l.pattern, modelFeature(l.model)], y: r.topics.includes(name) ? 1 : 0 }] : [];
    });
    const positives = usable.filter((r) => r.y === 1).length;
    if (positives === 0 || positives === usable.length) return;
    const fit = fitLogistic(usable, { l2: 1e-2 });
    out[name] = { weights: [fit.weights[0]!, fit.weights[1]!], bias: fit.bias };
  });
  return out;
}
