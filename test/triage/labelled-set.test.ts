import { join } from "node:path";
import { docsOfMboxes, labelledMboxes, readLabels } from "../../src/pipeline/classifier.js";
import { DEFAULT_TAXONOMY } from "../../src/triage/taxonomy.js";

/** Our labelled set (fixtures/labelled): its labels name reports the store builds from its mail, with topics of the taxonomy. */
const dir = join(process.cwd(), "fixtures", "labelled");

test("every label names a report of the labelled mail, once, in one part, with topics of the taxonomy; list threads are a part of their own", async () => {
  const reports = await docsOfMboxes(labelledMboxes());
  const parts = ["labels-train.jsonl", "labels-eval.jsonl", "labels-threads.jsonl"].map((f) => readLabels(join(dir, f)));
  const ids = parts.flatMap((p) => [...p.keys()]);
  const topics = new Set(Object.keys(DEFAULT_TAXONOMY));
  expect({
    missing: ids.filter((id) => !reports.has(id)),
    inTwoParts: ids.filter((id, k) => ids.indexOf(id) !== k),
    unknownTopics: parts.flatMap((p) => [...p].flatMap(([id, ts]) => ts.filter((t) => !topics.has(t)).map((t) => `${id}: ${t}`))),
    topicsMissingFromAPart: [...topics].filter((t) => parts.some((p) => ![...p.values()].some((ts) => ts.includes(t)))),
  }).toEqual({ missing: [], inTwoParts: [], unknownTopics: [], topicsMissingFromAPart: [] });
  expect(parts.map((p) => p.size)).toEqual([270, 120, 114]);
  // The list threads are thread reports, the rest bug reports.
  expect(parts.map((p) => [...p.keys()].every((id) => id.startsWith(p === parts[2] ? "thread:" : "bug:")))).toEqual([true, true, true]);
});
