export interface TopicMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassifyEval {
  reports: number;
  macroF1: number;
  /** Share of reports given at least one topic their labels do not have. */
  wrongTopicRate: number;
  /** Share of reports given no topic at all ("needs a human"). */
  abstained: number;
  topics: Record<string, TopicMetrics>;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Per-topic precision, recall and F1 of predictions against labels, over the labelled reports; macro-F1
 * over the topics the labels use.
 */
export function evaluateTopics(predicted: Map<string, string[]>, labels: Map<string, string[]>, topicNames: string[]): ClassifyEval {
  const ids = [...labels.keys()].filter((id) => predicted.has(id));
  const topics: Record<string, TopicMetrics> = {};
  let wrong = 0;
  let abstained = 0;
  for (const id of ids) {
    const p = predicted.get(id)!;
    const l = labels.get(id)!;
    if (p.some((t) => !l.includes(t))) wrong++;
    if (p.length === 0) abstained++;
  }
  const f1s: number[] = [];
  for (const name of topicNames) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const id of ids) {
      const p = predicted.get(id)!.includes(name);
      const l = labels.get(id)!.includes(name);
      if (p && l) tp++;
      else if (p) fp++;
      else if (l) fn++;
    }
    const support = tp + fn;
    if (support === 0 && fp === 0) continue;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    topics[name] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
    if (support > 0) f1s.push(f1);
  }
  return {
    reports: ids.length,
    macroF1: round(f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0),
    wrongTopicRate: round(ids.length ? wrong / ids.length : 0),
    abstained: round(ids.length ? abstained / ids.length : 0),
    topics,
  };
}
