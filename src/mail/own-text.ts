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
  let j = i;
  while (j < lines.length && /^[A-Za-z][A-Za-z-]*:\s/.test(lines[j]!)) j++;
  if (j > i && (j === lines.length || lines[j]!.trim() === "") && isPseudoHeaderBlock(lines.slice(i, j))) i = j;

  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trimEnd();
    if (/^-- ?$/.test(t) || /^-- (?:System Information|Package-specific info|Configuration Files|no debconf information|debconf information|debconf-show failed)/.test(t)) {
      // A signature or reportbug's trailer runs to the next scrub notice or the end.
      i = skipTo(lines, i, /^-------------- next part --------------$|^_{40,}$/) - 1;
      continue;
    }
    if (t === "-------------- next part --------------") {
      i = skipScrub(lines, i);
      continue;
    }
    if (/^_{40,}$/.test(t) && /mailing list$/i.test(lines[i + 1]?.trim() ?? "")) {
      i = skipFooter(lines, i);
      continue;
    }
    if (/^-{3,} ?Original Message ?-{3,}$/i.test(t.trim())) break;
    if (/^\s*>/.test(line) || isAttribution(lines, i)) continue;
    kept.push(t);
  }
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const PSEUDO = /^(?:package|source|version|severity|tags|user|usertags|control|x-debbugs-cc|owner|forwarded|affects|file|tag|retitle):/i;

function isPseudoHeaderBlock(lines: string[]): boolean {
  return lines.every((l) => PSEUDO.test(l));
}

/** "On Mon, 3 Mar 2025, Ada wrote:" (possibly over two lines) right before quoted text. */
function isAttribution(lines: string[], i: number): boolean {
  const t = lines[i]!.trim();
  if (t === "") return false;
  const nextQuoted = (k: number): boolean => {
    while (k < lines.length && lines[k]!.trim() === "") k++;
    return k < lines.length && /^\s*>/.test(lines[k]!);
  };
  if (/(?:wrote|writes|schrieb|a écrit|escribió|scrisse|skrev|napisał)\s*:$/i.test(t)) return nextQuoted(i + 1);
  // First line of a two-line attribution.
  const next = lines[i + 1]?.trim() ?? "";
  if (/^On .+/.test(t) && /(?:wrote|writes)\s*:$/i.test(next)) return nextQuoted(i + 2);
  return false;
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
