/**
 * The author's own words of a mail body, for triage: quoted text and its "X wrote:" line, signatures,
 * reportbug's system information, pipermail scrub notices and the list footer are left out, as is the
 * pseudo-header block (`Package:`, `Control:`). The body itself is kept whole for display.
 */
export function ownText(body: string): string {
  let lines = new Lines(body);
  let i = 0;
  // Pseudo-headers (reportbug's Package/Version/Severity, Control:) at the top.
  while (i < lines.length && lines.at(i)!.trim() === "") i++;
  // An inline PGP clearsign header ("-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA256", blank line).
  if (/^-----BEGIN PGP SIGNED MESSAGE-----\s*$/.test(lines.at(i) ?? "")) {
    while (i < lines.length && lines.at(i)!.trim() !== "") i++;
    while (i < lines.length && lines.at(i)!.trim() === "") i++;
    lines = unescapeClearsigned(lines, i);
  }
  // Like debbugs, the pseudo-headers run until the first line that is not one.
  while (i < lines.length && PSEUDO.test(lines.at(i)!)) i++;

  const text = lines.body;
  const kept = new Kept(text);
  for (; i < lines.length; i++) {
    const start = lines.start(i);
    const end = lines.end(i);
    // The line without trailing white space; most lines end in a printable character and need no copy.
    const last = text.charCodeAt(end - 1);
    const tEnd = end > start && last > 32 && last < 127 ? end : start + text.slice(start, end).trimEnd().length;
    const c = tEnd > start ? text.charCodeAt(start) : NaN;
    // Only lines starting with "-", "_", ">" or white space can be anything but text: test those alone.
    if (c === 45 /* - */) {
      const t = text.slice(start, tEnd);
      if (/^-- ?$/.test(t) || /^-- (?:System Information|Package-specific info|Configuration Files|no debconf information|debconf information|debconf-show failed)/.test(t)) {
        // A signature or reportbug's trailer runs to the next scrub notice or the end.
        i = skipTo(lines, i, /^-------------- next part --------------$|^_{40,}$/) - 1;
        continue;
      }
      if (t === "-------------- next part --------------") {
        i = skipScrub(lines, i);
        continue;
      }
      if (/^-{3,} ?(?:Original Message|Ursprüngliche Nachricht|Message d'origine) ?-{3,}$/i.test(t)) break;
      if (t === "-----BEGIN PGP SIGNATURE-----") {
        i = skipTo(lines, i, /^-----END PGP SIGNATURE-----$/);
        continue;
      }
    } else if (c === 95 /* _ */) {
      if (/^_{40,}$/.test(text.slice(start, tEnd)) && /mailing list$/i.test(lines.at(i + 1)?.trim() ?? "")) {
        i = skipFooter(lines, i);
        continue;
      }
    } else if (c === 62 /* > */ || ((c === 32 || c === 9) && /^\s*>/.test(lines.at(i)!))) {
      continue;
    } else if (c === 32 || c === 9) {
      if (/^\s*-{3,} ?(?:Original Message|Ursprüngliche Nachricht|Message d'origine) ?-{3,}$/i.test(text.slice(start, tEnd))) break;
    }
    if ((tEnd > start && text.charCodeAt(tEnd - 1) === 58 /* : */) || startsAttribution(text, start, tEnd, c)) {
      const attribution = attributionLines(lines, i);
      if (attribution > 0) {
        i += attribution - 1;
        continue;
      }
    }
    kept.add(start, tEnd);
  }
  return kept
    .text()
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * A body's lines by their offsets: a line is copied out only when a rule has to look at it, and runs of
 * kept lines are taken from the body whole.
 */
class Lines {
  private readonly starts: number[] = [];
  readonly length: number;

  constructor(readonly body: string) {
    for (let pos = 0; ; ) {
      this.starts.push(pos);
      const nl = body.indexOf("\n", pos);
      if (nl < 0) break;
      pos = nl + 1;
    }
    this.length = this.starts.length;
  }

  start(k: number): number {
    return this.starts[k]!;
  }

  /** Where line k ends, before its newline. */
  end(k: number): number {
    return k + 1 < this.length ? this.starts[k + 1]! - 1 : this.body.length;
  }

  /** Line k as a string, or undefined past the last line (like an array's element). */
  at(k: number): string | undefined {
    return k >= 0 && k < this.length ? this.body.slice(this.starts[k]!, this.end(k)) : undefined;
  }
}

/** The kept lines, joined by newlines: consecutive lines kept whole are one slice of the body. */
class Kept {
  private readonly pieces: string[] = [];
  private runStart = -1;
  private runEnd = -1;

  constructor(private readonly body: string) {}

  add(start: number, end: number): void {
    // The last kept text ended right before this line's newline: the body holds both as they are.
    if (this.runStart >= 0 && this.runEnd + 1 === start) {
      this.runEnd = end;
      return;
    }
    if (this.runStart >= 0) this.pieces.push(this.body.slice(this.runStart, this.runEnd));
    this.runStart = start;
    this.runEnd = end;
  }

  text(): string {
    if (this.runStart >= 0) this.pieces.push(this.body.slice(this.runStart, this.runEnd));
    this.runStart = -1;
    return this.pieces.join("\n");
  }
}

/** Clearsigning escapes lines that start with a dash ("- -- " for a signature line): undone up to the signature. */
function unescapeClearsigned(lines: Lines, from: number): Lines {
  const parts: string[] = [];
  let copied = 0;
  for (let k = from; k < lines.length && !/^-----BEGIN PGP SIGNATURE-----/.test(lines.at(k)!); k++) {
    const start = lines.start(k);
    if (lines.body.startsWith("- ", start)) {
      parts.push(lines.body.slice(copied, start));
      copied = start + 2;
    }
  }
  if (copied === 0) return lines;
  parts.push(lines.body.slice(copied));
  return new Lines(parts.join(""));
}

/** ATTRIBUTION_START on the line [start, end) of text (c is its first character). */
function startsAttribution(text: string, start: number, end: number, c: number): boolean {
  if (c === 32 || c === 9) return ATTRIBUTION_START.test(text.slice(start, end).trimStart());
  ATTRIBUTION_START_AT.lastIndex = start;
  // Matched within the line: `\s` must not be the newline after it.
  return ATTRIBUTION_START_AT.test(text) && ATTRIBUTION_START_AT.lastIndex <= end;
}

const PSEUDO =
  /^(?:package|source|version|source-version|severity|priority|tags?|user|usertags?|control|x-debbugs-[a-z-]+|owner|forwarded|affects|file|retitle|submitter):\s*\S/i;

/** The end of an attribution line: "Ada wrote:", "Am 03.03.25 um 10:15 schrieb Ada Greenhill:". */
const ATTRIBUTION =
  /(?:\b(?:wrote|writes|schrieb|a écrit|escribió|scrisse|skrev|napisał|kirjoitti|schreef)\s*:|\bschrieb\b.*:)$/i;
/** How attributions that a mailer wrapped over two lines begin. */
const ATTRIBUTION_START = /^(?:On|Am|Le|El|Il|Op|Den|W dniu)\s/;
/** ATTRIBUTION_START at a given offset. */
const ATTRIBUTION_START_AT = /(?:On|Am|Le|El|Il|Op|Den|W dniu)\s/y;

/**
 * How many lines the attribution at line i takes ("On Mon, 3 Mar 2025, Ada wrote:", possibly wrapped
 * over two lines) when quoted text follows it; 0 when there is none.
 */
function attributionLines(lines: Lines, i: number): number {
  const t = lines.at(i)!.trim();
  if (t === "") return 0;
  const nextQuoted = (k: number): boolean => {
    while (k < lines.length && lines.at(k)!.trim() === "") k++;
    return k < lines.length && /^\s*>/.test(lines.at(k)!);
  };
  if (ATTRIBUTION.test(t)) return nextQuoted(i + 1) ? 1 : 0;
  const next = lines.at(i + 1)?.trim() ?? "";
  if (ATTRIBUTION_START.test(t) && next !== "" && ATTRIBUTION.test(`${t} ${next}`)) return nextQuoted(i + 2) ? 2 : 0;
  return 0;
}

function skipTo(lines: Lines, i: number, re: RegExp): number {
  for (let k = i + 1; k < lines.length; k++) if (re.test(lines.at(k)!.trimEnd())) return k;
  return lines.length;
}

/** A scrub notice ends with its `URL:` line (or the next blank line after its fields). */
function skipScrub(lines: Lines, i: number): number {
  for (let k = i + 1; k < lines.length && k < i + 12; k++) {
    if (/^URL: /.test(lines.at(k)!)) return k;
  }
  // An inline scrubbed text part: its content follows; keep it out up to the next notice or footer.
  return skipTo(lines, i, /^-------------- next part --------------$|^_{40,}$/) - 1;
}

function skipFooter(lines: Lines, i: number): number {
  let k = i + 1;
  while (k < lines.length && lines.at(k)!.trim() !== "" && k < i + 6) k++;
  return k - 1;
}
