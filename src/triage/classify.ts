import { type TopicCombiner, type TopicLayers, combinedScore } from "./combine.js";
import { collapseWhiteSpace } from "../mail/white-space.js";
import type { Taxonomy } from "./taxonomy.js";
import { HASH_START, WordTable, hashStep } from "./word-table.js";

/** What classification reads of a report: its title and each message's own words. */
export interface ReportDoc {
  title: string;
  /** In date order; the first is the opening report. BTS notices are left out by the caller. */
  messages: string[];
}

export interface Evidence {
  /** The pattern as written in the taxonomy. */
  term: string;
  /** 0 for the title, else the message's number in the report (1 = the opening report). */
  message: number;
  /** Line in that message's own text (1-based; 0 for the title). */
  line: number;
  /** The line, shortened. */
  text: string;
}

export interface TopicResult {
  topic: string;
  score: number;
  evidence: Evidence[];
}

interface CompiledPattern {
  term: string;
  weight: number;
  re: RegExp;
  /**
   * For a phrase, the numbers (in `phraseWords`) of its words: a phrase can only be in a text whose words
   * include them all, which marks set on the text's words rule out far faster than the regex.
   */
  wordIds: number[] | null;
  /** For a regular expression, pieces of text every match contains one of (lower case), when known. */
  required: string[] | null;
  /** For each required text, its pairs of adjacent characters (see `pairOf`). */
  requiredPairs: Int32Array[] | null;
}

export interface CompiledTaxonomy {
  /** The taxonomy this was compiled from. */
  source: Taxonomy;
  topics: { name: string; threshold: number | null; patterns: CompiledPattern[] }[];
  /** Every topic's patterns in one list, topic after topic: a report's matches are added up in this order. */
  patterns: (CompiledPattern & { topic: number })[];
  /** Every word of every phrase (lower case), numbered: a text's words are looked up here once each. */
  phraseWords: WordTable;
  /**
   * Per phrase word: the phrases (numbers in `patterns`) listed under it, each under its longest word
   * (likely its rarest): a phrase is only looked at in a text that has that word.
   */
  phrasesByWord: number[][];
  /** The patterns looked at in every text: regular expressions, and phrases without a word. */
  unindexed: number[];
}

export function compileTaxonomy(taxonomy: Taxonomy): CompiledTaxonomy {
  const phraseWords = new Map<string, number>();
  const numbered = (words: string[]): number[] =>
    words.map((w) => {
      if (!phraseWords.has(w)) phraseWords.set(w, phraseWords.size);
      return phraseWords.get(w)!;
    });
  const topics = Object.entries(taxonomy).map(([name, t]) => ({
    name,
    threshold: t.threshold ?? null,
    patterns: t.patterns.map(([term, weight]) => {
      const isRegExp = /^\/.+\/$/.test(term);
      const required = isRegExp ? requiredTexts(term.slice(1, -1)) : null;
      return {
        term,
        weight,
        re: patternRegExp(term),
        wordIds: isRegExp ? null : numbered(wordsOf(term.toLowerCase())),
        required,
        requiredPairs: required?.map(pairsOf) ?? null,
      };
    }),
  }));
  const patterns = topics.flatMap((t, topic) => t.patterns.map((p) => ({ ...p, topic })));
  const words = [...phraseWords.keys()];
  const phrasesByWord: number[][] = words.map(() => []);
  const unindexed: number[] = [];
  patterns.forEach((p, k) => {
    if (p.wordIds === null || p.wordIds.length === 0) unindexed.push(k);
    else phrasesByWord[p.wordIds.reduce((a, b) => (words[b]!.length > words[a]!.length ? b : a))]!.push(k);
  });
  return { source: taxonomy, topics, patterns, phraseWords: new WordTable(phraseWords), phrasesByWord, unindexed };
}

/**
 * Pieces of text a regular expression's every match contains one of (lower case): the longest run of
 * plain characters outside classes, not made optional by a quantifier, in a pattern without a
 * top-level alternation; a group that is only a choice of plain words (`\.(?:socket|target)`) makes
 * the run one text per choice. Null when the shortest of them would be under three characters (then
 * the pattern is always run).
 */
