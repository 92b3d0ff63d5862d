import { createHash } from "node:crypto";
import { type Address, parseAddress, parseAddressList } from "./addresses.js";
import { bugsFromAddresses, bugsFromSubject, findBugRefs } from "./bug-refs.js";
import { controlsFromControlMail, controlsFromDoneMail, controlsFromPseudoHeaders, controlsFromTranscript, isBtsSender } from "./control-commands.js";
import { parseAsctime, parseMailDate } from "./dates.js";
import { MailError, decodeWords, header, splitHeaders } from "./headers.js";
import type { ControlCommand, Message } from "./message.js";
import { bodyText } from "./mime-text.js";
import { ownText } from "./own-text.js";
import { normalizeSubject } from "./subjects.js";
import { collapseWhiteSpace } from "./white-space.js";

export { MailError };

export interface ParseContext {
  source: string;
  /** 1-based message number in the source. */
  index: number;
  /** Byte offset in the (decompressed) source. */
  offset: number;
  /** The mbox separator line, whose date stands in for a missing Date header. */
  separator: string | null;
  /** The bug whose log this message comes from, when known (BTS bug logs). */
  bug?: number;
  /** Where the message is, when not a message number and byte offset (`bug 1090233, log message 59`). */
  position?: string;
}

export function positionOf(ctx: Pick<ParseContext, "index" | "offset">): string {
  return `message ${ctx.index}, byte ${ctx.offset}`;
}

/**
 * Parse one raw message into a Message. Throws MailError for what is not a mail (no headers, binary
 * headers, over-long header block); every lesser problem becomes a warning on the message.
 */
export function parseMessage(raw: Buffer, ctx: ParseContext): Message {
  const { headers, bodyStart, warnings } = splitHeaders(raw);
  const h = (name: string): string | undefined => header(headers, name);
  if (!h("from") && !h("date") && !h("subject") && !h("message-id")) {
    throw new MailError("no From, Date, Subject or Message-ID header");
  }
  const subject = collapseWhiteSpace(decodeWords(h("subject") ?? "")).trim();
  const from = decodeAddress(parseAddress(h("from")));
  const to = addresses(headers.get("to"));
  const cc = addresses(headers.get("cc"));

  let date = parseMailDate(h("date"));
  if (!date) {
    if (h("date")) warnings.push(`unreadable Date header "${h("date")!.slice(0, 80)}"`);
    const sepDate = ctx.separator ? /\s((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*)$/.exec(ctx.separator)?.[1] : undefined;
    date = sepDate ? parseAsctime(sepDate) : null;
    if (date) warnings.push("date taken from the mbox separator");
  }

  let body: string;
  try {
    body = bodyText(headers, raw.subarray(bodyStart), warnings);
  } catch (err) {
    warnings.push(`body could not be decoded (${(err as Error).message}); kept as raw text`);
    body = raw.subarray(bodyStart).toString("latin1");
  }

  const inReplyTo = messageIds(h("in-reply-to"))[0] ?? null;
  const references = messageIds((headers.get("references") ?? []).join(" ")).slice(-200);
  const id = messageIds(h("message-id"))[0] ?? contentId(h, raw.subarray(bodyStart));
  if (id.startsWith("hash:")) {
    warnings.push(h("message-id") ? `invalid Message-ID "${h("message-id")!.slice(0, 80)}"; keyed by content` : "no Message-ID; keyed by content");
  }

  const recipients = [...to, ...cc];
  const bugs: number[] = [];
  const addBug = (n: number): void => {
    if (n > 0 && !bugs.includes(n)) bugs.push(n);
  };
  if (ctx.bug) addBug(ctx.bug);
  bugsFromSubject(subject).forEach(addBug);
  bugsFromAddresses(recipients).forEach(addBug);
  // The BTS stamps mail it delivers for a bug: `X-Debian-PR-Message: followup 1090233`.
  const prMessage = /^[a-z-]+ (\d{1,7})\b/i.exec(h("x-debian-pr-message") ?? "")?.[1];
  if (prMessage) addBug(Number(prMessage));
  // The BTS names the bug a transcript answers in its Message-ID: handler.s.B<bug>.<n>.transcript@...
  const handlerBug = /^handler\.s\.B(\d{1,7})\./.exec(id)?.[1];
  const controls = controlsOf(subject, h("from") ?? "", recipients, body, bugs[0] ?? (handlerBug ? Number(handlerBug) : undefined));

  return {
    id,
    source: ctx.source,
    position: ctx.position ?? positionOf(ctx),
    date,
    fromName: from.name,
    fromAddress: from.address,
    to,
    cc,
    subject,
    normalizedSubject: normalizeSubject(subject),
    inReplyTo,
    references,
    bugs,
    bugRefs: findBugRefs(subject, body, recipients),
    controls,
    body,
    ownText: ownText(body),
    warnings,
  };
}

function controlsOf(subject: string, fromHeader: string, recipients: string[], body: string, self: number | undefined): ControlCommand[] {
  if (/^Processed(?: \(with \d+ errors?\))?:/i.test(subject) && isBtsSender(fromHeader)) {
    return controlsFromTranscript(body, self);
  }
  if (recipients.some((a) => /^control@bugs\.debian\.org$/i.test(a))) {
    const mail = controlsFromControlMail(body);
    if (mail.length) return [...mail, ...controlsFromDoneMail(subject, fromHeader, recipients, body)];
  }
  return [...controlsFromPseudoHeaders(body, self), ...controlsFromDoneMail(subject, fromHeader, recipients, body)];
}

function decodeAddress(a: Address): Address {
  return { name: a.name ? decodeWords(a.name) : null, address: a.address };
}

function addresses(values: string[] | undefined): string[] {
  if (!values) return [];
  const out: string[] = [];
  for (const v of values) for (const a of parseAddressList(v)) if (a.address) out.push(a.address);
  return out;
}

/** Message-IDs in a header, without angle brackets; a bare `local@domain` is taken too. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  // `<local@domain>` as /<([^<>\s]+@[^<>\s]+)>/g finds them, without a match object each: References
  // headers hold dozens.
  for (let lt = value.indexOf("<"); lt >= 0; lt = value.indexOf("<", lt + 1)) {
    let end = lt + 1;
    /** The first "@" with something before it inside the brackets. */
    let at = -1;
    for (let c = value.charCodeAt(end); end < value.length && !isIdStop(c); c = value.charCodeAt(++end)) {
      if (c === 64 /* @ */ && at < 0 && end > lt + 1) at = end;
    }
    if (value.charCodeAt(end) !== 62 /* > */) continue;
    // ... and something after it.
    if (at >= 0 && at < end - 1) out.push(value.slice(lt + 1, end));
    lt = end;
  }
  if (out.length === 0) {
    const bare = /^\s*([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)\s*$/.exec(value);
    if (bare) out.push(bare[1]!);
  }
  return out;
}

/** `<`, `>` and what `\s` matches: the characters a Message-ID cannot hold. */
function isIdStop(c: number): boolean {
  if (c > 32 && c < 127) return c === 60 || c === 62;
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** A stable key for a mail without a usable Message-ID: the same mail from two sources gets the same. */
function contentId(h: (name: string) => string | undefined, body: Buffer): string {
  const hash = createHash("sha256");
  for (const name of ["from", "date", "subject"]) hash.update(`${h(name) ?? ""}\n`);
  hash.update(body.toString("latin1").replace(/\r\n/g, "\n").trimEnd());
  return `hash:${hash.digest("hex").slice(0, 32)}`;
}
