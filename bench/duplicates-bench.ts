import Database from "better-sqlite3";
import { join } from "node:path";
import { DuplicateFinder } from "../src/duplicates/finder.js";
import type { DupDoc } from "../src/duplicates/dup-doc.js";
import { dupDocsOfMbox } from "../src/pipeline/duplicate-sets.js";
import { projectRoot } from "../src/pipeline/classifier.js";

/**
 * Duplicate query speed: 100,000 reports indexed, then top-10 queries timed one by one (median and
 * p99), next to SQLite FTS5 `bm25()` answering the same queries on the same corpus in the same run.
 *
 * The corpus grows from our own reports (fixtures/labelled, fixtures/duplicates): each generated report
 * takes a real one's title and words and swaps about a third of its words for ones drawn from a Zipf
 * distribution over 300,000 made-up words, so the vocabulary and posting lengths grow as an archive's
 * do instead of 100,000 copies of 280 reports.
 */
const root = projectRoot();
const N = Number(process.env["XT_DUP_N"] ?? 100_000);
const QUERIES = Number(process.env["XT_DUP_Q"] ?? 300);
const bases: DupDoc[] = [
  ...(await dupDocsOfMbox(join(root, "fixtures", "labelled", "reports.mbox"))),
  ...(await dupDocsOfMbox(join(root, "fixtures", "duplicates", "tune.mbox"))),
  ...(await dupDocsOfMbox(join(root, "fixtures", "duplicates", "check.mbox"))),
];

// A seeded generator: the same corpus every run.
let seed = 12345;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const VOCAB = 300_000;
const zipf = () => `w${Math.floor(Math.exp(random() * Math.log(VOCAB)))}`;
function vary(terms: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [t, n] of Object.entries(terms)) out[random() < 0.35 ? zipf() : t] = n;
  return out;
}
const day0 = Date.parse("2005-01-01T00:00:00Z");
const docs: DupDoc[] = [];
for (let i = 0; i < N; i++) {
  const b = bases[i % bases.length]!;
  docs.push({
    ...b,
    id: `bug:${100_000 + i}`,
    bug: 100_000 + i,
    date: new Date(day0 + i * 3_600_000 * 1.7).toISOString(),
    title: vary(b.title),
    body: vary(b.body),
    later: vary(b.later),
    sameAs: [],
  });
}

function text(d: DupDoc, f: "title" | "body" | "later"): string {
  return Object.entries(d[f])
    .flatMap(([t, n]) => Array<string>(Math.min(n, 3)).fill(t.replace(/[^\p{L}\p{N}]+/gu, "_")))
    .join(" ");
}

const t0 = performance.now();
const finder = new DuplicateFinder();
for (const d of docs) finder.add(d);
const indexSeconds = (performance.now() - t0) / 1000;
const rss = process.memoryUsage().rss;

// XT_DUP_FTS=0 leaves the FTS5 side out (for profiling ours alone).
const withFts = process.env["XT_DUP_FTS"] !== "0";
const db = new Database(":memory:");
db.exec("CREATE VIRTUAL TABLE reports USING fts5(id UNINDEXED, title, body)");
const t1 = performance.now();
const insert = db.prepare("INSERT INTO reports (id, title, body) VALUES (?, ?, ?)");
db.transaction(() => {
  if (withFts) for (const d of docs) insert.run(d.id, text(d, "title"), `${text(d, "body")} ${text(d, "later")}`);
})();
const ftsIndexSeconds = (performance.now() - t1) / 1000;
const fts = db.prepare("SELECT id FROM reports WHERE reports MATCH ? ORDER BY bm25(reports, 0, 2.0, 1.0) LIMIT 10");

const queries = Array.from({ length: QUERIES }, (_, k) => docs[Math.floor(N / 2 + ((k * 7919) % (N / 2)))]!);
// `triage` streams documents from the store into the index and keeps none: neither does the benchmark.
docs.length = 0;
const ours: number[] = [];
const theirs: number[] = [];
// Warm up (not timed): the JIT settles, and the collector reclaims the generated corpus now, not mid-run
// (with --expose-gc, as `npm run bench` runs it, a full collection first: the corpus generated above is
// the benchmark's garbage, not the queries'; without it one major collection lands on a timed query).
(globalThis as { gc?: () => void }).gc?.();
for (const q of queries.slice(0, 50)) finder.candidates(q, 10);
// Each side answers all the queries in a loop of its own, so neither runs with the other's data in the caches.
for (const q of queries) {
  const t = performance.now();
  finder.candidates(q, 10);
  ours.push(performance.now() - t);
}
for (const q of queries) {
  // FTS5 gets the same words, each quoted, OR-ed: the plain full-text answer to "reports like this one".
  const words = [...new Set([...Object.keys(q.title), ...Object.keys(q.body)].map((w) => w.replace(/[^\p{L}\p{N}]+/gu, "_")))].slice(0, 48);
  const t = performance.now();
  if (withFts) fts.all(words.map((w) => `"${w}"`).join(" OR "));
  theirs.push(performance.now() - t);
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;
process.stdout.write(
  [
    `duplicates: ${N} reports indexed in ${indexSeconds.toFixed(1)} s (RSS ${Math.round(rss / 2 ** 20)} MB); SQLite FTS5 indexed them in ${ftsIndexSeconds.toFixed(1)} s`,
    `  top-10 query, ${QUERIES} queries: median ${pct(ours, 0.5).toFixed(2)} ms, p99 ${pct(ours, 0.99).toFixed(2)} ms (targets 10 ms and 50 ms)`,
    `  SQLite FTS5 bm25(), same queries:  median ${pct(theirs, 0.5).toFixed(2)} ms, p99 ${pct(theirs, 0.99).toFixed(2)} ms`,
    `  ratio of medians (FTS5 / ours): ${(pct(theirs, 0.5) / pct(ours, 0.5)).toFixed(2)}x`,
  ].join("\n") + "\n",
);
