import libmime from "libmime";
import { decodeHeaderBytes } from "./decode-text.js";

/** Header names lower-cased, values unfolded and in order; repeated headers keep every value. */
export type Headers = Map<string, string[]>;

export interface HeaderSplit {
  headers: Headers;
  /** Offset of the body in the raw message. */
  bodyStart: number;
  warnings: string[];
}

export const MAX_HEADER_BYTES = 512 * 1024;
export const MAX_HEADER_LINES = 5000;

/** Bytes no header may hold (NUL and other C0 controls but tab, CR and LF). */
const CONTROL_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * Headers that only trace delivery: they are most of the bytes of a BTS mail's header and nothing here
 * reads them, so they are skipped while splitting.
 */
export function isTraceHeader(name: string): boolean {
  return (
    name === "received" ||
    name === "dkim-signature" ||
    name === "authentication-results" ||
    name === "received-spf" ||
    name.startsWith("arc-") ||
    name.startsWith("x-spam") ||
    name.startsWith("x-rspamd") ||
    name.startsWith("x-spamd") ||
    name.startsWith("x-ms-") ||
    name.startsWith("x-microsoft-") ||
    name.startsWith("x-forefront-") ||
    name.startsWith("x-google-") ||
    name.startsWith("x-gm-")
  );
}

/** An RFC 5322 field name: printable ASCII but space and colon. */
function isFieldName(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

function trimEndIndex(text: string, from: number, to: number): number {
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  return to;
}

export class MailError extends Error {}

/**
 * Split a raw message into its headers and the offset of its body. Throws MailError for what cannot be
 * a mail: no header at all, a header block over the limits, or binary bytes in the headers.
 */
export function splitHeaders(raw: Buffer, opts: { requireHeaders?: boolean } = {}): HeaderSplit {
  const required = opts.requireHeaders ?? true;
  const end = findHeaderEnd(raw);
  const limit = Math.min(end.headerEnd, MAX_HEADER_BYTES + 1);
  if (end.headerEnd > MAX_HEADER_BYTES) {
    throw new MailError(`header block larger than ${MAX_HEADER_BYTES} bytes`);
  }
  const block = raw.subarray(0, limit);
  const text = decodeHeaderBytes(block);
  const bad = CONTROL_CHAR.exec(text);
  if (bad) throw new MailError(`binary data in header line ${countLines(text, bad.index) + 1}`);
  const headers: Headers = new Map();
  const warnings: string[] = [];
  let name: string | null = null;
  let value = "";
  const flush = (): void => {
    if (name === null) return;
    const list = headers.get(name);
    const v = value.trim();
    if (list) list.push(v);
    else headers.set(name, [v]);
    name = null;
  };
  let bodyStart = end.bodyStart;
  /** Inside a trace header (Received:, DKIM-Signature:, spam scores): read past, not kept. */
  let skipping = false;
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = text.length;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const first = text.charCodeAt(pos);
    if (++lineNo > MAX_HEADER_LINES) throw new MailError(`header block has more than ${MAX_HEADER_LINES} lines`);
    if ((first === 32 || first === 9) && (name !== null || skipping)) {
      if (!skipping) value += " " + text.slice(pos, lineEnd).trim();
    } else {
      const colon = text.indexOf(":", pos);
      const nameEnd = colon >= 0 && colon < lineEnd ? trimEndIndex(text, pos, colon) : -1;
      if (nameEnd > pos && isFieldName(text, pos, nameEnd)) {
        flush();
        const n = text.slice(pos, nameEnd).toLowerCase();
        skipping = isTraceHeader(n);
        if (!skipping) {
          name = n;
          value = text.slice(colon + 1, lineEnd);
        }
      } else if (headers.size === 0 && name === null && !skipping && required) {
        throw new MailError("no mail headers (the message starts with body text)");
      } else {
        // Not a header: the body starts here, as Python's email and most readers decide.
        warnings.push(`header line ${lineNo} is not a header; body starts there`);
        bodyStart = byteOffsetOfLine(raw, lineNo - 1);
        break;
      }
    }
    pos = eol + 1;
  }
  flush();
  if (headers.size === 0 && required) throw new MailError("no mail headers");
  return { headers, bodyStart, warnings };
}

/** Needles as bytes: Buffer#indexOf would convert a string needle on every call. */
const LF_LF = Buffer.from("\n\n");
const CRLF_CRLF = Buffer.from("\r\n\r\n");

function findHeaderEnd(raw: Buffer): { headerEnd: number; bodyStart: number } {
  if (raw[0] === 10) return { headerEnd: 0, bodyStart: 1 };
  if (raw[0] === 13 && raw[1] === 10) return { headerEnd: 0, bodyStart: 2 };
  const lf = raw.indexOf(LF_LF);
  // Look for CRLF line ends only in mail that uses them: the search would otherwise scan the whole body.
  const firstNl = raw.indexOf(10);
  if (firstNl > 0 && raw[firstNl - 1] === 13) {
    const crlf = raw.indexOf(CRLF_CRLF);
    if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerEnd: crlf + 2, bodyStart: crlf + 4 };
  }
  if (lf < 0) return { headerEnd: raw.length, bodyStart: raw.length };
  return { headerEnd: lf + 1, bodyStart: lf + 2 };
}

function countLines(text: string, upTo: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < upTo; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function byteOffsetOfLine(raw: Buffer, line: number): number {
  let pos = 0;
  for (let n = 0; n < line; n++) {
    const nl = raw.indexOf(10, pos);
    if (nl < 0) return raw.length;
    pos = nl + 1;
  }
  return pos;
}

export function header(headers: Headers, name: string): string | undefined {
  return headers.get(name)?.[0];
}

/** RFC 2047 encoded words decoded; a broken one is left as written. */
export function decodeWords(value: string): string {
  if (!value.includes("=?")) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

export interface ContentType {
  type: string;
  params: Record<string, string>;
}

export function parseContentType(value: string | undefined): ContentType {
  if (!value) return { type: "text/plain", params: {} };
  // RFC 2231 parameters (`name*=`, `name*0=`) and comments go to libmime; the common case is ours.
  if (value.includes("*") || value.includes("(")) return parseContentTypeFully(value);
  const parts = splitParams(value);
  const type = parts[0]!.trim().toLowerCase();
  const params: Record<string, string> = {};
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    params[p.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { type: type.includes("/") ? type : "text/plain", params };
}

/** Split `type; a=b; c="d;e"` at semicolons outside quotes. */
function splitParams(value: string): string[] {
  if (!value.includes('"')) return value.split(";");
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\" && quoted && i + 1 < value.length) {
      cur += ch + value[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ";" && !quoted) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

function parseContentTypeFully(value: string): ContentType {
  try {
    const parsed = libmime.parseHeaderValue(value);
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.params)) params[k.toLowerCase()] = String(v);
    const type = String(parsed.value).trim().toLowerCase();
    return { type: type.includes("/") ? type : "text/plain", params };
  } catch {
    return { type: "text/plain", params: {} };
  }
}