export function requiredTexts(source: string): string[] | null {
  let depth = 0;
  let best: string[] = [""];
  let run: string[] = [""];
  const shortest = (texts: string[]): number => Math.min(...texts.map((t) => t.length));
  const end = (): void => {
    if (shortest(run) > shortest(best)) best = run;
    run = [""];
  };
  const append = (texts: string[]): void => {
    // Choices multiply: past a few, start again from these alone.
    if (run.length * texts.length > MAX_REQUIRED_TEXTS) end();
    run = run.flatMap((r) => texts.map((t) => r + t));
  };
  const quantified = (k: number): boolean => /[?*+{]/.test(source[k] ?? "");
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\") {
      const e = source[i + 1] ?? "";
      i++;
      if (/[a-zA-Z0-9]/.test(e)) {
        end();
        continue;
      }
      if (depth === 0 && !quantified(i + 1)) append([e.toLowerCase()]);
      else end();
      continue;
    }
    if (ch === "[") {
      end();
      while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
      continue;
    }
    if (ch === "(") {
      const choice = depth === 0 ? wordChoice(source, i) : null;
      if (choice && !quantified(choice.close + 1)) {
        append(choice.words);
        i = choice.close;
        continue;
      }
      end();
      depth++;
      continue;
    }
    if (ch === ")") {
      depth--;
      end();
      continue;
    }
    if (ch === "|" && depth === 0) return null;
    if (/[.^$?*+{}|]/.test(ch) || depth > 0 || quantified(i + 1)) {
      end();
      continue;
    }
    append([ch.toLowerCase()]);
  }
  end();
  return shortest(best) >= 3 ? best : null;
}

const MAX_REQUIRED_TEXTS = 16;

/** A group at `open` that is only a choice of plain words, `(?:a|b)` or `(a|b)`: the words (lower case) and where it closes. */
function wordChoice(source: string, open: number): { words: string[]; close: number } | null {
  const m = /^\((?:\?:)?([A-Za-z0-9_ =:,-]+(?:\|[A-Za-z0-9_ =:,-]+)*)\)/.exec(source.slice(open));
  return m ? { words: m[1]!.toLowerCase().split("|"), close: open + m[0].length - 1 } : null;
}

function wordsOf(lower: string): string[] {
  return lower.split(/[^a-z0-9]+/).filter(Boolean);
}

/** `/.../` is a regular expression; anything else a phrase on word boundaries, any case. */
function patternRegExp(term: string): RegExp {
  const rx = /^\/(.+)\/$/.exec(term);
  if (rx) return new RegExp(rx[1]!, "i");
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const start = /^\w/.test(term) ? "(?<![\\w-])" : "";
  const end = /\w$/.test(term) ? "(?![\\w])" : "";
  return new RegExp(`${start}${escaped}${end}`, "i");
}

/** The title counts most, then the opening report; later messages (chatter, replies) count less. */
const TITLE_WEIGHT = 1.5;
const OPENING_WEIGHT = 1;
const LATER_WEIGHT = 0.35;

/** A piece of a report that patterns are looked for in: the title or one message. */
interface Unit {
  /** 0 for the title, else the message's number. */
  message: number;
  weight: number;
  text: string;
  lower: string;
}

function unitsOf(doc: ReportDoc): Unit[] {
  const unit = (message: number, weight: number, text: string): Unit => ({ message, weight, text, lower: text.toLowerCase() });
  return [unit(0, TITLE_WEIGHT, doc.title), ...doc.messages.map((text, k) => unit(k + 1, k === 0 ? OPENING_WEIGHT : LATER_WEIGHT, text))];
}

/**
 * The transparent layer: for each topic, the weighted patterns found in the title and in each
 * message's own text (each pattern counted once a message), with the lines that matched as evidence.
 * Returns the raw sum per topic (negative patterns pull it down).
 */
export function patternScores(ct: CompiledTaxonomy, doc: ReportDoc): Map<string, { raw: number; evidence: Evidence[] }> {
  const scores = unitPatternScores(ct, unitsOf(doc));
  return new Map(ct.topics.map((t, k) => [t.name, scores[k]!]));
}

