import type { BugRef, BugRefKind } from "./message.js";

/** debbugs numbers run from 1 to a little over a million; more digits is not a bug. */
const NUM = "(\\d{1,7})(?!\\d)";

const SUBJECT_RE = new RegExp(`\\bbug\\s*#\\s*${NUM}`, "gi");
const ADDRESS_RE = new RegExp(
  `(?<![\\w.+-])${NUM}(?:-(?:done|close|submitter|quiet|maintonly|forwarded|submit))?(?:@| at )bugs\\.debian\\.org\\b`,
  "gi",
);
const URL_RE = new RegExp(
  `(?:bugs\\.debian\\.org/(?:cgi-bin/)?(?:bugreport\\.cgi\\?(?:[^\\s#]*?[;&])?bug=|(?=\\d))|bugreport\\.cgi\\?(?:[^\\s#]*?[;&])?bug=)#?${NUM}`,
  "gi",
);
/** Debian changelog style, as dpkg's own parser reads it. */
const CLOSES_RE = /closes:\s*(?:bug)?#?\s?\d+(?:,\s*(?:bug)?#?\s?\d+)*/gi;
/** `#1028251` in prose: at least five digits, so `message #59` is not a bug. */
const HASH_RE = /(?<![\w&/#])#(\d{5,7})(?!\d)/g;

/** Every bug number a text mentions, each with the form it was written in; no repeats of (bug, kind). */
export function findBugRefs(subject: string, body: string, addresses: string[] = []): BugRef[] {
  const out: BugRef[] = [];
  const seen = new Set<string>();
  const add = (bug: number, kind: BugRefKind): void => {
    if (!(bug > 0)) return;
    const key = `${bug}:${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ bug, kind });
  };
  for (const m of subject.matchAll(SUBJECT_RE)) add(Number(m[1]), "subject");
  for (const a of addresses) {
    const m = /^(\d{1,7})(?:-[a-z]+)?@bugs\.debian\.org$/i.exec(a.trim());
    if (m) add(Number(m[1]), "address");
  }
  for (const m of body.matchAll(URL_RE)) add(Number(m[1]), "url");
  for (const m of body.matchAll(ADDRESS_RE)) add(Number(m[1]), "address");
  for (const m of body.matchAll(CLOSES_RE)) {
    for (const n of m[0].slice(m[0].indexOf(":") + 1).matchAll(/\d+/g)) add(Number(n[0]), "closes");
  }
  for (const m of body.matchAll(SUBJECT_RE)) add(Number(m[1]), "prose");
  for (const m of body.matchAll(HASH_RE)) add(Number(m[1]), "prose");
  return out;
}

/** The bug a mail is addressed to: `1028251@bugs.debian.org`, `1028251-done@...`, and so on. */
export function bugsFromAddresses(addresses: string[]): number[] {
  const out: number[] = [];
  for (const a of addresses) {
    const m = /^(\d{1,7})(?:-[a-z]+)?@bugs\.debian\.org$/i.exec(a.trim());
    if (m && !out.includes(Number(m[1]))) out.push(Number(m[1]));
  }
  return out;
}

/** The bugs a subject is filed under (`Bug#N:` prefixes). */
export function bugsFromSubject(subject: string): number[] {
  const out: number[] = [];
  for (const m of subject.matchAll(/\bbug\s*#\s*(\d{1,7})(?!\d)\s*:/gi)) {
    const n = Number(m[1]);
    if (n > 0 && !out.includes(n)) out.push(n);
  }
  return out;
}
