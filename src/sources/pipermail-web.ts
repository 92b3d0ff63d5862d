/**
 * Fetching a Mailman 2 (pipermail) list archive over HTTP: the list's index page, then each month's
 * `YYYY-Month.txt(.gz)` file, oldest first, one request at a time, with conditional GET so that
 * months which have not changed since the last run are skipped.
 *
 * I/O only: this module does not look inside the archives (gzip detection, mbox splitting and parsing
 * are the caller's). A month's body is streamed through as the server sends it.
 */
import {
  type AttemptStep,
  RequestControl,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
  retryWithBackoff,
  describeError,
  describeStatus,
  isTransient,
  parseRetryAfter,
} from "./http-retry.js";

/** What we remember per URL between runs, to fetch with conditional GET. */
export interface HttpValidators {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

export interface ValidatorStore {
  getValidators(url: string): Promise<HttpValidators | null>;
  setValidators(v: HttpValidators): Promise<void>;
}

export interface FetchOptions extends RetryOptions {
  validators: ValidatorStore;
  onEvent?: (e: { kind: "retry" | "unchanged" | "fetched"; url: string; detail?: string }) => void;
}

export type MonthFetch =
  | { url: string; name: string; status: "changed"; body: AsyncIterable<Uint8Array>; commit(): Promise<void> }
  | { url: string; name: string; status: "unchanged" }
  | { url: string; name: string; status: "failed"; reason: string };

export { DEFAULT_BACKOFF_MS, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT } from "./http-retry.js";
/** No single wait between attempts (back-off or a server's Retry-After) is longer than this. */
export { MAX_RETRY_DELAY_MS } from "./http-retry.js";
/** The index page is read up to this size; a pipermail index of twenty years is about 200 KB. */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;
/**
 * A month's first chunk is held back until it shows whether the body is an HTML page; only while the
 * bytes so far are whitespace or a beginning of `<!DOCTYPE`/`<html` is a further chunk waited for,
 * up to this many bytes.
 */
const MAX_PEEK_BYTES = 64 * 1024;

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const MONTH_FILE = new RegExp(`^(\\d{4})-(${MONTH_NAMES.join("|")})\\.txt(\\.gz)?$`);

interface MonthRef {
  name: string;
  url: string;
  /** year * 12 + month index, for sorting */
  order: number;
  gz: boolean;
}

function lastPathSegment(u: URL): string {
  const seg = u.pathname.slice(u.pathname.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

function monthRef(u: URL): MonthRef | null {
  const m = MONTH_FILE.exec(lastPathSegment(u));
  if (!m) return null;
  const year = Number(m[1]);
  const month = MONTH_NAMES.indexOf(m[2] as (typeof MONTH_NAMES)[number]);
  const clean = new URL(u.href);
  clean.hash = "";
  return { name: `${m[1]}-${m[2]}`, url: clean.href, order: year * 12 + month, gz: m[3] !== undefined };
}

function parseUrl(url: string, base?: string | URL): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}

/** Is this URL a pipermail month archive (…/2024-February.txt or .txt.gz) rather than a list root? */
export function isMonthUrl(url: string): boolean {
  const u = parseUrl(url);
  return u !== null && monthRef(u) !== null;
}

/**
 * The URL that the index page's relative links are relative to. A list root is usually written without
 * its trailing slash (`…/pipermail/pkg-xen-devel`), which the server redirects to the directory; a last
 * path segment that does not look like a page (`index.html`) is therefore taken as that directory.
 */
function indexBase(baseUrl: string): URL {
  const u = parseUrl(baseUrl);
  if (!u) throw new Error(`${baseUrl}: not a valid URL`);
  if (!u.pathname.endsWith("/") && !/\.(?:s?html?|xhtml|php\d?|cgi)$/i.test(lastPathSegment(u))) {
    u.pathname += "/";
  }
  return u;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, ent: string) => {
    const e = ent.toLowerCase();
    if (e === "amp") return "&";
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    const code = e.startsWith("#x") ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Parse a pipermail index page: the month archive links (absolute URLs, oldest first). Pure. */
export function parseMonthIndex(html: string, baseUrl: string): { name: string; url: string }[] {
  const base = indexBase(baseUrl);
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, "");
  const byName = new Map<string, MonthRef>();
  const anchor = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
  for (const m of withoutComments.matchAll(anchor)) {
    const href = decodeEntities((m[1] ?? m[2] ?? m[3] ?? "").trim());
    const u = parseUrl(href, base);
    if (!u) continue;
    const ref = monthRef(u);
    if (!ref) continue;
    const seen = byName.get(ref.name);
    // Prefer the gzip'd file when a month is listed both ways; otherwise keep the first link.
    if (!seen || (ref.gz && !seen.gz)) byName.set(ref.name, ref);
  }
  return [...byName.values()].sort((a, b) => a.order - b.order).map(({ name, url }) => ({ name, url }));
}

// ---------------------------------------------------------------------------------------------------
// Requests: time-outs, retries

interface Config extends ResolvedRetryOptions {
  validators: ValidatorStore;
  onEvent: NonNullable<FetchOptions["onEvent"]>;
}

function resolveOptions(opts: FetchOptions): Config {
  return { ...resolveRetryOptions(opts), validators: opts.validators, onEvent: opts.onEvent ?? (() => {}) };
}

type Step<T> = AttemptStep<T, { kind: "fail"; reason: string }>;

/** Throw away a response we will not read, so that its connection is released. */
function discard(res: Response, ctl: RequestControl): void {
  if (res.body && !res.body.locked) res.body.cancel().catch(() => {});
  ctl.abort();
}

/**
 * Send a GET, hand the response to `handle`, and retry (with back-off) what `handle` or the transport
 * calls transient. Network errors and time-outs before `handle` is called are transient.
 */
async function withRetries<T>(
  url: string,
  headers: Record<string, string>,
  cfg: Config,
  handle: (res: Response, ctl: RequestControl) => Promise<Step<T>>,
): Promise<{ kind: "done"; value: T } | { kind: "fail"; reason: string }> {
  return retryWithBackoff<T, { kind: "fail"; reason: string }>(
    cfg,
    async () => {
      const ctl = new RequestControl(cfg.timeoutMs);
      try {
        const res = await ctl.within(cfg.fetch(url, { headers, signal: ctl.signal, redirect: "follow" }));
        return await handle(res, ctl);
      } catch (e) {
        ctl.abort();
        return { kind: "retry", reason: ctl.timedOut ? `timed out after ${cfg.timeoutMs} ms` : `network error: ${describeError(e)}` };
      }
    },
    (detail) => cfg.onEvent({ kind: "retry", url, detail }),
  );
}

// ---------------------------------------------------------------------------------------------------
// The index page

async function readIndex(url: string, cfg: Config): Promise<MonthRef[]> {
  const headers = { "User-Agent": cfg.userAgent, Accept: "text/html, */*;q=0.5" };
  const result = await withRetries<{ html: string; base: string }>(url, headers, cfg, async (res, ctl) => {
    if (isTransient(res.status)) {
      discard(res, ctl);
      return { kind: "retry", reason: describeStatus(res.status), retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
    }
    if (res.status < 200 || res.status >= 300) {
      discard(res, ctl);
      return { kind: "fail", reason: describeStatus(res.status) };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      try {
        while (size < MAX_INDEX_BYTES) {
          const r = await ctl.within(reader.read());
          if (r.done) break;
          chunks.push(r.value);
          size += r.value.byteLength;
        }
      } finally {
        reader.cancel().catch(() => {});
        ctl.abort();
      }
    }
    const html = new TextDecoder("utf-8").decode(concat(chunks, size));
    return { kind: "done", value: { html, base: res.url || url } };
  });
  if (result.kind === "fail") throw new Error(`${url}: cannot read the list index: ${result.reason}`);
  const months = parseMonthIndex(result.value.html, result.value.base);
  if (months.length === 0) throw new Error(`${url}: not a pipermail index: no YYYY-Month.txt(.gz) links`);
  cfg.onEvent({ kind: "fetched", url, detail: `index: ${months.length} month${months.length === 1 ? "" : "s"}` });
  return months.map((m) => monthRef(new URL(m.url))!);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c.subarray(0, size - at), at);
    at += Math.min(c.byteLength, size - at);
    if (at >= size) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// A month

const HTML_REASON = "got an HTML page instead of a mail archive";
const HTML_TYPES = /^\s*(?:text\/html|application\/xhtml\+xml)\b/i;

const HTML_STARTS = ["<!doctype", "<html"];

/**
 * Does this start (after a BOM and whitespace) like an HTML page? "undecided" while the bytes so far
 * are only whitespace, or a beginning of one of the HTML starts.
 */
function htmlVerdict(bytes: Uint8Array): "html" | "not" | "undecided" {
  const bom = [0xef, 0xbb, 0xbf];
  let i = 0;
  while (i < bom.length && i < bytes.length && bytes[i] === bom[i]) i++;
  if (i > 0 && i < bom.length) return i === bytes.length ? "undecided" : "not";
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  const head = String.fromCharCode(...bytes.subarray(i, i + 9)).toLowerCase();
  if (head === "") return "undecided";
  if (HTML_STARTS.some((start) => head.startsWith(start))) return "html";
  return HTML_STARTS.some((start) => start.startsWith(head)) ? "undecided" : "not";
}

/**
 * A month's body: the peeked chunks, then the rest of the response as it arrives. Iterable once. The
 * month counts as read (and may be committed) only when the iteration reached the end of the response.
 */
class MonthBody implements AsyncIterable<Uint8Array> {
  complete = false;
  private started = false;
  private abandoned = false;

  constructor(
    private readonly url: string,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null,
    private pending: Uint8Array[],
    private readerDone: boolean,
    private readonly ctl: RequestControl,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.started) throw new Error(`${this.url}: a month's body can be read only once`);
    this.started = true;
    return this.chunks();
  }

  private abandonedError(): Error {
    return new Error(`${this.url}: body no longer available: the next month was requested before this one was read to the end`);
  }

  private async *chunks(): AsyncGenerator<Uint8Array> {
    try {
      while (this.pending.length > 0) {
        if (this.abandoned) throw this.abandonedError();
        const chunk = this.pending.shift()!;
        yield chunk;
      }
      while (!this.readerDone && this.reader) {
        if (this.abandoned) throw this.abandonedError();
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await this.ctl.within(this.reader.read());
        } catch (e) {
          if (this.abandoned) throw this.abandonedError();
          if (this.ctl.timedOut) {
            throw new Error(`${this.url}: timed out: no data for ${this.ctl.timeoutMs} ms while reading the body`, { cause: e });
          }
          throw new Error(`${this.url}: reading the body failed: ${describeError(e)}`, { cause: e });
        }
        if (r.done) {
          this.readerDone = true;
          break;
        }
        if (r.value.byteLength > 0) yield r.value;
      }
      if (this.abandoned) throw this.abandonedError();
      this.complete = true;
      this.ctl.abort(); // nothing left to read; releases the time-out machinery
    } finally {
      if (!this.complete) this.release();
    }
  }

  /** The generator moves on: a body not read to the end is cancelled (one request in flight at most). */
  abandonIfIncomplete(): void {
    if (this.complete) return;
    this.abandoned = true;
    this.release();
  }

  private release(): void {
    this.pending = [];
    if (this.reader && !this.readerDone) this.reader.cancel().catch(() => {});
    this.ctl.abort();
  }
}

type MonthResult =
  | { kind: "changed"; body: MonthBody; etag: string | null; lastModified: string | null }
  | { kind: "unchanged"; detail: string };

async function fetchMonth(ref: MonthRef, cfg: Config): Promise<{ fetch: MonthFetch; body: MonthBody | null }> {
  const { url, name } = ref;
  const stored = await cfg.validators.getValidators(url);
  const headers: Record<string, string> = { "User-Agent": cfg.userAgent, Accept: "*/*" };
  if (stored?.etag) headers["If-None-Match"] = stored.etag;
  if (stored?.lastModified) headers["If-Modified-Since"] = stored.lastModified;
  const conditional = "If-None-Match" in headers || "If-Modified-Since" in headers;

  const result = await withRetries<MonthResult>(url, headers, cfg, async (res, ctl) => {
    if (res.status === 304) {
      discard(res, ctl);
      if (!conditional) return { kind: "fail", reason: `${describeStatus(304)} to a request that was not conditional` };
      return { kind: "done", value: { kind: "unchanged", detail: describeStatus(304) } };
    }
    if (isTransient(res.status)) {
      discard(res, ctl);
      return { kind: "retry", reason: describeStatus(res.status), retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
    }
    if (res.status < 200 || res.status >= 300) {
      discard(res, ctl);
      return { kind: "fail", reason: describeStatus(res.status) };
    }
    if (HTML_TYPES.test(res.headers.get("content-type") ?? "")) {
      discard(res, ctl);
      return { kind: "fail", reason: HTML_REASON };
    }
    const etag = res.headers.get("etag");
    const lastModified = res.headers.get("last-modified");
    if (!res.body) {
      ctl.abort();
      return { kind: "done", value: { kind: "changed", body: new MonthBody(url, null, [], true, ctl), etag, lastModified } };
    }
    // Peek at the first chunk (and more only while that cannot tell) to see whether this is an HTML page.
    const reader = res.body.getReader();
    const peeked: Uint8Array[] = [];
    let size = 0;
    let done = false;
    let verdict: ReturnType<typeof htmlVerdict> = "undecided";
    try {
      while (verdict === "undecided" && size < MAX_PEEK_BYTES) {
        const r = await ctl.within(reader.read());
        if (r.done) {
          done = true;
          break;
        }
        if (r.value.byteLength === 0) continue;
        peeked.push(r.value);
        size += r.value.byteLength;
        verdict = htmlVerdict(concat(peeked, Math.min(size, MAX_PEEK_BYTES)));
      }
    } catch (e) {
      reader.cancel().catch(() => {});
      ctl.abort();
      return {
        kind: "retry",
        reason: ctl.timedOut ? `timed out after ${cfg.timeoutMs} ms waiting for the body` : `network error reading the body: ${describeError(e)}`,
      };
    }
    if (verdict === "html") {
      if (!done) reader.cancel().catch(() => {});
      ctl.abort();
      return { kind: "fail", reason: HTML_REASON };
    }
    return { kind: "done", value: { kind: "changed", body: new MonthBody(url, reader, peeked, done, ctl), etag, lastModified } };
  });

  if (result.kind === "fail") {
    return { fetch: { url, name, status: "failed", reason: `${url}: ${result.reason}` }, body: null };
  }
  const value = result.value;
  if (value.kind === "unchanged") {
    cfg.onEvent({ kind: "unchanged", url, detail: value.detail });
    return { fetch: { url, name, status: "unchanged" }, body: null };
  }
  const { body, etag, lastModified } = value;
  cfg.onEvent({
    kind: "fetched",
    url,
    detail: [describeStatus(200), etag ? `ETag ${etag}` : null, lastModified ? `Last-Modified ${lastModified}` : null]
      .filter((s) => s !== null)
      .join("; "),
  });
  const commit = async (): Promise<void> => {
    if (!body.complete) throw new Error(`${url}: commit() called before the body was read to the end`);
    await cfg.validators.setValidators({ url, etag, lastModified });
  };
  return { fetch: { url, name, status: "changed", body, commit }, body };
}

/**
 * Given a list's archive root (index page) or one month's URL, yield each month in order, one request
 * at a time. A `changed` month's body must be read to the end before the next month is asked for:
 * asking for the next one (or stopping) cancels a body that is still open.
 */
export async function* fetchPipermail(url: string, opts: FetchOptions): AsyncGenerator<MonthFetch> {
  const cfg = resolveOptions(opts);
  const given = parseUrl(url);
  if (!given || (given.protocol !== "http:" && given.protocol !== "https:")) {
    throw new Error(`${url}: not an http(s) URL`);
  }
  const single = monthRef(given);
  const months = single ? [single] : await readIndex(url, cfg);
  let open: MonthBody | null = null;
  try {
    for (const ref of months) {
      open?.abandonIfIncomplete();
      open = null;
      const { fetch: month, body } = await fetchMonth(ref, cfg);
      open = body;
      yield month;
    }
  } finally {
    open?.abandonIfIncomplete();
  }
}
