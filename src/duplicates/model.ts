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
  calibration: { slope: number; intercept: number };
  /** Suggestions at or above this score are shown by default; below it the bot stays silent. */
  threshold: number;
}

export const DUPLICATE_MODEL: DuplicateModel = {
  version: "dup-1",
  pool: 50,
  // Fitted by bench/fit-duplicates.ts, in the order of FEATURES.
  ranker: { weights: [1.391, 4.627, 2.598, -1.0108, 1.6922, -0.2395, -0.6406, 1.216, -0.1291, 1.8832], bias: -1.01 },
  calibration: { slope: 0.9809, intercept: -4.8692 },
  threshold: 0.7,
};