/** `patternScores` by topic number, for units already lowered. */
function unitPatternScores(ct: CompiledTaxonomy, units: Unit[]): { raw: number; evidence: Evidence[] }[] {
  const raw = new Array<number>(ct.topics.length).fill(0);
  const found: { term: string; unit: Unit; at: number; weight: number }[][] = ct.topics.map(() => []);
  // marks[word] === unit number + 1 when the unit has that phrase word: one array for all units.
  const marks = new Uint32Array(ct.phraseWords.size);
  units.forEach((u, n) => {
    // Units outer, patterns in taxonomy order inner: each topic's sum is added up in the same order as ever.
    for (const k of candidatePatterns(ct, u, marks, n + 1)) {
      const p = ct.patterns[k]!;
      // One search over the whole message (patterns do not cross lines); the line is found after.
      const m = p.re.exec(u.text);
      if (!m) continue;
      raw[p.topic]! += p.weight * u.weight;
      if (p.weight > 0) found[p.topic]!.push({ term: p.term, unit: u, at: m.index, weight: p.weight * u.weight });
    }
  });
  return found.map((f, k) => {
    // Lines and their text only for the evidence kept: the best matches, earliest first among equals.
    f.sort((a, b) => b.weight - a.weight || a.unit.message - b.unit.message || a.at - b.at);
    return { raw: raw[k]!, evidence: f.slice(0, 4).map(({ term, unit: u, at }) => evidenceAt(term, u.message, u.text, at)) };
  });
}

/**
 * The patterns (numbers, in order) that may be in a unit: phrases with all their words in it, regular
 * expressions whose required text it has. Only these are searched for.
 */
