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

const cp1252 = new TextDecoder("windows-1252");

/** Charset labels that mean "plain ASCII" or "we don't know", where the bytes decide. */
const UNSPECIFIED = new Set(["", "us-ascii", "ascii", "ansi_x3.4-1968", "unknown-8bit", "x-unknown", "default"]);

/**
 * Decode body bytes in the declared charset. An unknown or wrong charset never throws: bytes that are
 * valid UTF-8 are read as UTF-8, the rest as Windows-1252 (a superset of Latin-1), with a warning.
 */
export function decodeText(bytes: Buffer, charset: string | undefined, warnings: string[]): string {
  if (isAscii(bytes)) return bytes.toString("latin1");
  const label = (charset ?? "").trim().toLowerCase();
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
  return d.decode(bytes);
}

function fallback(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString("utf8") : cp1252.decode(bytes);
}

/** Header bytes: UTF-8 when valid (RFC 6532), else Latin-1 as old mailers wrote them. */
export function decodeHeaderBytes(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString("latin1");
  return isUtf8(bytes) ? bytes.toString("utf8") : cp1252.decode(bytes);
}

/** Quoted-printable to bytes, tolerant of bad escapes (kept as written) and CRLF soft breaks. */
export function decodeQuotedPrintable(input: Buffer): Buffer {
  const out = Buffer.allocUnsafe(input.length);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== 61 /* = */) {
      out[o++] = c;
      continue;
    }
    const a = input[i + 1];
    const b = input[i + 2];
    if (a === 10) {
      i += 1;
      continue;
    }
    if (a === 13 && b === 10) {
      i += 2;
      continue;
    }
    const h = hex(a);
    const l = hex(b);
    if (h >= 0 && l >= 0) {
      out[o++] = (h << 4) | l;
      i += 2;
      continue;
    }
    // "=  \n": soft break with trailing white space.
    let j = i + 1;
    while (input[j] === 32 || input[j] === 9) j++;
    if (input[j] === 10 || (input[j] === 13 && input[j + 1] === 10)) {
      i = input[j] === 13 ? j + 1 : j;
      continue;
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

function hex(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
