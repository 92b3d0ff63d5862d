import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_TAXONOMY } from "./triage/taxonomy.js";
import { classify } from "./triage/classify.js";
import { evaluateTopics } from "./triage/eval-classify.js";
import { ingest } from "./pipeline/ingest.js";
import { evalClassify, loadClassifier } from "./pipeline/eval-classify.js";
import { labelledMboxes, projectRoot, readLabels } from "./pipeline/classifier.js";
import { renderClassifyEval } from "./render/triage-text.js";
import { type DuplicatesEval, evalDuplicates } from "./pipeline/eval-duplicates.js";
import { renderDuplicatesEval } from "./render/duplicates-text.js";
import { openSqliteStore } from "./store/sqlite.js";

/**
 * `npm run eval`: the classifier (default taxonomy, trained on fixtures/labelled/labels-train.jsonl)
 * scored on the evaluation part of our labelled set and on our list threads (a genre it is never
 * trained on), ingested like any archive; then on the real changelog bullets of Debian's xen package (../shared), against our labels
 * of those bugs. Then the duplicate finder on our check set and on gitbugs (../shared), by the
 * reference protocol.
 */
const root = projectRoot();
const labelled = join(root, "fixtures", "labelled");
const dir = mkdtempSync(join(tmpdir(), "xen-triage-eval-"));
const json = process.argv.includes("--json");
try {
  const store = openSqliteStore(join(dir, "eval.sqlite"));
  await ingest(labelledMboxes(root), store, { workers: false });
  const classifier = await loadClassifier(DEFAULT_TAXONOMY);
  const ours = await evalClassify(store, classifier, readLabels(join(labelled, "labels-eval.jsonl")));
  // List threads: a genre the classifier is never trained on (all of them are for evaluation).
  const threadLabels = join(labelled, "labels-threads.jsonl");
  const threads = existsSync(threadLabels) ? await evalClassify(store, classifier, readLabels(threadLabels)) : null;
  await store.close();

  let changelog: ReturnType<typeof evaluateTopics> | null = null;
  const tsv = join(root, "..", "shared", "realdata", "debian-xen-changelog", "debian-xen-closes.tsv");
  const weak = join(labelled, "changelog-labels.jsonl");
  if (existsSync(tsv) && existsSync(weak)) {
    const bullets = new Map<string, string[]>();
    for (const line of readFileSync(tsv, "utf8").split("\n").slice(1)) {
      const cols = line.split("\t");
      if (cols.length < 5) continue;
      const id = `bug:${cols[0]}`;
      bullets.set(id, [...(bullets.get(id) ?? []), cols[4]!.replace(/^"|"$/g, "").replace(/""/g, '"')]);
    }
    const labels = new Map<string, string[]>();
    for (const line of readFileSync(weak, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { bug: number; topics: string[] };
      labels.set(`bug:${o.bug}`, o.topics);
    }
    const predicted = new Map<string, string[]>();
    for (const [id, texts] of bullets) {
      // A changelog bullet is the whole report: no title of its own.
      predicted.set(id, classify(classifier, { title: "", messages: [texts.join("\n")] }).map((t) => t.topic));
    }
    changelog = evaluateTopics(predicted, labels, classifier.taxonomy.topics.map((t) => t.name));
  }
  // Duplicates: our check set (never tuned on), then gitbugs SeaMonkey and Hadoop when ../shared is there.
  const dupSets: [string, string, string][] = [["our check set (fixtures/duplicates/check.*)", join(root, "fixtures", "duplicates", "check.mbox"), join(root, "fixtures", "duplicates", "check-pairs.csv")]];
  const gitbugs = join(root, "..", "shared", "realdata", "gitbugs");
  for (const [name, file] of [["gitbugs SeaMonkey", "SeaMonkey_bugs"], ["gitbugs Hadoop", "hadoop_bugs"]] as const) {
    if (existsSync(join(gitbugs, `${file}.csv`))) dupSets.push([name, join(gitbugs, `${file}.csv`), join(gitbugs, `${file}-combined.csv`)]);
  }
  const duplicates: Record<string, DuplicatesEval> = {};
  for (const [name, reports, pairs] of dupSets) duplicates[name] = await evalDuplicates(reports, pairs);
  if (json) process.stdout.write(`${JSON.stringify({ evaluation: ours, threads, changelog, duplicates })}\n`);
  else {
    process.stdout.write(`Our labelled set, evaluation part (fixtures/labelled/labels-eval.jsonl):\n${renderClassifyEval(ours)}`);
    if (threads) {
      process.stdout.write(`\nOur pkg-xen-devel list threads, never trained on (fixtures/labelled/labels-threads.jsonl):\n${renderClassifyEval(threads)}`);
    }
    process.stdout.write(
      changelog
        ? `\nChangelog bullets of Debian's xen (../shared), against our labels (fixtures/labelled/changelog-labels.jsonl):\n${renderClassifyEval(changelog)}`
        : "\n(changelog check skipped: ../shared/realdata or fixtures/labelled/changelog-labels.jsonl is not there)\n",
    );
    for (const [name, e] of Object.entries(duplicates)) process.stdout.write(`\nDuplicates, ${name}:\n${renderDuplicatesEval(e)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
