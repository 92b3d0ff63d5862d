import { collapseWhiteSpace } from "./white-space.js";

/**
 * Leading list tags (`[Pkg-xen-devel]`: one word, as Mailman writes a list's name; `[DSA 5617-1]` or
 * `[INTL:de]` are part of the subject), reply/forward markers in several languages, `Bug#N:` prefixes.
 */
const PREFIX = /^\s*(?:\[[^\]\s:]{1,60}\]|(?:re|fwd?|aw|wg|sv|antw|vs|tr|rif|res|odp|r)(?:\[\d+\]|\^\d+)?\s*:|bug\s*#\s*\d+\s*:)\s*/i;

/**
 * The subject as threading compares it: without list tags, `Re:`/`Fwd:`/`AW:` and repeated `Bug#N:`
 * prefixes, white space collapsed. `[Pkg-xen-devel] Re: Bug#1039422: Bug#1039422: xen and systemd
 * support` gives `xen and systemd support`.
 */
export function normalizeSubject(subject: string): string {
  let s = collapseWhiteSpace(subject).trim();
  for (let guard = 0; guard < 50; guard++) {
    const next = s.replace(PREFIX, "");
    if (next === s) break;
    s = next;
  }
  return s.trim();
}

const PROCESSED = /^\s*Processed(?: \(with \d+ errors?\))?:\s*/i;
/** What the BTS says in its own notices, after `Bug#N:` (or `Bug#N` without colon: "closed by"). */
const NOTICE = /^(?:acknowledgement|marked as done|acknowledged by developer|marked as forwarded|closed by|fixed in|info received)\b/i;

/**
 * A report title from a subject: normalised, and for the BTS's own notifications the bug's title they
 * carry in their last parentheses (`Bug#144876: marked as done (xfsprogs: ...)`, `Bug#N closed by A
 * (reply to B) (Re: Bug#N: title)`).
 */
export function titleFromSubject(subject: string): string {
  // A transcript's subject can come back with `Bug#N:` before it (a reply to it, filed to the bug).
  let s = normalizeSubject(subject.replace(/\s+/g, " ").replace(PROCESSED, ""));
  if (PROCESSED.test(s)) s = normalizeSubject(s.replace(PROCESSED, ""));
  s = s.replace(/^bug\s*#\s*\d+\s+(?=closed by )/i, "");
  if (NOTICE.test(s)) {
    const inner = lastParenthesised(s);
    if (inner !== null) return normalizeSubject(inner);
  }
  return s;
}

/** Subjects of the BTS's own notifications: poor titles, used only when nothing better exists. */
export function isBtsNotice(subject: string): boolean {
  return /^(?:Processed(?: \(with \d+ errors?\))?:|Bug#\d+:? (?:Acknowledgement|marked as done|acknowledged by developer|marked as forwarded|closed by|fixed in|Info received))/i.test(
    subject.replace(/\s+/g, " ").trim(),
  );
}

/** The text of the balanced `( ... )` group that ends the string, or null when it does not end with `)`. */
function lastParenthesised(s: string): string | null {
  if (!s.endsWith(")")) return null;
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ")") depth++;
    else if (s[i] === "(" && --depth === 0) return s.slice(i + 1, -1).trim();
  }
  // Unbalanced (a title with a stray parenthesis): from the first one on.
  const open = s.indexOf("(");
  return open >= 0 ? s.slice(open + 1, -1).trim() : null;
}
