import { isAscii, isUtf8 } from "node:buffer";

export { isAscii };

const decoders = new Map<string, TextDecoder | null>();

function decoderFor(label: string): TextDecoder | null {
  let d = decoders.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = null;
    }
    decoders.set(label, d);
  }
  return d;
}

/** Windows-1252's 0x80-0x9F (the rest is Latin-1), as the WHATWG Encoding Standard maps them. */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/**
 * Windows-1252 by hand: Node 20's TextDecoder("windows-1252") (and so "iso-8859-1", "latin1", "ascii",
 * which the Encoding Standard maps to it) reads 0x80-0x9F as C1 controls, losing €, curly quotes, dashes.
 */
const cp1252 = {
  decode(bytes: Buffer): string {
    return bytes.toString("latin1").replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  },
};

/** Charset labels that mean "plain ASCII" or "we don't know", where the bytes decide. */
const UNSPECIFIED = new Set(["", "us-ascii", "ascii", "ansi_x3.4-1968", "unknown-8bit", "x-unknown", "default"]);

/**
 * Decode body bytes in the declared charset. An unknown or wrong charset never throws: bytes that are
 * valid UTF-8 are read as UTF-8, the rest as Windows-1252 (a superset of Latin-1), with a warning.
 */
export function decodeText(bytes: Buffer, charset: string | undefined, warnings: string[]): string {
  if (isAscii(bytes)) return bytes.toString("latin1");
  const label = (charset ?? "").trim().replace(/^(["'])(.*)\1$/, "$2").trim().toLowerCase();
  if (UNSPECIFIED.has(label)) return fallback(bytes);
  if (label === "utf-8" || label === "utf8") {
    if (isUtf8(bytes)) return bytes.toString("utf8");
    warnings.push("body declared UTF-8 but is not valid UTF-8; decoded as Windows-1252");
    return cp1252.decode(bytes);
  }
  const d = decoderFor(label);
  if (!d) {
    warnings.push(`unknown charset "${label}"; decoded as ${isUtf8(bytes) ? "UTF-8" : "Windows-1252"}`);
    return fallback(bytes);
  }
  return d.encoding === "windows-1252" ? cp1252.decode(bytes) : d.decode(bytes);
}

function fallback(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString("utf8") : cp1252.decode(bytes);
}

/** Header bytes: UTF-8 when valid (RFC 6532), else Latin-1 as old mailers wrote them. */
export function decodeHeaderBytes(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString("latin1");
  return isUtf8(bytes) ? bytes.toString("utf8") : cp1252.decode(bytes);
}

/**
 * Quoted-printable to bytes, tolerant of bad escapes (kept as written) and CRLF soft breaks. White space
 * at the end of a line was added in transport (RFC 2045 6.7 (3)) and is dropped, also before a soft break's
 * line end (`=  \n`).
 */
export function decodeQuotedPrintable(input: Buffer): Buffer {
  // One pass over the bytes: QP lines are short, so copying each run between "=" and line ends with a
  // native call costs more than the copy itself.
  const out = Buffer.allocUnsafe(input.length);
  const n = input.length;
  let o = 0;
  /** Output before this position came from an escape (`=20`) or precedes a soft break: never trimmed. */
  let kept = 0;
  let i = 0;
  while (i < n) {
    const c = input[i]!;
    if (c === 10) {
      // Drop white space before the line end (and before its CR).
      const cr = o > kept && out[o - 1] === 13;
      if (cr) o--;
      while (o > kept && (out[o - 1] === 32 || out[o - 1] === 9)) o--;
      if (cr) out[o++] = 13;
      out[o++] = 10;
      i++;
    } else if (c === 61) {
      // "=" escape or soft break.
      const h = hexValue(input[i + 1]);
      const l = hexValue(input[i + 2]);
      if (h >= 0 && l >= 0) {
        out[o++] = (h << 4) | l;
        kept = o;
        i += 3;
        continue;
      }
      let j = i + 1;
      while (input[j] === 32 || input[j] === 9) j++;
      // A soft break protects the white space before it: that is why the encoder put it there.
      if (j >= n) {
        i = j;
        kept = o;
      } else if (input[j] === 10) {
        i = j + 1;
        kept = o;
      } else if (input[j] === 13 && input[j + 1] === 10) {
        i = j + 2;
        kept = o;
      } else {
        out[o++] = 61;
        i++;
      }
    } else {
      out[o++] = c;
      i++;
    }
  }
  // White space at the very end is a line end too.
  while (o > kept && (out[o - 1] === 32 || out[o - 1] === 9)) o--;
  return out.subarray(0, o);
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
