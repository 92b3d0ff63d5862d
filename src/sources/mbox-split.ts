/**
 * Streaming mbox splitter: mboxo and mboxrd, LF and CRLF, pipermail separators.
 *
 * A line `From ...` starts a new message only at the start of the stream or after a blank line, and
 * only when it ends in an asctime-style date; anything else is body. Memory is bounded by the largest
 * message we accept (`maxMessageBytes`): a larger one is skipped byte by byte and reported, never held.
 */

export interface RawMessage {
  kind: "message";
  /** 1-based number of the message in the stream. */
  index: number;
  /** Byte offset of the message (its separator line) in the decompressed stream. */
  offset: number;
  /** The separator line without its line ending, or null for a file that is one bare message. */
  separator: string | null;
  /** The message bytes after the separator, `>From ` unquoted. */
  raw: Buffer;
}

export interface RejectedRaw {
  kind: "rejected";
  index: number;
  offset: number;
  reason: string;
}

/** The byte stream itself failed (a truncated gzip, a read error): where, in message and byte terms. */
export class StreamError extends Error {
  constructor(
    message: string,
    readonly index: number,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface SplitOptions {
  /** Larger messages are skipped and reported. Default 32 MiB. */
  maxMessageBytes?: number;
}

const FROM = Buffer.from("From ");
/** Needles as bytes: Buffer#indexOf would convert a string needle on every call. */
const NL_FROM = Buffer.from("\nFrom ");
const QUOTED_FROM = Buffer.from(">From ");
const NL = 10;
const CR = 13;
/** A line longer than this without a newline is flushed as body, so garbage cannot grow memory. */
const MAX_LINE = 1 << 20;

const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
/**
 * `From <sender>  Sun Feb 11 14:00:41 2024`, optionally with a zone before or after the year.
 * The sender may hold spaces (pipermail writes `maxi at daemonizer.de`).
 */
const SEPARATOR_RE = new RegExp(
  `^From \\S.*? (${DAY} ${MONTH} [ \\d]?\\d \\d{1,2}:\\d\\d(?::\\d\\d)?(?: [A-Z]{1,5}| [+-]\\d{4})? \\d{4})(?: [+-]\\d{4}| [A-Z]{1,5})?\\s*$`,
);

/** The asctime date of a separator line, or null when the line is not a separator. */
export function separatorDate(line: string): string | null {
  const m = SEPARATOR_RE.exec(line);
  return m ? m[1]! : null;
}

/**
 * Split a byte stream into messages. Yields messages in order, and a `rejected` item for each message
 * too large to keep. Errors of the underlying stream (a truncated gzip) are thrown after every complete
 * message before them has been yielded; the caller reports the position.
 */
export async function* splitMbox(
  input: AsyncIterable<Uint8Array>,
  options: SplitOptions = {},
): AsyncGenerator<RawMessage | RejectedRaw> {
  const maxBytes = options.maxMessageBytes ?? 32 * 1024 * 1024;

  let pending: Buffer = Buffer.alloc(0);
  /** Bytes of the stream before `pending`. */
  let consumed = 0;
  /** True at stream start and when the last complete line was blank. */
  let prevBlank = true;
  /** True when the last flush ended mid-line (a giant line): the next chunk's start is not a line start. */
  let midLine = false;

  // The message being collected. At stream start a bare message (no separator) is begun at byte 0: it
  // holds whatever comes before the first separator, and is dropped unseen when that is nothing.
  let index = 0;
  let msgOffset = 0;
  let separator: string | null = null;
  let parts: Buffer[] = [];
  let size = 0;
  let oversize = false;
  let started = false;

  const finish = (): RawMessage | RejectedRaw | null => {
    if (!started) return null;
    started = false;
    if (oversize) {
      return {
        kind: "rejected",
        index,
        offset: msgOffset,
        reason: `message larger than ${maxBytes} bytes (${size} bytes), skipped`,
      };
    }
    const raw = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    parts = [];
    // Text before the first separator that is only white space is no message: its number is reused.
    if (separator === null && raw.every((b) => b === 32 || b === 9 || b === NL || b === CR)) {
      index -= 1;
      return null;
    }
    return { kind: "message", index, offset: msgOffset, separator, raw: unquoteFrom(raw) };
  };

  const begin = (offset: number, sep: string | null): void => {
    index += 1;
    msgOffset = offset;
    separator = sep;
    parts = [];
    size = 0;
    oversize = false;
    started = true;
  };

  const append = (bytes: Buffer): void => {
    if (bytes.length === 0) return;
    size += bytes.length;
    if (oversize) return;
    if (size > maxBytes) {
      oversize = true;
      parts = [];
      return;
    }
    parts.push(bytes);
  };

  const chunks = input[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<Uint8Array>;
    try {
      step = await chunks.next();
    } catch (err) {
      // The partial message in progress is lost with the stream; name where it started.
      throw new StreamError((err as Error).message, started ? index : index + 1, started ? msgOffset : consumed + pending.length);
    }
    if (step.done) break;
    const chunk = step.value;
    if (chunk.length === 0) continue;
    if (!started) begin(0, null);
    const buf: Buffer = pending.length
      ? Buffer.concat([pending, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const lastNl = buf.lastIndexOf(NL);
    if (lastNl < 0) {
      if (buf.length > MAX_LINE) {
        append(Buffer.from(buf));
        consumed += buf.length;
        pending = Buffer.alloc(0);
        midLine = true;
        prevBlank = false;
      } else {
        pending = buf;
      }
      continue;
    }
    const complete = buf.subarray(0, lastNl + 1);
    // Copy the tail so the big chunk it came from can be freed.
    pending = Buffer.from(buf.subarray(lastNl + 1));

    let segStart = 0;
    const nextCandidate = (from: number): number => {
      const q = complete.indexOf(NL_FROM, from);
      return q < 0 ? -1 : q + 1;
    };
    let p = !midLine && startsWith(complete, 0, FROM) ? 0 : nextCandidate(0);
    while (p >= 0) {
      // Is the line before p blank? When the chunk began mid-line, its first line is the giant line's end.
      const blankBefore =
        p === 0
          ? prevBlank
          : p === 1
            ? !midLine
            : complete[p - 2] === NL || (complete[p - 2] === CR && (p === 2 ? !midLine : complete[p - 3] === NL));
      // complete ends with a newline, so every line in it has one.
      const eol = complete.indexOf(NL, p);
      if (blankBefore) {
        const line = complete.toString("latin1", p, complete[eol - 1] === CR ? eol - 1 : eol);
        if (SEPARATOR_RE.test(line)) {
          append(complete.subarray(segStart, p));
          if (separator === null && index === 1 && size === 0) {
            // The archive starts with its separator: the bare message begun at byte 0 was nothing.
            index = 0;
          } else {
            const done = finish();
            if (done) yield done;
          }
          begin(consumed + p, line);
          segStart = eol + 1;
        }
      }
      p = nextCandidate(eol);
    }
    append(complete.subarray(segStart));
    const L = complete.length;
    prevBlank = L === 1 ? !midLine : complete[L - 2] === NL || (complete[L - 2] === CR && (L === 2 ? !midLine : complete[L - 3] === NL));
    midLine = false;
    consumed += complete.length;
  }

  if (pending.length) {
    // A last line without a newline: a separator only when it is all there is after a blank line.
    const line = pending.toString("latin1").replace(/\r$/, "");
    if (prevBlank && !midLine && SEPARATOR_RE.test(line)) {
      if (separator === null && index === 1 && size === 0) index = 0;
      else {
        const done = finish();
        if (done) yield done;
      }
      begin(consumed, line);
    } else {
      if (!started) begin(consumed, null);
      append(pending);
    }
  }
  const last = finish();
  if (last) yield last;
}

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
  if (buf.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

/**
 * mboxrd unquoting: a line `>From ` (any number of `>`) loses one `>`. In mboxo files `>From ` is
 * ambiguous; unquoting it too is what mail readers do.
 */
export function unquoteFrom(raw: Buffer): Buffer {
  // Look for ">From " rather than for every line starting with ">": quoted replies have many of those.
  let i = raw.indexOf(QUOTED_FROM);
  if (i < 0) return raw;
  const out: Buffer[] = [];
  let last = 0;
  while (i >= 0) {
    // Quoted only when nothing but ">" stands between the line start and this ">From ".
    let lineStart = i;
    while (lineStart > 0 && raw[lineStart - 1] === 62) lineStart--;
    if (lineStart === 0 || raw[lineStart - 1] === NL) {
      out.push(raw.subarray(last, lineStart));
      last = lineStart + 1;
    }
    i = raw.indexOf(QUOTED_FROM, i + QUOTED_FROM.length);
  }
  if (last === 0) return raw;
  out.push(raw.subarray(last));
  return Buffer.concat(out);
}
