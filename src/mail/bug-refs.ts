import type { BugRef, BugRefKind } from "./message.js";

/** debbugs numbers run from 1 to a little over a million; more digits is not a bug. */
const NUM = "(\\d{1,7})(?!\\d)";

const SUBJECT_RE = new RegExp(`\\bbug\\s*#\\s*${NUM}`, "gi");
/**
 * URLs (`bugs.debian.org/N`, `bugs.debian.org/cgi-bin/bugreport.cgi?...bug=N`, a bare `bugreport.cgi?bug=N`
 * that is not part of another site's URL) and addresses (`N@bugs.debian.org`, `N-done@...`, pipermail's
 * `N at bugs.debian.org`), matched where the host or the CGI's name was found: scanning for a literal
 * is fast, and most of a BTS mail is not a bug reference. One scan finds both literals and the `closes`
 * of a changelog closure: they cannot overlap, so it finds exactly what three scans would.
 */
const ANCHOR_RE = /bugs\.debian\.org|bugreport\.cgi|closes/gi;
const HOST_LENGTH = "bugs.debian.org".length;
const CLOSES_LENGTH = "closes".length;
const URL_AT_HOST = /bugs\.debian\.org\/(?:cgi-bin\/)?(?:bugreport\.cgi\?(?:[^\s#]*?[;&])?bug=|(?=\d))#?(\d{1,7})(?!\d)/iy;
const URL_AT_CGI = /(?<![\w./-])bugreport\.cgi\?(?:[^\s#]*?[;&])?bug=#?(\d{1,7})(?!\d)/iy;
const ADDRESS_BEFORE_HOST = /(?<![\w.+-])(\d{1,7})(?:-(?:done|close|submitter|quiet|maintonly|forwarded|submit))?(?:@| at )$/i;
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

const KIND_NUMBER: Record<BugRefKind, number> = { subject: 0, address: 1, url: 2, closes: 3, prose: 4, control: 5 };

/** Every bug number a text mentions, each with the form it was written in; no repeats of (bug, kind). */
export function findBugRefs(subject: string, body: string, addresses: string[] = []): BugRef[] {
  const out: BugRef[] = [];
  const seen = new Set<number>();
  const add = (bug: number, kind: BugRefKind): void => {
    if (!(bug > 0) || bug > 9_999_999) return;
    const key = bug * 8 + KIND_NUMBER[kind];
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ bug, kind });
  };
  for (const m of subject.matchAll(SUBJECT_RE)) add(Number(m[1]), "subject");
  for (const n of bugsFromAddresses(addresses)) add(n, "address");

  // Each mention counts once, in its most specific form: what a URL, an address or a Closes: line took
  // is off limits to the patterns after it (spans kept sorted, looked up by binary search).
  let spans: number[] = [];
  const covered = (start: number, end: number): boolean => {
    let lo = 0;
    let hi = spans.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid * 2 + 1]! <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo < spans.length / 2 && spans[lo * 2]! < end;
  };
  /** Merge spans found in text order into the sorted spans (both lists are sorted: one linear pass). */
  const merge = (found: [number, number][]): void => {
    const out: number[] = [];
    let k = 0;
    for (const [start, end] of found) {
      while (k < spans.length && spans[k]! <= start) out.push(spans[k++]!, spans[k++]!);
      out.push(start, end);
    }
    while (k < spans.length) out.push(spans[k++]!);
    spans = out;
  };
  const take = (re: RegExp, each: (m: RegExpMatchArray) => void): void => {
    const found: [number, number][] = [];
    for (const m of body.matchAll(re)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (spans.length && covered(start, end)) continue;
      each(m);
      found.push([start, end]);
    }
    if (found.length) merge(found);
  };
  // URLs and addresses: found from each occurrence of the host (or the CGI's name), in text order.
  const urls: [number, number, number][] = [];
  const addressesAt: [number, number, number][] = [];
  let closes = false;
  ANCHOR_RE.lastIndex = 0;
  for (let a = ANCHOR_RE.exec(body); a; a = ANCHOR_RE.exec(body)) {
    const at = a.index;
    if (a[0].length === HOST_LENGTH) {
      URL_AT_HOST.lastIndex = at;
      const u = URL_AT_HOST.exec(body);
      if (u) urls.push([at, URL_AT_HOST.lastIndex, Number(u[1])]);
      const end = at + HOST_LENGTH;
      if (isWordChar(body.charCodeAt(end)) || !addressEndsAt(body, at)) continue;
      const from = Math.max(0, at - 48);
      const m = ADDRESS_BEFORE_HOST.exec(body.slice(from, at));
      if (m) addressesAt.push([from + m.index, end, Number(m[1])]);
    } else if (a[0].length === CLOSES_LENGTH) {
      closes = true;
    } else {
      URL_AT_CGI.lastIndex = at;
      const u = URL_AT_CGI.exec(body);
      if (u) urls.push([at, URL_AT_CGI.lastIndex, Number(u[1])]);
    }
  }
  const takeFound = (found: [number, number, number][], kind: BugRefKind): void => {
    const kept: [number, number][] = [];
    for (const [start, end, bug] of found) {
      if (spans.length && covered(start, end)) continue;
      add(bug, kind);
      kept.push([start, end]);
    }
    if (kept.length) merge(kept);
  };
  takeFound(urls, "url");
  takeFound(addressesAt, "address");
  if (closes) {
    take(CLOSES_RE, (m) => {
      for (const n of m[0]!.slice(m[0]!.indexOf(":") + 1).matchAll(/\d+/g)) {
        if (n[0].length <= 7) add(Number(n[0]), "closes");
      }
    });
  }
  if (!body.includes("#") && !/bug/i.test(body)) return out;
  if (body.includes("://")) take(OTHER_URL_RE, () => undefined);
  for (const m of body.matchAll(PROSE_RE)) {
    const bug = Number(m[1] ?? m[2] ?? m[3]);
    // A bug already taken as prose gains nothing from this mention: skip the look at what precedes it.
    if (seen.has(bug * 8 + KIND_NUMBER.prose)) continue;
    if (spans.length && covered(m.index!, m.index! + m[0].length)) continue;
    if (FOREIGN_BEFORE.test(lineBefore(body, m.index!, 40))) continue;
    add(bug, "prose");
  }
  return out;
}

/** `\w` as a regex reads it (NaN, past the end, is none). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether the text before `at` ends as an address before its host does: `@`, or pipermail's ` at `. */
function addressEndsAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  return c === 64 || (c === 32 && at >= 4 && /^ at $/i.test(text.slice(at - 4, at)));
}

/** The text before `at` on its line, at most `max` characters of it. */
function lineBefore(text: string, at: number, max: number): string {
  const limit = Math.max(0, at - max);
  let start = at;
  while (start > limit && text.charCodeAt(start - 1) !== 10) start--;
  return text.slice(start, at);
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

/**
 * The bugs a subject is filed under (`Bug#N:` prefixes). A `Bug#N:` prefix is a deliberate filing, so it
 * takes up to 9 digits: other trackers mirrored into mail (Jira, Bugzilla) number past Debian's 7.
 */
export function bugsFromSubject(subject: string): number[] {
  const out: number[] = [];
  for (const m of subject.matchAll(/\bbug\s*#\s*(\d{1,9})(?!\d)\s*:/gi)) {
    const n = Number(m[1]);
    if (n > 0 && !out.includes(n)) out.push(n);
  }
  return out;
}
