import { bugLink, inlineText, plainLine } from "./sanitize.js";
import { type DigestDocument, type Piece, keepEdgeSpaces } from "./digest-sections.js";

/** A piece as GitHub-safe Markdown: no mentions, no wrong links, no markup, no addresses (see sanitize.ts). */
function piece(p: Piece): string {
  if ("text" in p) return keepEdgeSpaces(p.text, inlineText(p.text));
  if ("code" in p) return codeSpan(p.code);
  return `${p.report.bug !== null ? `${bugLink(p.report.bug)} ` : "list thread: "}${inlineText(p.report.title)}`;
}

/**
 * A code span that its own backticks cannot end (a run of backticks longer than any inside). GitHub
 * neither mentions nor links inside code, and shows it as it is: only addresses need hiding.
 */
function codeSpan(text: string): string {
  const clean = plainLine(text);
  const fence = "`".repeat(Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  return `${fence}${clean.startsWith("`") || clean.endsWith("`") ? ` ${clean} ` : clean}${fence}`;
}

/** The digest as Markdown: for GitHub, a wiki, or any Markdown reader. */
export function renderDigestMarkdown(doc: DigestDocument): string {
  const out = [`# ${doc.title}`, "", doc.summary, ""];
  for (const s of doc.sections) {
    out.push(`## ${s.heading}`, "");
    if (s.intro) out.push(s.intro, "");
    for (const item of s.items) {
      const line = item.line.map(piece).join("");
      // One detail goes on the item's line; several (or a control block) go under it.
      if (item.details.length === 1 && !item.block) out.push(`- ${line} — ${inlineText(item.details[0]!)}`);
      else out.push(`- ${line}`, ...item.details.map((d) => `  - ${inlineText(d)}`));
      if (item.block) out.push("", "  ```", ...item.block.map((l) => `  ${plainLine(l).replace(/`/g, "'")}`), "  ```", "");
    }
    if (s.more) out.push(`- and ${s.more} more`);
    if (s.table) {
      out.push(`| ${s.table.head.join(" | ")} |`, `|${s.table.head.map(() => "---").join("|")}|`, ...s.table.rows.map((r) => `| ${r.map((c) => inlineText(c).replace(/\|/g, "\\|")).join(" | ")} |`));
    }
    out.push("");
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
