import { plainLine } from "./sanitize.js";
import { type DigestDocument, type Piece, keepEdgeSpaces } from "./digest-sections.js";

const WIDTH = 72;

function piece(p: Piece): string {
  if ("text" in p) return keepEdgeSpaces(p.text, plainLine(p.text));
  if ("code" in p) return plainLine(p.code);
  return `${p.report.bug !== null ? `#${p.report.bug}: ` : "list thread: "}${plainLine(p.report.title)}`;
}

const HIDDEN = "[address hidden]";
const HIDDEN_WORD = "[address\u00A0hidden]";

/**
 * Words filled to `WIDTH` columns, the first line after `first`, the others after `rest`. A word longer
 * than a line stays whole, and so does `[address hidden]`.
 */
export function wrap(text: string, first = "", rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of text.split(HIDDEN).join(HIDDEN_WORD).split(" ").filter(Boolean)) {
    const word = w.split(HIDDEN_WORD).join(HIDDEN);
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** The digest as plain text, wrapped for mail (72 columns): what `--format text` prints and the mail's text part. */
export function renderDigestText(doc: DigestDocument): string {
  const out = [doc.title, "=".repeat(doc.title.length), "", ...wrap(doc.summary), ""];
  for (const s of doc.sections) {
    out.push(s.heading, "-".repeat(s.heading.length), "");
    if (s.intro) out.push(...wrap(s.intro), "");
    for (const item of s.items) {
      out.push(...wrap(item.line.map(piece).join(""), "* ", "  "));
      const bugs = item.line.flatMap((p) => ("report" in p && p.report.bug !== null ? [p.report.bug] : []));
      if (bugs.length === 1) out.push(`  https://bugs.debian.org/${bugs[0]}`);
      for (const d of item.details) out.push(...wrap(plainLine(d), "  ", "    "));
      if (item.block) out.push(...item.block.map((l) => `      ${plainLine(l)}`));
    }
    if (s.more) out.push(`* and ${s.more} more`);
    if (s.table) {
      const rows = [s.table.head, ...s.table.rows].map((r) => r.map(plainLine));
      const widths = s.table.head.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
      for (const r of rows) out.push(r.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join("  ").trimEnd());
    }
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
