import type { Message } from "../mail/message.js";
import { byDate, isFromBts } from "../triage/report-doc.js";
import { termsOf } from "./terms.js";

/**
 * What the duplicate finder knows of a report: the terms of its title, of its opening mail's own words
 * (quotes, signatures and reportbug's system information already left out by the parser), and of the
 * later discussion; and the specific things duplicates share: the binary package, versions, error and
 * log lines, and bugs it names as the same problem.
 */
export interface DupDoc {
  id: string;
  bug: number | null;
  /** ISO 8601: the report's first mail. Candidates are earlier reports. */
  date: string | null;
  /** Term counts per field. */
  title: Record<string, number>;
  body: Record<string, number>;
  later: Record<string, number>;
  package: string | null;
  versions: string[];
  /** Error and log lines, with numbers, addresses and times blanked out (a few, for evidence). */
  errors: string[];
  /**
   * Hashes of every substantial line of its own words, normalised as `errors` are: two reports pasting
   * the same log line, command output or journal entry share one, which prose rarely does.
   */
  lines: number[];
  /**
   * Security advisories its own words or title name (`xsa-434`, `cve-2023-20569`): two reports about
   * different advisories are different bugs however alike their words. Absent in documents stored before
   * it was kept.
   */
  advisories?: string[];
  /** Bugs its own words name as the same problem ("duplicate of #N", "same as #N", "merge with"). */
  sameAs: number[];
  /** Every other bug its own words name. */
  refs: number[];
  mergedWith: number[];
  /**
   * How this report writes the stems of its fields that are not words as they stand, for evidence
   * people read: lines `stem word` (`upgrad upgraded`). One string, not an object a stem: an archive's
   * documents are all in memory at once. Absent in documents stored before it was kept.
   */
  surface?: string;
}

/** The most terms kept per field: a pasted 10,000-line log must not make a report match everything. */
const MAX_TERMS = 400;
const MAX_ERRORS = 10;
const MAX_LINES = 80;

export function dupDoc(input: {
  id: string;
  bug: number | null;
  title: string;
  package: string | null;
  mergedWith: number[];
  firstDate: string | null;
  messages: Message[];
}): DupDoc {
  const people = input.messages
    .filter((m) => !isFromBts(m))
    .sort(byDate);
  const opening = people[0];
  const later = people.slice(1);
  const pseudo = opening ? pseudoHeaders(opening.body) : new Map<string, string>();
  // Every person's own words, one text: read for versions, error lines, line hashes, advisories, same-as bugs.
  const ownWords = people.map((m) => m.ownText).join("\n");
  const refs = new Set<number>();
  for (const m of people) for (const r of m.bugRefs) if (r.bug !== input.bug && r.kind !== "subject" && r.kind !== "address") refs.add(r.bug);
  const forms = new Map<string, string>();
  const title = counts(termsOf(input.title, [], forms));
  const body = counts(termsOf(opening?.ownText ?? "", [], forms));
  const laterTerms = counts(termsOf(later.map((m) => m.ownText).join("\n"), [], forms));
  const surface: string[] = [];
  for (const [stemmed, form] of forms) {
    // Terms hold no white space, so a line splits at its one space.
    if (form !== stemmed && (Object.hasOwn(title, stemmed) || Object.hasOwn(body, stemmed) || Object.hasOwn(laterTerms, stemmed))) surface.push(`${stemmed} ${form}`);
  }
  return {
    id: input.id,
    bug: input.bug,
    date: input.firstDate ?? opening?.date ?? null,
    title,
    body,
    later: laterTerms,
    package: input.package ?? pseudo.get("package") ?? null,
    versions: [...new Set([pseudo.get("version"), ...versionsIn(ownWords)].filter((v): v is string => Boolean(v)))].slice(0, 20),
    errors: errorLines(ownWords),
    lines: lineHashes(ownWords),
    advisories: advisoriesIn(`${input.title}\n${ownWords}`),
    sameAs: sameAsRefs(ownWords).filter((b) => b !== input.bug),
    refs: [...refs].sort((a, b) => a - b),
    mergedWith: [...input.mergedWith],
    surface: surface.join("\n"),
  };
}

function counts(terms: string[]): Record<string, number> {
  const out = new Map<string, number>();
  for (const t of terms) out.set(t, (out.get(t) ?? 0) + 1);
  if (out.size <= MAX_TERMS) return Object.fromEntries(out);
  // Keep the most repeated, then the first seen: the opening lines say what the report is about.
  return Object.fromEntries([...out].sort((a, b) => b[1] - a[1]).slice(0, MAX_TERMS));
}

