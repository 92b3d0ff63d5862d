/**
 * The author's own words of a mail body, for triage: quoted text and its "X wrote:" line, signatures,
 * reportbug's system information, pipermail scrub notices and the list footer are left out, as is the
 * pseudo-header block (`Package:`, `Control:`). The body itself is kept whole for display.
 */
export function ownText(body: string): string {
  const lines = body.split("\n");
  const kept: string[] = [];
  let i = 0;
  // Pseudo-headers (reportbug's Package/Version/Severity, Control:) at the top.
  while (i < lines.length && lines[i]!.trim() === "") i++;
  // An inline PGP clearsign header ("-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA256", blank line).
  if (/^-----BEGIN PGP SIGNED MESSAGE-----\s*$/.test(lines[i] ?? "")) {
    while (i < lines.length && lines[i]!.trim() !== "") i++;
    while (i < lines.length && lines[i]!.trim() === "") i++;
    // Clearsigning escapes lines that start with a dash ("- -- " for a signature line).
    for (let k = i; k < lines.length && !/^-----BEGIN PGP SIGNATURE-----/.test(lines[k]!); k++) {
      lines[k] = lines[k]!.replace(/^- /, "");
    }
  }
  // Like debbugs, the pseudo-headers run until the first line that is not one.
  while (i < lines.length && PSEUDO.test(lines[i]!)) i++;

  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trimEnd();
    const c = t.charCodeAt(0);
    // Only lines starting with "-", "_", ">" or white space can be anything but text: test those alone.
    if (c === 45 /* - */) {
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
      if (/^_{40,}$/.test(t) && /mailing list$/i.test(lines[i + 1]?.trim() ?? "")) {
        i = skipFooter(lines, i);
        continue;
      }
    } else if (c === 62 /* > */ || ((c === 32 || c === 9) && /^\s*>/.test(line))) {
      continue;
    } else if (c === 32 || c === 9) {
      if (/^\s*-{3,} ?(?:Original Message|Ursprüngliche Nachricht|Message d'origine) ?-{3,}$/i.test(t)) break;
    }
    if (t.endsWith(":") || ATTRIBUTION_START.test(c === 32 || c === 9 ? t.trimStart() : t)) {
      const attribution = attributionLines(lines, i);
      if (attribution > 0) {
        i += attribution - 1;
        continue;
      }
    }
    kept.push(t);
  }
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const PSEUDO =
  /^(?:package|source|version|source-version|severity|priority|tags?|user|usertags?|control|x-debbugs-[a-z-]+|owner|forwarded|affects|file|retitle|submitter):\s*\S/i;

/** The end of an attribution line: "Ada wrote:", "Am 03.03.25 um 10:15 schrieb Ada Greenhill:". */
const ATTRIBUTION =
  /(?:\b(?:wrote|writes|schrieb|a écrit|escribió|scrisse|skrev|napisał|kirjoitti|schreef)\s*:|\bschrieb\b.*:)$/i;
/** How attributions that a mailer wrapped over two lines begin. */
const ATTRIBUTION_START = /^(?:On|Am|Le|El|Il|Op|Den|W dniu)\s/;

/**
 * How many lines the attribution at line i takes ("On Mon, 3 Mar 2025, Ada wrote:", possibly wrapped
 * over two lines) when quoted text follows it; 0 when there is none.
 */
function attributionLines(lines: string[], i: number): number {
  const t = lines[i]!.trim();
  if (t === "") return 0;
  const nextQuoted = (k: number): boolean => {
    while (k < lines.length && lines[k]!.trim() === "") k++;
    return k < lines.length && /^\s*>/.test(lines[k]!);
  };
  if (ATTRIBUTION.test(t)) return nextQuoted(i + 1) ? 1 : 0;
  const next = lines[i + 1]?.trim() ?? "";
  if (ATTRIBUTION_START.test(t) && next !== "" && ATTRIBUTION.test(`${t} ${next}`)) return nextQuoted(i + 2) ? 2 : 0;
  return 0;
}

function skipTo(lines: string[], i: number, re: RegExp): number {
  for (let k = i + 1; k < lines.length; k++) if (re.test(lines[k]!.trimEnd())) return k;
  return lines.length;
}

/** A scrub notice ends with its `URL:` line (or the next blank line after its fields). */
function skipScrub(lines: string[], i: number): number {
  for (let k = i + 1; k < lines.length && k < i + 12; k++) {
    if (/^URL: /.test(lines[k]!)) return k;
  }
  // An inline scrubbed text part: its content follows; keep it out up to the next notice or footer.
  return skipTo(lines, i, /^-------------- next part --------------$|^_{40,}$/) - 1;
}

function skipFooter(lines: string[], i: number): number {
  let k = i + 1;
  while (k < lines.length && lines[k]!.trim() !== "" && k < i + 6) k++;
  return k - 1;
}
