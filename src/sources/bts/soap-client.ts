/**
 * A small client for the Debian BTS's SOAP interface (debbugs `soap.cgi`): `get_bugs`, `get_status` in
 * batches, and `get_bug_log`. Polite by construction: at most `maxConcurrent` requests in flight across
 * all calls, transient failures retried with exponential back-off and jitter (a server's Retry-After
 * honoured), and final failures (a SOAP Fault, a 4xx, an HTML page) never retried.
 *
 * I/O and envelope building only: decoding is `decodeSoapResponse`, a status's normalisation is
 * `parseStatusAnswer`, a log's messages are `bugLogEntries`.
 */
import { parseStatusAnswer, type BugStatus, type StatusProblem } from "./bug-status.js";
import { SoapError, decodeSoapResponse, type SoapValue } from "./soap-decode.js";
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
} from "../http-retry.js";

export const DEFAULT_BTS_URL = "https://bugs.debian.org/cgi-bin/soap.cgi";
export const DEFAULT_MAX_CONCURRENT = 2;
/** Bugs per get_status request: a source package's whole bug list fits in one, so an up-to-date sync is two requests. */
export const DEFAULT_STATUS_BATCH = 500;
/** The namespace the method element is put in; debbugs reads the interface version from it. */
export const BTS_SOAP_NAMESPACE = "Debbugs/SOAP/V1";

export interface BtsClientOptions extends RetryOptions {
  /** SOAP endpoint (default DEFAULT_BTS_URL). */
  url?: string;
  /** Default 2: never more requests in flight than this, across all calls of this client. */
  maxConcurrent?: number;
  onEvent?: (e: { kind: "request" | "retry"; method: string; detail?: string }) => void;
}

export interface BtsClient {
  /** get_bugs with key/value pairs, e.g. [["src","xen"]] or [["package","xen-utils-4.17"],["archive","both"]]. Sorted, de-duplicated bug numbers. */
  getBugs(query: [string, string][]): Promise<number[]>;
  /**
   * get_status for these bugs, in batches of at most `batchSize` (default 200) per request. Returns the
   * decoded answers' parse: statuses for bugs asked, problems (via parseStatusAnswer) for the rest, and
   * a problem for each bug asked that no answer mentions (the BTS leaves out bugs it does not know).
   * Rejects when any batch fails.
   */
  getStatus(bugs: number[], batchSize?: number): Promise<{ statuses: BugStatus[]; problems: StatusProblem[] }>;
  /** get_bug_log(bug): the decoded answer (pass it to bugLogEntries). */
  getBugLog(bug: number): Promise<SoapValue>;
  /** The requests sent so far (every attempt counts), by method. A snapshot. */
  readonly requests: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------------
// The request envelope

const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Characters XML 1.0 cannot carry at all, not even as a character reference.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function xmlEscape(s: string): string {
  if (NOT_XML.test(s)) throw new RangeError(`a SOAP argument cannot contain ${JSON.stringify(NOT_XML.exec(s)![0])}`);
  return s.replace(/[&<>"'\r]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : c === "'" ? "&apos;" : "&#13;",
  );
}

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`a SOAP integer argument must be a whole number, got ${n}`);
  return String(n);
}

/**
 * The SOAP request envelope for a method and its arguments, in the shape the service accepts: the
 * method element in namespace Debbugs/SOAP/V1, positional `arg0`, `arg1`, ... elements; a string or a
 * number as text (XML-escaped), a list of numbers as a soapenc:Array of xsd:int items. Pure.
 */
