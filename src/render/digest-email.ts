import { createHash } from "node:crypto";
import type { DigestDocument } from "./digest-sections.js";
import { renderDigestHtml } from "./digest-html.js";
import { renderDigestText } from "./digest-text.js";

export interface DigestMailOptions {
  /** `Name <address>` or an address. */
  from: string;
  to: string;
  /** ISO 8601: the mail's Date. */
  date: string;
  /** What the subject line starts with (default `[xen-triage]`). */
  subjectTag?: string;
}

/**
 * The digest as one mail, ready for `sendmail -t`: plain text and HTML as multipart/alternative, both
 * UTF-8 in quoted-printable (so no line is too long for SMTP and 8-bit text survives any relay), marked
 * `Auto-Submitted: auto-generated` (RFC 3834) so vacation replies stay away.
 */
export function renderDigestEmail(doc: DigestDocument, options: DigestMailOptions): string {
  const text = renderDigestText(doc);
  const html = renderDigestHtml(doc);
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const boundary = `=_xen-triage_${hash}`;
  const domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? "localhost";
  const stamp = options.date.replace(/[-:]/g, "").replace(/\.\d+/, "");
  const headers = [
    `From: ${addressHeader(options.from)}`,
    `To: ${addressHeader(options.to)}`,
    `Subject: ${encodeWords(`${options.subjectTag ?? "[xen-triage]"} ${doc.title}`)}`,
    `Date: ${mailDate(options.date)}`,
    `Message-ID: <xen-triage.digest.${stamp}.${hash}@${domain}>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "Auto-Submitted: auto-generated",
  ];
  const part = (type: string, body: string) => [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, "Content-Transfer-Encoding: quoted-printable", "", quotedPrintable(body)];
  return [...headers, "", "This is a digest in plain text and HTML.", "", ...part("text/plain", text), ...part("text/html", html), `--${boundary}--`, ""].join("\n");
}

/**
 * An address header's value on one line (a line break in it would start a header of its own): a display
 * name that is not ASCII is encoded (RFC 2047), the address itself never is.
 */
export function addressHeader(value: string): string {
  const line = value.replace(/[\r\n]+/g, " ").trim();
  if (/^[\x20-\x7e]*$/.test(line)) return line;
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(line);
  return m ? `${encodeWords(m[1]!.replace(/^"|"$/g, ""))} <${m[2]}>` : line;
}

/** RFC 2047 encoded words for text that is not all printable ASCII; ASCII stays as it is. */
export function encodeWords(text: string): string {
  const line = text.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(line)) return line;
  // Whole characters per word, each encoded word at most 75 characters.
  const words: string[] = [];
  let chunk = "";
  for (const ch of line) {
    const next = chunk + ch;
    if (Buffer.byteLength(next) > 45) {
      words.push(chunk);
      chunk = ch;
    } else chunk = next;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString("base64")}?=`).join("\n ");
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 5322 date in UTC: `Fri, 27 Nov 2026 07:59:00 +0000`. */
export function mailDate(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * Quoted-printable (RFC 2045) of UTF-8 text with LF line breaks: lines at most 76 characters with soft
 * breaks, `=` and 8-bit bytes as `=XX`, white space at a line's end encoded so no relay strips it.
 */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const bytes = Buffer.from(line, "utf8");
    const tokens: string[] = [];
    bytes.forEach((b, k) => {
      const last = k === bytes.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      tokens.push(plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`);
    });
    let current = "";
    for (const t of tokens) {
      if (current.length + t.length > 75) {
        out.push(`${current}=`);
        current = "";
      }
      current += t;
    }
    out.push(current);
  }
  return out.join("\n");
}
