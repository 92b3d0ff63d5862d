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

const HEADER_LINE = /^([!-9;-~]+)[ \t]*:(.*)$/s;

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
  for (let i = 0; i < block.length; i++) {
    const c = block[i]!;
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) {
      const line = countLines(block, i) + 1;
      throw new MailError(`binary data in header line ${line}`);
    }
  }
  const text = decodeHeaderBytes(block);
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_HEADER_LINES) throw new MailError(`header block has ${lines.length} lines (limit ${MAX_HEADER_LINES})`);
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
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "" && i === lines.length - 1) break;
    if ((line.startsWith(" ") || line.startsWith("\t")) && name !== null) {
      value += " " + line.trim();
    } else {
      const m = HEADER_LINE.exec(line);
      if (m) {
        flush();
        name = m[1]!.toLowerCase();
        value = m[2]!;
      } else if (headers.size === 0 && name === null && required) {
        throw new MailError("no mail headers (the message starts with body text)");
      } else {
        // Not a header: the body starts here, as Python's email and most readers decide.
        warnings.push(`header line ${i + 1} is not a header; body starts there`);
        bodyStart = byteOffsetOfLine(raw, i);
        break;
      }
    }
  }
  flush();
  if (headers.size === 0 && required) throw new MailError("no mail headers");
  return { headers, bodyStart, warnings };
}

function findHeaderEnd(raw: Buffer): { headerEnd: number; bodyStart: number } {
  if (raw[0] === 10) return { headerEnd: 0, bodyStart: 1 };
  if (raw[0] === 13 && raw[1] === 10) return { headerEnd: 0, bodyStart: 2 };
  const lf = raw.indexOf("\n\n");
  const crlf = raw.indexOf("\r\n\r\n");
  if (lf < 0 && crlf < 0) return { headerEnd: raw.length, bodyStart: raw.length };
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerEnd: crlf + 2, bodyStart: crlf + 4 };
  return { headerEnd: lf + 1, bodyStart: lf + 2 };
}

function countLines(buf: Buffer, upTo: number): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < upTo; i = buf.indexOf(10, i + 1)) n++;
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
