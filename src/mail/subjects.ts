/** Leading list tags (`[Pkg-xen-devel]`), reply/forward markers in several languages, `Bug#N:` prefixes. */
const PREFIX = /^\s*(?:\[[^\]\n]{1,60}\]|(?:re|fwd?|aw|wg|sv|antw|vs|tr|rif|res|odp|r)(?:\[\d+\]|\^\d+)?\s*:|bug\s*#\s*\d+\s*:)\s*/i;

/**
 * The subject as threading compares it: without list tags, `Re:`/`Fwd:`/`AW:` and repeated `Bug#N:`
 * prefixes, white space collapsed. `[Pkg-xen-devel] Re: Bug#1039422: Bug#1039422: xen and systemd
 * support` gives `xen and systemd support`.
 */
export function normalizeSubject(subject: string): string {
  let s = subject.replace(/\s+/g, " ").trim();
  for (let guard = 0; guard < 50; guard++) {
    const next = s.replace(PREFIX, "");
    if (next === s) break;
    s = next;
  }
  return s.trim();
}

/**
 * A report title from a subject: normalised, and for the BTS's own notifications the bug's title they
 * carry in parentheses (`Bug#144876: marked as done (xfsprogs: ...)`).
 */
export function titleFromSubject(subject: string): string {
  const s = normalizeSubject(subject.replace(/^\s*Processed(?: \(with \d+ errors?\))?:\s*/i, ""));
  const bts = /^(?:acknowledgement|marked as done|acknowledged by developer|marked as forwarded|closed by [^(]*|fixed in [^(]*|info received)\s*\((.*)\)$/i.exec(s);
  return (bts ? bts[1]! : s).replace(/\s+/g, " ").trim();
}

/** Subjects of the BTS's own notifications: poor titles, used only when nothing better exists. */
export function isBtsNotice(subject: string): boolean {
  return /^(?:Processed(?: \(with \d+ errors?\))?:|Bug#\d+: (?:Acknowledgement|marked as done|acknowledged by developer|marked as forwarded|closed by|fixed in|Info received))/i.test(
    subject.trim(),
  );
}