/** reportbug's `Package:`, `Version:`, `Severity:` lines at the top of a report's body. */
export function pseudoHeaders(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of body.split("\n").slice(0, 12)) {
    const m = /^(Package|Source|Version|Severity):\s*(\S+)\s*$/i.exec(line);
    if (m) out.set(m[1]!.toLowerCase(), m[2]!);
    else if (out.size > 0 && line.trim() === "") break;
  }
  return out;
}

// A full stop ends a sentence, not the version: "upgraded to 4.17.3+10-g091466ba55-1."
const VERSION = /(?<![\w.+~-])\d+:?\d*\.\d+(?:[.+~-][\w]+)*(?!\w|\.\w)/g;

function versionsIn(text: string): string[] {
  return [...text.matchAll(VERSION)].map((m) => m[0]).filter((v) => /\d\.\d/.test(v) && v.length <= 40);
}

const ERRORISH =
  /\b(?:error|errors|failed|failure|fails|cannot|can't|unable|exception|panic|segfault|segmentation fault|denied|not found|no such|traceback|fatal|timed out|timeout|oops|refused|invalid|abort(?:ed)?|crash(?:ed)?)\b/i;

/**
 * Lines that look like an error or log message, normalised so the same message from two machines is
 * the same string: times, numbers, hex and addresses become `0`, quotes and spacing are evened out.
 */
export function errorLines(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split("\n")) {
    if (!ERRORISH.test(raw)) continue;
    const line = normalizeLine(raw);
    if (line === null) continue;
    out.add(line);
    if (out.size >= MAX_ERRORS) break;
  }
  return [...out];
}

/** A line as two machines would both print it: times, numbers, hex and quotes evened out; null if too short to tell. */
export function normalizeLine(raw: string): string | null {
  // Normalising an ASCII line never lengthens it nor adds a space: one too short, or with fewer than
  // two spaces, is known to be null without it (most lines of a mail are blank or short).
  if (asciiAndTooPlain(raw)) return null;
  const line = raw
    .toLowerCase()
    .replace(/^[\s>*#|-]+/, "")
    .replace(/^\[?[a-z]{3} +\d+ [\d:]+\]? /, "")
    .replace(/0x[0-9a-f]+|\b[0-9a-f]{8,}\b/g, "0")
    .replace(/\d+/g, "0")
    .replace(/[`'"‘’“”]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (line.length < 16 || line.split(" ").length < 3) return null;
  // A kernel log's time stamp is all zeros by now: the generic lines are known without it.
  return GENERIC_LINES.has(line.replace(/^\[ ?0\.0\] /, "")) ? null : line.slice(0, 160);
}

/**
 * Lines every traceback or kernel trace prints, whatever went wrong: two reports showing one say
 * nothing about being the same bug (normalised as `normalizeLine` leaves them).
 */
const GENERIC_LINES = new Set([
  "traceback (most recent call last):",
  "during handling of the above exception, another exception occurred:",
  "the above exception was the direct cause of the following exception:",
  "call trace:",
  "---[ end trace 0 ]---",
]);

/** Whether a line is all ASCII and either under 16 characters or with under two white-space characters. */
function asciiAndTooPlain(raw: string): boolean {
  let spaces = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c > 127) return false;
    if (c === 32 || (c >= 9 && c <= 13)) spaces++;
  }
  return raw.length < 16 || spaces < 2;
}

/** 32-bit FNV-1a hashes of the normalised substantial lines (unique, the first MAX_LINES). */
export function lineHashes(text: string): number[] {
  const out = new Set<number>();
  for (const raw of text.split("\n")) {
    const line = normalizeLine(raw);
    if (line === null) continue;
    out.add(fnv1a(line));
    if (out.size >= MAX_LINES) break;
  }
  return [...out].sort((a, b) => a - b);
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const ADVISORY = /\b(?:XSA[- ]?(\d{1,4})|Xen Security Advisory (\d{1,4})|CVE-(\d{4}-\d{4,7}))\b/gi;

/** The `xsa-N` and `cve-YYYY-N` a text names, each once, in the order first named. */
export function advisoriesIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(ADVISORY)) out.add(m[3] ? `cve-${m[3]}` : `xsa-${Number(m[1] ?? m[2])}`);
  return [...out];
}

const SAME_AS =
  /\b(?:duplicate of|dup(?:licate)? of|same (?:problem |issue |bug )?as|merge (?:it |this )?with|already reported (?:as|in))\s+(?:bug\s*)?#?(\d{4,9})\b/gi;

/** "not a duplicate of #N", "isn't the same as #N": the claim is denied, so N is no same-as bug. */
const NEGATED = /\b(?:not|n't|no|never)\s+(?:(?:really|quite|actually|just|a|an|the)\s+)*$/i;

export function sameAsRefs(text: string): number[] {
  return [...new Set([...text.matchAll(SAME_AS)].filter((m) => !NEGATED.test(text.slice(Math.max(0, m.index - 40), m.index))).map((m) => Number(m[1])))];
}