export function soapEnvelope(method: string, args: (string | number | number[])[]): string {
  if (!XML_NAME.test(method)) throw new RangeError(`not a SOAP method name: ${JSON.stringify(method)}`);
  const parts = args.map((arg, i) => {
    const name = `arg${i}`;
    if (Array.isArray(arg)) {
      const items = arg.map((n) => `<item xsi:type="xsd:int">${int(n)}</item>`).join("");
      return `<${name} xsi:type="soapenc:Array" soapenc:arrayType="xsd:int[${arg.length}]">${items}</${name}>`;
    }
    return `<${name}>${typeof arg === "number" ? int(arg) : xmlEscape(arg)}</${name}>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"` +
    ` xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"` +
    ` xmlns:xsd="http://www.w3.org/2001/XMLSchema"` +
    ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soap:Body><${method} xmlns="${BTS_SOAP_NAMESPACE}">${parts.join("")}</${method}></soap:Body>` +
    `</soap:Envelope>`
  );
}

// ---------------------------------------------------------------------------------------------------
// Concurrency

/** A counting semaphore: `use` runs `fn` once fewer than `limit` others are running; first come, first served. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next in line (active stays the same), or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// One call: attempts, time-outs, retries

interface Config extends ResolvedRetryOptions {
  url: string;
  maxConcurrent: number;
  onEvent: NonNullable<BtsClientOptions["onEvent"]>;
}

function resolveOptions(opts: BtsClientOptions): Config {
  const url = opts.url ?? DEFAULT_BTS_URL;
  const maxConcurrent = opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) throw new RangeError(`${url}: not an http(s) URL`);
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`maxConcurrent must be a whole number >= 1, got ${maxConcurrent}`);
  return { ...resolveRetryOptions(opts), url, maxConcurrent, onEvent: opts.onEvent ?? (() => {}) };
}

type Step = AttemptStep<SoapValue, { kind: "fail"; reason: string; fault: boolean }>;

const HTML_TYPES = /^\s*(?:text\/html|application\/xhtml\+xml)\b/i;
const HTML_START = /^(?:\uFEFF)?\s*<(?:!doctype\s+html|html)\b/i;
const SOAP_FAULT = /<(?:[A-Za-z_][\w.-]*:)?Fault[\s/>]/;

async function readBody(res: Response, attempt: RequestControl): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let done = false;
  try {
    while (!done) {
      const r = await attempt.within(reader.read());
      if (r.done) done = true;
      else chunks.push(r.value);
    }
  } finally {
    if (!done) reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString("utf8");
}

function discard(res: Response): void {
  if (res.body && !res.body.locked) res.body.cancel().catch(() => {});
}

/** decodeSoapResponse's message without its leading "method: ". */
function soapReason(err: SoapError, method: string): string {
  return err.message.startsWith(`${method}: `) ? err.message.slice(method.length + 2) : err.message;
}

/** A fault in a body (sent with 200, or with 500 as SOAP 1.1 servers do) as a final step, else null. */
function faultStep(body: string, method: string): Step | null {
  if (!SOAP_FAULT.test(body)) return null;
  try {
    decodeSoapResponse(body, method);
  } catch (e) {
    if (e instanceof SoapError) return { kind: "fail", reason: `SOAP fault: ${soapReason(e, method)}`, fault: true };
    throw e;
  }
  return null;
}

async function attemptOnce(cfg: Config, method: string, envelope: string): Promise<Step> {
  const attempt = new RequestControl(cfg.timeoutMs);
  try {
    const res = await attempt.within(
      cfg.fetch(cfg.url, {
        method: "POST",
        headers: {
          "Content-Type": "text/xml; charset=utf-8",
          SOAPAction: `"${BTS_SOAP_NAMESPACE}#${method}"`,
          Accept: "text/xml, application/soap+xml;q=0.9, */*;q=0.1",
          "User-Agent": cfg.userAgent,
        },
        body: envelope,
        signal: attempt.controller.signal,
        // A redirect of a POST would turn into a GET elsewhere; report it instead of following it.
        redirect: "manual",
      }),
    );
    const status = res.status;
    if (isTransient(status)) {
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
      let body = "";
      try {
        body = await readBody(res, attempt);
      } catch {
        // the status alone decides
      }
      return faultStep(body, method) ?? { kind: "retry", reason: describeStatus(status), retryAfterMs };
    }
    if (status < 200 || status >= 300) {
      discard(res);
      const location = status >= 300 && status < 400 ? res.headers.get("location") : null;
      return { kind: "fail", reason: describeStatus(status) + (location ? `, redirected to ${location}` : ""), fault: false };
    }
    if (HTML_TYPES.test(res.headers.get("content-type") ?? "")) {
      discard(res);
      return { kind: "fail", reason: `got an HTML page instead of a SOAP answer (${describeStatus(status)})`, fault: false };
    }
    const body = await readBody(res, attempt);
    if (HTML_START.test(body)) {
      return { kind: "fail", reason: `got an HTML page instead of a SOAP answer (${describeStatus(status)})`, fault: false };
    }
    try {
      return { kind: "done", value: decodeSoapResponse(body, method) };
    } catch (e) {
      if (!(e instanceof SoapError)) throw e;
      return faultStep(body, method) ?? { kind: "fail", reason: `not a SOAP answer: ${soapReason(e, method)}`, fault: false };
    }
  } catch (e) {
    return {
      kind: "retry",
      reason: attempt.timedOut ? `timed out after ${cfg.timeoutMs} ms` : `network error: ${describeError(e)}`,
    };
  } finally {
    attempt.abort();
  }
}

/** "bug 1", "bugs 1, 2, 3", "bugs 1, 2, 3, 4, 5 and 195 more". */
function describeBugs(bugs: number[]): string {
  if (bugs.length === 1) return `bug ${bugs[0]}`;
  const shown = bugs.slice(0, 5).join(", ");
  return bugs.length > 5 ? `bugs ${shown} and ${bugs.length - 5} more` : `bugs ${shown}`;
}

// ---------------------------------------------------------------------------------------------------
// The client

function positiveInts(bugs: number[], what: string): number[] {
  for (const b of bugs) {
    if (!Number.isSafeInteger(b) || b <= 0) throw new RangeError(`${what}: not a bug number: ${b}`);
  }
  return [...new Set(bugs)];
}

export function btsClient(options: BtsClientOptions = {}): BtsClient {
  const cfg = resolveOptions(options);
  const limiter = new Semaphore(cfg.maxConcurrent);
  const requests: Record<string, number> = {};

  /**
   * One SOAP call with its retries. The call holds its slot through its back-off waits as well, so a
   * struggling server sees fewer requests, not the same number from other callers.
   */
  const call = (method: string, args: (string | number | number[])[], label: string): Promise<SoapValue> => {
    const envelope = soapEnvelope(method, args);
    const where = `${method} (${label})`;
    return limiter.use(async () => {
      const result = await retryWithBackoff(
        cfg,
        (attempt) => {
          requests[method] = (requests[method] ?? 0) + 1;
          cfg.onEvent({ kind: "request", method, detail: `${label}; attempt ${attempt + 1} of ${cfg.retries + 1}` });
          return attemptOnce(cfg, method, envelope);
        },
        (detail) => cfg.onEvent({ kind: "retry", method, detail: `${label}: ${detail}` }),
      );
      if (result.kind === "done") return result.value;
      throw "fault" in result && result.fault ? new SoapError(`${where}: ${result.reason}`) : new Error(`${where}: ${result.reason}`);
    });
  };

  const getBugs = async (query: [string, string][]): Promise<number[]> => {
    if (query.length === 0) throw new RangeError("get_bugs: at least one key/value pair is needed");
    for (const pair of query) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string" || pair[0] === "") {
        throw new RangeError(`get_bugs: not a key/value pair of strings: ${JSON.stringify(pair)}`);
      }
    }
    const label = query.map(([k, v]) => `${k}=${v}`).join(", ");
    const answer = await call("get_bugs", query.flat(), label);
    if (answer === null) return [];
    const list = Array.isArray(answer) ? answer : null;
    const bugs = list?.map((v) => (typeof v === "number" ? v : typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN));
    if (!bugs || bugs.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
      throw new Error(`get_bugs (${label}): unexpected answer: expected a list of bug numbers, got ${JSON.stringify(answer).slice(0, 200)}`);
    }
    return [...new Set(bugs)].sort((a, b) => a - b);
  };

  const getStatus = async (bugs: number[], batchSize = DEFAULT_STATUS_BATCH): Promise<{ statuses: BugStatus[]; problems: StatusProblem[] }> => {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`get_status: batchSize must be a whole number >= 1, got ${batchSize}`);
    const asked = positiveInts(bugs, "get_status");
    const batches: number[][] = [];
    for (let i = 0; i < asked.length; i += batchSize) batches.push(asked.slice(i, i + batchSize));
    // All batches are handed to the limiter at once; it decides how many go out together.
    const settled = await Promise.allSettled(batches.map((batch) => call("get_status", [batch], describeBugs(batch))));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const statuses: BugStatus[] = [];
    const problems: StatusProblem[] = [];
    settled.forEach((s, k) => {
      const batch = batches[k]!;
      const parsed = parseStatusAnswer((s as PromiseFulfilledResult<SoapValue>).value, batch);
      statuses.push(...parsed.statuses);
      problems.push(...parsed.problems);
      const mentioned = new Set([...parsed.statuses.map((x) => x.bug), ...parsed.problems.map((p) => p.bug)]);
      for (const bug of batch) {
        if (!mentioned.has(bug)) problems.push({ bug, reason: `get_status: no status for bug ${bug} in the answer (unknown to the BTS?)` });
      }
    });
    return { statuses: statuses.sort((a, b) => a.bug - b.bug), problems };
  };

  const getBugLog = async (bug: number): Promise<SoapValue> => {
    positiveInts([bug], "get_bug_log");
    return call("get_bug_log", [bug], `bug ${bug}`);
  };

  return {
    getBugs,
    getStatus,
    getBugLog,
    get requests(): Record<string, number> {
      return { ...requests };
    },
  };
}
