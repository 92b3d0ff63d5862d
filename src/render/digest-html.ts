import { plainLine } from "./sanitize.js";
import { type DigestDocument, type Piece, keepEdgeSpaces } from "./digest-sections.js";

/** Text as HTML text: the five characters that mean something in HTML become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const text = (s: string) => escapeHtml(plainLine(s));

function piece(p: Piece): string {
  if ("text" in p) return keepEdgeSpaces(p.text, text(p.text));
  if ("code" in p) return `<code>${text(p.code)}</code>`;
  const { bug, title } = p.report;
  return bug !== null ? `<a href="https://bugs.debian.org/${bug}">#${bug}</a> ${text(title)}` : `list thread: ${text(title)}`;
}

const STYLE =
  "body{font-family:sans-serif;line-height:1.4;max-width:52em;margin:1em auto;padding:0 1em}" +
  "ul{padding-left:1.2em}li{margin:.4em 0}.details{color:#555;font-size:.92em}" +
  "pre{background:#f4f4f4;padding:.4em .6em;margin:.3em 0}table{border-collapse:collapse}" +
  "th,td{border:1px solid #ccc;padding:.15em .6em}td.n{text-align:right}";

/** The digest as a standalone HTML page: every text escaped, links only to bugs.debian.org, no scripts. */
export function renderDigestHtml(doc: DigestDocument): string {
  const out = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p>${escapeHtml(doc.summary)}</p>`,
  ];
  for (const s of doc.sections) {
    out.push(`<h2>${escapeHtml(s.heading)}</h2>`);
    if (s.intro) out.push(`<p>${escapeHtml(s.intro)}</p>`);
    if (s.items.length || s.more) {
      out.push("<ul>");
      for (const item of s.items) {
        const details = item.details.map((d) => `<br><span class="details">${text(d)}</span>`).join("");
        const block = item.block ? `<pre>${item.block.map(text).join("\n")}</pre>` : "";
        out.push(`<li>${item.line.map(piece).join("")}${details}${block}</li>`);
      }
      if (s.more) out.push(`<li>and ${s.more} more</li>`);
      out.push("</ul>");
    }
    if (s.table) {
      out.push("<table>", `<tr>${s.table.head.map((h) => `<th>${text(h)}</th>`).join("")}</tr>`);
      for (const r of s.table.rows) out.push(`<tr>${r.map((c, k) => (k === 0 ? `<td>${text(c)}</td>` : `<td class="n">${text(c)}</td>`)).join("")}</tr>`);
      out.push("</table>");
    }
  }
  out.push("</body>", "</html>");
  return `${out.join("\n")}\n`;
}