function candidatePatterns(ct: CompiledTaxonomy, u: Unit, marks: Uint32Array, stamp: number): number[] {
  const out: number[] = [];
  for (const w of markWords(u.lower, ct.phraseWords, marks, stamp)) {
    for (const k of ct.phrasesByWord[w]!) if (ct.patterns[k]!.wordIds!.every((x) => marks[x] === stamp)) out.push(k);
  }
  for (const k of ct.unindexed) {
    const { required, requiredPairs } = ct.patterns[k]!;
    if (required === null || required.some((r, i) => mayContain(u.lower, r, requiredPairs![i]!))) out.push(k);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Adjacent character pairs (folded to 7 bits, so other characters only let more through) of the unit
 * being read, stamped: a required text with a pair the unit lacks cannot be in it, which rules out most
 * regular expressions without searching the text for each of their texts.
 */
const pairStamps = new Uint32Array(1 << 14);
let pairStamp = 0;

function pairOf(previous: number, c: number): number {
  return ((previous & 127) << 7) | (c & 127);
}

export function pairsOf(text: string): Int32Array {
  const out = new Int32Array(Math.max(0, text.length - 1));
  for (let i = 1; i < text.length; i++) out[i - 1] = pairOf(text.charCodeAt(i - 1), text.charCodeAt(i));
  return out;
}

function mayContain(lower: string, text: string, pairs: Int32Array): boolean {
  for (let i = 0; i < pairs.length; i++) if (pairStamps[pairs[i]!] !== pairStamp) return false;
  return lower.includes(text);
}

/**
 * Sets marks[id] = stamp for each word of `lower` (runs of a-z0-9, as `wordsOf` splits) that is in
 * `words`, and returns those words' numbers, each once.
 */
function markWords(lower: string, words: WordTable, marks: Uint32Array, stamp: number): number[] {
  const present: number[] = [];
  let start = -1;
  let hash = HASH_START;
  // The unit's character pairs are stamped in the same pass (see `pairStamps`).
  pairStamp = (pairStamp + 1) >>> 0 || 1;
  let previous = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    pairStamps[pairOf(previous, c)] = pairStamp;
    previous = c;
    if (isAlnum(c)) {
      if (start < 0) {
        start = i;
        hash = HASH_START;
      }
      hash = hashStep(hash, c);
    } else if (start >= 0) {
      const id = words.find(lower, start, i, hash);
      if (id !== undefined && marks[id] !== stamp) {
        marks[id] = stamp;
        present.push(id);
      }
      start = -1;
    }
  }
  return present;
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

function evidenceAt(term: string, message: number, text: string, at: number): Evidence {
  const lineStart = text.lastIndexOf("\n", at) + 1;
  let lineEnd = text.indexOf("\n", at);
  if (lineEnd < 0) lineEnd = text.length;
  return { term, message, line: message === 0 ? 0 : countNewlines(text, lineStart) + 1, text: shorten(text.slice(lineStart, lineEnd)) };
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function shorten(line: string): string {
  // Most lines have nothing to squeeze, and a copy for each kept its strings alive past the next
  // scavenge (garbage collection was a quarter of the time): collapseWhiteSpace copies only when needed.
  const t = collapseWhiteSpace(line.trim());
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
}

/** Raw pattern weight to 0..1: saturating, so one strong term gives about 0.5 and several more. */
export function patternProbability(raw: number): number {
  return raw <= 0 ? 0 : 1 - Math.exp(-raw / 4);
}

// ---------------------------------------------------------------------------------------------------
// The learned layer: one multinomial naive Bayes per topic (topic / not topic) over words and bigrams.

export interface TopicModel {
  /** Per topic: log prior odds, and per token log(P(t|topic) / P(t|other)). */
  topics: Record<string, { priorLogOdds: number; logRatio: Map<string, number>; unknownLogRatio: number }>;
  /** The modelled topics, in the order of each row of `index.ratios`. */
  names: string[];
  index: TokenIndex;
}

/**
 * The ratios by token, all topics at once, for reading a text without building a string for each
 * bigram: every word the model knows (alone or in a bigram) has a number, a bigram is keyed by the
 * numbers of its two words, and each known token has one row of ratios (in `names` order).
 */
export interface TokenIndex {
  /** Word to number; stop words to SKIP_WORD, so that one lookup a word tells both. */
  words: WordTable;
  /** How many words are numbered (stop words not counted): the base of bigram keys. */
  wordCount: number;
  /** Per word number: its row as a token on its own, or -1 (a word the model knows only in bigrams). */
  wordRow: Int32Array;
  /** Per word number: 1 when some known bigram starts with it (most words start none: no lookup). */
  isHead: Uint8Array;
  /** Row of each known bigram, keyed by `first * wordCount + second`. */
  bigramRow: Map<number, number>;
  /** `names.length` ratios a row; 0 where a topic does not know the token. */
  ratios: Float64Array;
  rows: number;
  /**
   * Per row, the number of the reading that last counted it: one array for every reading (a new number
   * each), instead of a fresh array of `rows` flags to allocate and clear for each report.
   */
  seen: Uint32Array;
  reading: number;
}

/** What `words` of a TokenIndex says of a stop word: not a word at all (bigrams join across it). */
const SKIP_WORD = -2;
/** TokenSums.first's states other than a word number or -1. */
const NO_WORD = -3;
const NOT_WATCHING = -4;

const STOP = new Set(
  "a an and are as at be but by can for from has have i if in into is it its my of on or our so that the their then there this to was we were when which will with you your not no do does did after before also only just been being than".split(
    " ",
  ),
);

export function tokens(text: string): string[] {
  const words = (text.toLowerCase().match(/[a-z0-9][a-z0-9._/+-]*[a-z0-9]|[a-z0-9]/g) ?? []).filter((w) => w.length > 1 && !STOP.has(w));
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]} ${words[i]}`);
  return out;
}

export function docText(doc: ReportDoc): string {
  // The title twice: it is the densest statement of the problem.
  return [doc.title, doc.title, ...doc.messages.slice(0, 1), ...doc.messages.slice(1).map((m) => m.slice(0, LATER_CHARS))].join("\n");
}

/** How much of each later message the model reads (replies quote and paste logs). */
const LATER_CHARS = 2000;

/** Train on labelled documents. Topics with no positive example get no model (the patterns decide). */
export function trainModel(examples: { doc: ReportDoc; topics: string[] }[], topicNames: string[]): TopicModel {
  const tokenized = examples.map((e) => ({ toks: tokens(docText(e.doc)), topics: new Set(e.topics) }));
  const vocabulary = new Set<string>();
  for (const t of tokenized) for (const w of t.toks) vocabulary.add(w);
  const V = vocabulary.size + 1;
  const topics: TopicModel["topics"] = {};
  for (const name of topicNames) {
    const pos = new Map<string, number>();
    const neg = new Map<string, number>();
    let posTotal = 0;
    let negTotal = 0;
    let posDocs = 0;
    for (const t of tokenized) {
      const into = t.topics.has(name) ? pos : neg;
      if (t.topics.has(name)) posDocs++;
      // Presence, not counts: a log pasted twice says no more than once.
      for (const w of new Set(t.toks)) into.set(w, (into.get(w) ?? 0) + 1);
      if (t.topics.has(name)) posTotal += new Set(t.toks).size;
      else negTotal += new Set(t.toks).size;
    }
    if (posDocs === 0) continue;
    const logRatio = new Map<string, number>();
    for (const w of vocabulary) {
      const lp = Math.log(((pos.get(w) ?? 0) + 1) / (posTotal + V));
      const ln = Math.log(((neg.get(w) ?? 0) + 1) / (negTotal + V));
      const r = lp - ln;
      if (Math.abs(r) > 0.4) logRatio.set(w, r);
    }
    topics[name] = {
      priorLogOdds: Math.log((posDocs + 1) / (tokenized.length - posDocs + 1)),
      logRatio,
      unknownLogRatio: Math.log((negTotal + V) / (posTotal + V)),
    };
  }
  return modelOf(topics);
}

/** A model from its per-topic ratios, indexed for reading (what a worker thread is sent is the ratios). */
export function modelOf(topics: TopicModel["topics"]): TopicModel {
  const names = Object.keys(topics);
  return { topics, names, index: indexTokens(topics, names) };
}

function indexTokens(topics: TopicModel["topics"], names: string[]): TokenIndex {
  const K = names.length;
  const rowOf = new Map<string, number>();
  for (const name of names) for (const w of topics[name]!.logRatio.keys()) if (!rowOf.has(w)) rowOf.set(w, rowOf.size);
  const ratios = new Float64Array(rowOf.size * K);
  names.forEach((name, k) => {
    for (const [w, r] of topics[name]!.logRatio) ratios[rowOf.get(w)! * K + k] = r;
  });
  const words = new Map<string, number>();
  const number = (w: string): number => {
    if (!words.has(w)) words.set(w, words.size);
    return words.get(w)!;
  };
  // Tokens never hold a space: a token with one is a bigram of exactly two words.
  const pairs = [...rowOf].map(([token, row]) => ({ ids: token.split(" ").map(number), row }));
  const wordCount = words.size;
  const table = new WordTable([...words, ...[...STOP].map((w): [string, number] => [w, SKIP_WORD])]);
  const index: TokenIndex = { words: table, wordCount, wordRow: new Int32Array(wordCount).fill(-1), isHead: new Uint8Array(wordCount), bigramRow: new Map(), ratios, rows: rowOf.size, seen: new Uint32Array(rowOf.size), reading: 0 };
  for (const { ids, row } of pairs) {
    if (ids.length === 1) index.wordRow[ids[0]!] = row;
    else {
      index.isHead[ids[0]!] = 1;
      index.bigramRow.set(ids[0]! * wordCount + ids[1]!, row);
    }
  }
  return index;
}

/**
 * The sums of ratios over the known tokens of a text read in pieces (words and bigrams as `tokens`
 * gives them, each known token counted once, added in reading order so sums are always the same).
 */
class TokenSums {
  readonly sums: Float64Array;
  /** How many distinct tokens the model knows were read. */
  known = 0;
  /** This reading's number in the index's `seen` (readings run one after another, never interleaved). */
  private readonly reading: number;
  /** The previous word's number; -1 at the start and after a word the model does not know. */
  private previous = -1;
  /**
   * While `readTwice` reads: the first word that sets `previous` (its number, or -1 when unknown);
   * NO_WORD until there is one. Otherwise NOT_WATCHING.
   */
  private first = NOT_WATCHING;

  constructor(private readonly model: TopicModel) {
    this.sums = new Float64Array(model.names.length);
    const index = model.index;
    index.reading = (index.reading + 1) >>> 0 || 1;
    if (index.reading === 1) index.seen.fill(0);
    this.reading = index.reading;
  }

  /**
   * Reads lower[0, end) (lower case) after what was read before, as if joined by a newline: a bigram
   * spans two pieces. A token is a run of a-z0-9._/+- from its first letter or digit to its last.
   */
  read(lower: string, end = lower.length): void {
    let start = -1;
    let last = -1;
    // The hash of lower[start, i), and of lower[start, last): the token ends at its last letter or digit.
    let hash = HASH_START;
    let lastHash = HASH_START;
    for (let i = 0; i < end; i++) {
      const c = lower.charCodeAt(i);
      if (isAlnum(c)) {
        if (start < 0) {
          start = i;
          hash = HASH_START;
        }
        hash = lastHash = hashStep(hash, c);
        last = i + 1;
      } else if (start >= 0 && isTokenPunctuation(c)) {
        hash = hashStep(hash, c);
      } else if (start >= 0) {
        this.word(lower, start, last, lastHash);
        start = -1;
      }
    }
    if (start >= 0) this.word(lower, start, last, lastHash);
  }

  /**
   * The same sums as `read(lower)` twice in a row, reading it once: the second reading finds every
   * token already counted except the bigram of the text's last word and its first, and ends where the
   * first ended.
   */
  readTwice(lower: string): void {
    this.first = NO_WORD;
    this.read(lower);
    const first = this.first;
    this.first = NOT_WATCHING;
    const { isHead, bigramRow, wordCount } = this.model.index;
    if (first >= 0 && this.previous >= 0 && isHead[this.previous]) this.add(bigramRow.get(this.previous * wordCount + first) ?? -1);
  }

  private word(lower: string, start: number, end: number, hash: number): void {
    if (end - start < 2) return;
    const { words, wordRow, isHead, bigramRow, wordCount } = this.model.index;
    const id = words.find(lower, start, end, hash);
    if (id === SKIP_WORD) return;
    if (this.first === NO_WORD) this.first = id ?? -1;
    if (id === undefined) {
      this.previous = -1;
      return;
    }
    this.add(wordRow[id]!);
    if (this.previous >= 0 && isHead[this.previous]) this.add(bigramRow.get(this.previous * wordCount + id) ?? -1);
    this.previous = id;
  }

  add(row: number): void {
    const { seen } = this.model.index;
    if (row < 0 || seen[row] === this.reading) return;
    seen[row] = this.reading;
    this.known++;
    const { ratios } = this.model.index;
    const K = this.sums.length;
    for (let k = 0; k < K; k++) this.sums[k]! += ratios[row * K + k]!;
  }
}

function isTokenPunctuation(c: number): boolean {
  // . _ / + -
  return c === 46 || c === 95 || c === 47 || c === 43 || c === 45;
}

/**
 * P(topic | document) from the text of `docText(doc)`, read from the units' lower case in docText's
 * order: the same numbers as `modelProbabilities` over `new Set(tokens(docText(doc)))`, without
 * building every bigram and the set (each known token counted once).
 */
function unitProbabilities(model: TopicModel, units: Unit[]): Map<string, number> {
  const sums = new TokenSums(model);
  const [title, ...messages] = units;
  sums.readTwice(title!.lower);
  messages.forEach((u, k) => {
    // Later messages count up to 2,000 characters, lowered as cut (lower case can change a length).
    // Only a-z and 0-9 make words, so the cut lowered and the lowered cut read the same when lowering
    // kept the length.
    if (k === 0 || u.text.length <= LATER_CHARS) sums.read(u.lower);
    else if (u.lower.length === u.text.length) sums.read(u.lower, LATER_CHARS);
    else sums.read(u.text.slice(0, LATER_CHARS).toLowerCase());
  });
  return probabilitiesOf(model, sums);
}

function probabilitiesOf(model: TopicModel, { sums, known }: TokenSums): Map<string, number> {
  const out = new Map<string, number>();
  // Naive Bayes adds up every word as if each were independent evidence, so a long report is sure of
  // everything: the sum is taken per square root of the words it rests on, and scaled down.
  const perEvidence = 4 / Math.sqrt(Math.max(1, known));
  model.names.forEach((name, k) => {
    const logOdds = model.topics[name]!.priorLogOdds + sums[k]! * perEvidence;
    out.set(name, 1 / (1 + Math.exp(-logOdds / 6)));
  });
  return out;
}

/** P(topic | document) for every modelled topic at once (the same numbers as modelProbability). */
export function modelProbabilities(model: TopicModel, toks: Set<string>): Map<string, number> {
  const sums = new TokenSums(model);
  for (const w of toks) sums.add(tokenRow(model.index, w));
  return probabilitiesOf(model, sums);
}

/** A token's row, or -1 when the model does not know it. */
function tokenRow(index: TokenIndex, token: string): number {
  const [first, second] = token.split(" ").map((w) => index.words.get(w) ?? -1);
  if (first === undefined || first < 0) return -1;
  if (second === undefined) return index.wordRow[first]!;
  return second < 0 ? -1 : (index.bigramRow.get(first * index.wordCount + second) ?? -1);
}

/** P(topic | document) from the model, or null when the topic has no model. Tokens are counted once. */
export function modelProbability(model: TopicModel, topic: string, toks: string[] | Set<string>): number | null {
  if (!model.topics[topic]) return null;
  return modelProbabilities(model, toks instanceof Set ? toks : new Set(toks)).get(topic)!;
}

export interface Classifier {
  taxonomy: CompiledTaxonomy;
  model: TopicModel | null;
  /** Per topic: how the two layers make one score (fitted; absent: the patterns alone). */
  combiners: Record<string, TopicCombiner>;
  /** Per topic: the combined score from which the topic is given. */
  thresholds: Record<string, number>;
}

/** Each layer's score of every topic (the model's null where it has none), with the patterns' evidence. */
export function layerScores(c: Pick<Classifier, "taxonomy" | "model">, doc: ReportDoc): TopicLayers[] {
  // Lowered once for both layers.
  const units = unitsOf(doc);
  const pattern = unitPatternScores(c.taxonomy, units);
  const learned = c.model ? unitProbabilities(c.model, units) : null;
  return c.taxonomy.topics.map((t, k) => ({
    topic: t.name,
    pattern: patternProbability(pattern[k]!.raw),
    model: learned?.get(t.name) ?? null,
    evidence: pattern[k]!.evidence,
  }));
}

/** Both layers combined, every topic scored (assigned or not). */
export function scoreTopics(c: Classifier, doc: ReportDoc): TopicResult[] {
  return combineLayers(c.combiners, layerScores(c, doc));
}

export function combineLayers(combiners: Record<string, TopicCombiner>, layers: TopicLayers[]): TopicResult[] {
  return layers.map((l) => ({ topic: l.topic, score: Math.round(combinedScore(combiners[l.topic], l.pattern, l.model) * 1000) / 1000, evidence: l.evidence }));
}

/** The topics a report gets: those at or over their threshold, with evidence; none means "needs a human". */
export function classify(c: Classifier, doc: ReportDoc): TopicResult[] {
  const over = scoreTopics(c, doc)
    .filter((r) => r.score >= (c.thresholds[r.topic] ?? 0.5) && r.evidence.length > 0)
    .sort((a, b) => b.score - a.score);
  // A topic far below the report's strongest one is usually a word in passing (xl in a qemu report).
  const top = over[0]?.score ?? 0;
  return over.filter((r) => r.score >= top - RELATIVE_CUT).slice(0, MAX_TOPICS);
}

/** How far under the strongest topic another may score and still be given (chosen on training folds). */
const RELATIVE_CUT = 0.2;
/** Reports rarely have more than three topics; more is noise. */
const MAX_TOPICS = 3;

/** Precision counts about twice as much as recall when thresholds are chosen (F-beta with beta 0.75). */
const THRESHOLD_BETA = 0.75;
/** Thresholds whose F is within this of the best are as good: the middle one is taken, not an edge. */
const THRESHOLD_TOLERANCE = 0.01;

/**
 * Per-topic thresholds fitted on scored, labelled examples: of the thresholds (from `floor` to 0.95) with
 * about the best F-beta, the middle one, so that one example more or less does not move it to the edge
 * of the range; a threshold set in the taxonomy wins.
 */
export function fitThresholds(taxonomy: CompiledTaxonomy, scored: { scores: TopicResult[]; topics: string[] }[], floor = 0.2): Record<string, number> {
  const b2 = THRESHOLD_BETA ** 2;
  const out: Record<string, number> = {};
  taxonomy.topics.forEach((t) => {
    if (t.threshold !== null) {
      out[t.name] = t.threshold;
      return;
    }
    const tried: { th: number; f: number }[] = [];
    for (let step = 0; floor + step * 0.025 <= 0.95 + 1e-9; step++) {
      const th = Math.round((floor + step * 0.025) * 1000) / 1000;
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const s of scored) {
        const r = s.scores.find((x) => x.topic === t.name)!;
        const given = r.score >= th && r.evidence.length > 0;
        const truth = s.topics.includes(t.name);
        if (given && truth) tp++;
        else if (given) fp++;
        else if (truth) fn++;
      }
      const p = tp + fp ? tp / (tp + fp) : 0;
      const rc = tp + fn ? tp / (tp + fn) : 0;
      tried.push({ th, f: p + rc ? ((1 + b2) * p * rc) / (b2 * p + rc) : 0 });
    }
    const best = Math.max(...tried.map((x) => x.f));
    const near = tried.filter((x) => x.f >= best - THRESHOLD_TOLERANCE - 1e-9);
    out[t.name] = near[Math.floor((near.length - 1) / 2)]!.th;
  });
  return out;
}
