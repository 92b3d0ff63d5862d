import { compile } from "html-to-text";
import { decodeQuotedPrintable, decodeText } from "./decode-text.js";
import { type Headers, decodeWords, header, parseContentType, splitHeaders } from "./headers.js";

const MAX_DEPTH = 12;

/** Compiled once: html-to-text builds its selector tables per call otherwise. */
const htmlToText = compile({
  wordwrap: false,
  selectors: [
    { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    { selector: "img", format: "skip" },
  ],
});

/**
 * The readable text of a MIME entity: text/plain preferred, HTML turned into text when it is the only
 * body, signatures and binary attachments left out (named in a one-line note), forwarded messages
 * (message/rfc822, as in the BTS's "marked as done" mail) shown with their own headers.
 */
export function bodyText(headers: Headers, body: Buffer, warnings: string[], depth = 0): string {
  const ct = parseContentType(header(headers, "content-type"));
  const type = ct.type;
  if (depth > MAX_DEPTH) {
    warnings.push("MIME nesting too deep; inner parts skipped");
    return "";
  }
  if (type.startsWith("multipart/")) {
    const boundary = ct.params["boundary"];
    if (!boundary) {
      warnings.push(`${type} without boundary; read as text`);
      return leafText(headers, body, "text/plain", ct.params["charset"], warnings);
    }
    const parts = splitMultipart(body, boundary);
    if (parts.length === 0) {
      warnings.push(`${type}: no parts found for its boundary; read as text`);
      return leafText(headers, body, "text/plain", ct.params["charset"], warnings);
    }
    const entities = parts.map((p) => {
      const split = splitHeaders(p, { requireHeaders: false });
      return { headers: split.headers, body: p.subarray(split.bodyStart) };
    });
    if (type === "multipart/alternative") {
      const ranked = [...entities].sort((a, b) => rank(a.headers) - rank(b.headers));
      const best = ranked[0]!;
      return bodyText(best.headers, best.body, warnings, depth + 1);
    }
    const texts: string[] = [];
    const hasPlain = entities.some((e) => isInlineType(e.headers, "text/plain"));
    for (const e of entities) {
      const t = parseContentType(header(e.headers, "content-type")).type;
      if (t === "text/html" && hasPlain) continue;
      const text = bodyText(e.headers, e.body, warnings, depth + 1);
      if (text.trim() !== "") texts.push(text.replace(/\n+$/, ""));
    }
    return texts.join("\n\n") + (texts.length ? "\n" : "");
  }
  if (type === "message/rfc822" || type === "message/global") {
    const inner = decodeTransfer(headers, body, warnings);
    try {
      const split = splitHeaders(inner);
      const text = bodyText(split.headers, inner.subarray(split.bodyStart), warnings, depth + 1);
      const lines = ["-------- Forwarded message --------"];
      for (const name of ["from", "date", "subject"]) {
        const v = header(split.headers, name);
        if (v) lines.push(`${name[0]!.toUpperCase()}${name.slice(1)}: ${decodeWords(v)}`);
      }
      return `${lines.join("\n")}\n\n${text}`;
    } catch {
      warnings.push("unreadable forwarded message skipped");
      return "";
    }
  }
  if (type === "application/pgp-signature" || type === "application/pkcs7-signature" || type === "application/x-pkcs7-signature") {
    return "";
  }
  if (isAttachment(headers) && !type.startsWith("text/")) return attachmentNote(headers, type);
  if (type === "text/plain" || type === "text/html" || type === "text/x-diff" || type === "text/x-patch" || type === "text/enriched") {
    return leafText(headers, body, type, ct.params["charset"], warnings);
  }
  if (type.startsWith("text/") && !isAttachment(headers)) {
    return leafText(headers, body, "text/plain", ct.params["charset"], warnings);
  }
  return attachmentNote(headers, type);
}

function leafText(headers: Headers, body: Buffer, type: string, charset: string | undefined, warnings: string[]): string {
  const bytes = decodeTransfer(headers, body, warnings);
  let text = decodeText(bytes, charset, warnings);
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  if (type === "text/html") {
    text = htmlToText(text);
    if (!text.endsWith("\n")) text += "\n";
  }
  return text;
}

function decodeTransfer(headers: Headers, body: Buffer, warnings: string[]): Buffer {
  const cte = (header(headers, "content-transfer-encoding") ?? "").trim().toLowerCase();
  if (cte === "base64") return Buffer.from(body.toString("latin1"), "base64");
  if (cte === "quoted-printable") return decodeQuotedPrintable(body);
  if (cte !== "" && cte !== "7bit" && cte !== "8bit" && cte !== "binary") {
    warnings.push(`unknown Content-Transfer-Encoding "${cte}"; read as 8bit`);
  }
  return body;
}

function rank(h: Headers): number {
  const t = parseContentType(header(h, "content-type")).type;
  if (t === "text/plain") return 0;
  if (t.startsWith("multipart/")) return 1;
  if (t === "text/html") return 2;
  return 3;
}

function isAttachment(h: Headers): boolean {
  return /^\s*attachment/i.test(header(h, "content-disposition") ?? "");
}

function isInlineType(h: Headers, type: string): boolean {
  return parseContentType(header(h, "content-type")).type === type && !isAttachment(h);
}

function attachmentNote(h: Headers, type: string): string {
  const disp = header(h, "content-disposition") ?? "";
  const name = /filename\*?="?([^";]+)"?/i.exec(disp)?.[1] ?? parseContentType(header(h, "content-type")).params["name"];
  return `[attachment${name ? ` ${decodeWords(name)}` : ""} (${type})]\n`;
}

/** The parts between `--boundary` lines, without the line break before each delimiter. */
export function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delim = Buffer.from(`--${boundary}`, "latin1");
  const parts: Buffer[] = [];
  let partStart = -1;
  let pos = 0;
  for (;;) {
    const at = body.indexOf(delim, pos);
    if (at < 0) break;
    const lineStart = at === 0 || body[at - 1] === 10;
    if (!lineStart) {
      pos = at + delim.length;
      continue;
    }
    const closing = body[at + delim.length] === 45 && body[at + delim.length + 1] === 45;
    if (partStart >= 0) {
      let end = at;
      if (body[end - 1] === 10) end--;
      if (body[end - 1] === 13) end--;
      parts.push(body.subarray(partStart, Math.max(partStart, end)));
    }
    if (closing) return parts;
    const eol = body.indexOf(10, at);
    if (eol < 0) return parts;
    partStart = eol + 1;
    pos = partStart;
  }
  if (partStart >= 0 && partStart < body.length) parts.push(body.subarray(partStart));
  return parts;
}
