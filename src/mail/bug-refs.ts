import type { BugRef, BugRefKind } from "./message.js";

/** debbugs numbers run from 1 to a little over a million; more digits is not a bug. */
const NUM = "(\\d{1,7})(?!\\d)";

const SUBJECT_RE = new RegExp(`\\bbug\\s*#\\s*${NUM}`, "gi");
const ADDRESS_RE = new RegExp(
  `(?<![\\w.+-])${NUM}(?:-(?:done|close|submitter|quiet|maintonly|forwarded|submit))?(?:@| at )bugs\\.debian\\.org\\b`,
  "gi",
);
/** `bugs.debian.org/N`, `bugs.debian.org/cgi-bin/bugreport.cgi?...bug=N`, or a bare `bugreport.cgi?bug=N`
 * that is not part of another site's URL (GNU's debbugs has the same CGI). */
const URL_RE = new RegExp(
  `(?:bugs\\.debian\\.org/(?:cgi-bin/)?(?:bugreport\\.cgi\\?(?:[^\\s#]*?[;&])?bug=|(?=\\d))|(?<![\\w./-])bugreport\\.cgi\\?(?:[^\\s#]*?[;&])?bug=)#?${NUM}`,
  "gi",
);
/** Debian changelog style, as dpkg's own parser reads it. */
const CLOSES_RE = /closes:\s*(?:bug)?#?\s?\d+(?:,\s*(?:bug)?#?\s?\d+)*/gi;
/** Any other URL: a `#1234567` in it is a fragment of another site, not a bug. */
const OTHER_URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"]+/gi;
/**
 * Prose: `bug #1028251`, `bug 1028251` (five digits at least without the `#`), and a bare `#1028251` (five
 * to seven digits, so `message #59` is not a bug; not after a word character, `&`, `/`, `:` or `=`, which
 * rules out HTML entities, colour codes and anchors).
 */
const PROSE_RE = new RegExp(`\\bbug\\s*#\\s*${NUM}|\\bbug\\s+(\\d{5,7})(?!\\d|\\.\\d)|(?<![\\w&/#:=])#(\\d{5,7})(?!\\d)`, "gi");
/** A number of another tracker: `LP: #2034567`, `Launchpad bug #...`, `upstream issue #...`, `PR #31234`. */
const FOREIGN_BEFORE =
  /\b(?:lp|launchpad|ubuntu|upstream|rhbz|red\s?hat|rh|fedora|suse|opensuse|gentoo|gnome|kde|mozilla|bugzilla|bko|fdo|freedesktop|github|gitlab|gh|pr|mr|pull\s+request|merge\s+request|issue|ticket)\s*(?:bugs?|issues?|tickets?)?\s*:?\s*$/i;

/** Every bug number a text mentions, each with the form it was written in; no repeats of (bug, kind). */
export function findBugRefs(subject: string, body: string, addresses: string[] = []): BugRef[] {
  const out: BugRef[] = [];
  const seen = new Set<string>();
  const add = (bug: number, kind: BugRefKind): void => {
    if (!(bug > 0) || bug > 9_999_999) return;
    const key = `${bug}:${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ bug, kind });
  };
  for (const m of subject.matchAll(SUBJECT_RE)) add(Number(m[1]), "subject");
  for (const n of bugsFromAddresses(addresses)) add(n, "address");

  // Each mention counts once, in its most specific form: what a URL, an address or a Closes: line took
  // is blanked out before looking for prose mentions.
  let rest = body;
  const take = (re: RegExp, each: (m: RegExpMatchArray) => void): void => {
    let out = "";
    let last = 0;
    for (const m of rest.matchAll(re)) {
      each(m);
      out += rest.slice(last, m.index!) + " ".repeat(m[0].length);
      last = m.index! + m[0].length;
    }
    if (last > 0) rest = out + rest.slice(last);
  };
  // Cheap substring checks first: most mail has none of these, and the full patterns are not free.
  const lower = body.toLowerCase();
  const bts = lower.includes("bugs.debian.org");
  if (bts || lower.includes("bugreport.cgi")) take(URL_RE, (m) => add(Number(m[1]), "url"));
  if (bts) take(ADDRESS_RE, (m) => add(Number(m[1]), "address"));
  if (lower.includes("closes")) {
    take(CLOSES_RE, (m) => {
      for (const n of m[0]!.slice(m[0]!.indexOf(":") + 1).matchAll(/\d+/g)) {
        if (n[0].length <= 7) add(Number(n[0]), "closes");
      }
    });
  }
  if (!lower.includes("#") && !lower.includes("bug")) return out;
  if (lower.includes("://")) take(OTHER_URL_RE, () => undefined);
  for (const m of rest.matchAll(PROSE_RE)) {
    const before = rest.slice(Math.max(0, m.index! - 40), m.index!).split("\n").pop()!;
    if (FOREIGN_BEFORE.test(before)) continue;
    add(Number(m[1] ?? m[2] ?? m[3]), "prose");
  }
  return out;
}

/** The bug a mail is addressed to: `1028251@bugs.debian.org`, `1028251-done@...`, and so on. */
export function bugsFromAddresses(addresses: string[]): number[] {
  const out: number[] = [];
  for (const a of addresses) {
    const m = /^(\d{1,7})(?:-[a-z]+)?@bugs\.debian\.org$/i.exec(a.trim());
    if (m && Number(m[1]) > 0 && !out.includes(Number(m[1]))) out.push(Number(m[1]));
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
