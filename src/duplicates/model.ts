import { sigmoid } from "./logistic.js";

/**
 * The duplicate finder's fitted weights. `ranker` orders candidates (a logistic model fitted with
 * balanced classes on reports that have a known duplicate); `calibration` maps its output to the share
 * of such candidates that are duplicates (fitted on every report, with or without one, so a report
 * without a duplicate scores low). `npm run fit-duplicates` refits both and prints this file's values.
 */
export interface DuplicateModel {
  version: string;
  /** Candidates retrieved by BM25F before re-ranking. */
  pool: number;
  ranker: { weights: number[]; bias: number };
  /**
   * score = sigmoid(weights[0] * z + sum of weights[k + 1] * x[features[k]] + bias): the ranker's output z
   * and a few absolute features (how similar the two reports are, not how they rank), since whether a
   * report has a duplicate at all cannot be told from ranks.
   */
  calibration: { features: number[]; weights: number[]; bias: number };
  /** Suggestions at or above this score are shown by default; below it the bot stays silent. */
  threshold: number;
}

export const DUPLICATE_MODEL: DuplicateModel = {
  version: "dup-5",
  pool: 50,
  // Fitted by bench/fit-duplicates.ts, in the order of FEATURES.
  ranker: { weights: [1.2975, 4.832, 1.1224, -0.1401, 1.0158, 0.4662, -0.4767, 1.9539, 0.6914, 2.1392], bias: -1.359 },
  calibration: { features: [], weights: [0.6117], bias: -4.5551 },
  // The lowest at which our sets, each scored by a model fitted without it, have precision 0.85 or more
  // and no near-miss suggested, there and at every threshold above (bench/fit-duplicates.ts).
  threshold: 0.65,
};

/** The ranker's output for a pair's features. */
export function rankerOutput(model: DuplicateModel, x: number[]): number {
  return model.ranker.bias + x.reduce((s, v, i) => s + v * model.ranker.weights[i]!, 0);
}

/** The calibrated score of a pair, from the ranker's output and the pair's features. */
export function calibratedScore(model: DuplicateModel, z: number, x: number[]): number {
  const { features, weights, bias } = model.calibration;
  let t = bias + weights[0]! * z;
  features.forEach((f, k) => (t += weights[k + 1]! * x[f]!));
  return sigmoid(t);
}

/**
 * The score a pair is shown with: the calibrated score, except that reports about different security
 * advisories are different bugs however alike their words, so they stay below the threshold.
 */
export function pairScore(model: DuplicateModel, x: number[], differentAdvisories: boolean): number {
  const p = calibratedScore(model, rankerOutput(model, x), x);
  return differentAdvisories ? Math.min(p, model.threshold / 2) : p;
}
