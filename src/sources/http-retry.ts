import { STATUS_CODES } from "node:http";

/** The longest single wait between two attempts, whatever Retry-After asks. */
export const MAX_RETRY_DELAY_MS = 120_000;

/** An error as one line: its message and, where the cause adds something (ECONNRESET, ...), the cause. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const causeText =
      cause instanceof Error
        ? [(cause as { code?: unknown }).code, cause.message].filter((s) => typeof s === "string" && s !== "").join(" ")
        : typeof cause === "string"
          ? cause
          : "";
    return causeText && !e.message.includes(causeText) ? `${e.message} (${causeText})` : e.message;
  }
  return String(e);
}

/** `HTTP 503 Service Unavailable`: the status text from Node's table, not from the server. */
export function describeStatus(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Exponential back-off with jitter (1 to 1.5 times the nominal wait), raised to Retry-After, capped. */
export function backoffDelay(backoffMs: number, attempt: number, retryAfterMs: number | undefined): number {
  const nominal = backoffMs * 2 ** attempt;
  const jittered = Math.round(nominal * (1 + Math.random() / 2));
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(jittered, retryAfterMs ?? 0));
}

/** 5xx, and the two 4xx that say "not now" (408 Request Timeout, 429 Too Many Requests): worth a retry. */
export function isTransient(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

export class RequestTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/**
 * One HTTP request's abort controller, with a time-out around each await (the headers, then each body
 * read). Racing the promise against the time-out also covers an injected fetch that ignores `signal`.
 */
export class RequestControl {
  readonly controller = new AbortController();
  timedOut = false;

  constructor(readonly timeoutMs: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async within<T>(p: Promise<T>): Promise<T> {
    p.catch(() => {}); // if the time-out wins, p's later rejection is expected and not worth a warning
    const signal = this.controller.signal;
    if (signal.aborted) throw signal.reason ?? new Error("aborted");
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const gate = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.timedOut = true;
        const err = new RequestTimeout(this.timeoutMs);
        this.controller.abort(err);
        reject(err);
      }, this.timeoutMs);
      onAbort = () => reject(signal.reason ?? new Error("aborted"));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    gate.catch(() => {});
    try {
      return await Promise.race([p, gate]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
  }

  abort(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error("request finished"));
  }
}

/** What both HTTP clients take about retrying, and the checked values with their defaults. */
export interface RetryOptions {
  /** Defaults to globalThis.fetch (looked up at call time). */
  fetch?: typeof fetch;
  /** Extra attempts after a 5xx, 408, 429, network error or time-out; default 4. */
  retries?: number;
  /**
   * Per attempt, default 60000: the longest wait for the response headers, and then the longest wait
   * for each further piece of the body (an idle time-out, so a slow consumer never trips it).
   */
  timeoutMs?: number;
  /** First back-off, default 1000, doubling, with jitter (1 to 1.5 times the nominal wait); Retry-After honoured. */
  backoffMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Default "xen-triage (+https://salsa.debian.org/xen-team)". */
  userAgent?: string;
}

export interface ResolvedRetryOptions {
  fetch: typeof fetch;
  retries: number;
  timeoutMs: number;
  backoffMs: number;
  sleep: (ms: number) => Promise<void>;
  userAgent: string;
}

export const DEFAULT_USER_AGENT = "xen-triage (+https://salsa.debian.org/xen-team)";
export const DEFAULT_RETRIES = 4;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_BACKOFF_MS = 1_000;

/** Defaults filled in and bounds checked: a bad value is a RangeError naming it. */
export function resolveRetryOptions(opts: RetryOptions): ResolvedRetryOptions {
  const retries = opts.retries ?? DEFAULT_RETRIES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retries must be a whole number >= 0, got ${retries}`);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  if (!(backoffMs >= 0)) throw new RangeError(`backoffMs must be >= 0, got ${backoffMs}`);
  return {
    fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    retries,
    timeoutMs,
    backoffMs,
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
  };
}

/** One attempt's outcome: a value, a failure not worth retrying, or a transient one (with the server's Retry-After). */
export type AttemptStep<T, Fail extends { kind: "fail"; reason: string }> =
  | { kind: "done"; value: T }
  | { kind: "retry"; reason: string; retryAfterMs?: number }
  | Fail;

/**
 * Run `attempt` (numbered from 0) until it is done or fails, waiting with back-off after each transient
 * outcome. Past `retries` extra attempts a transient outcome is a failure: "<reason> (gave up after N
 * attempts)". `onRetry` hears each wait: "<reason>; attempt N of M; next in D ms".
 */
export async function retryWithBackoff<T, Fail extends { kind: "fail"; reason: string }>(
  cfg: Pick<ResolvedRetryOptions, "retries" | "backoffMs" | "sleep">,
  attempt: (n: number) => Promise<AttemptStep<T, Fail>>,
  onRetry: (detail: string) => void,
): Promise<{ kind: "done"; value: T } | Fail | { kind: "fail"; reason: string }> {
  for (let n = 0; ; n++) {
    const step = await attempt(n);
    if (step.kind !== "retry") return step;
    const attempts = n + 1;
    if (n >= cfg.retries) return { kind: "fail", reason: `${step.reason} (gave up after ${attempts} attempt${attempts === 1 ? "" : "s"})` };
    const delay = backoffDelay(cfg.backoffMs, n, step.retryAfterMs);
    onRetry(`${step.reason}; attempt ${attempts} of ${cfg.retries + 1}; next in ${delay} ms`);
    await cfg.sleep(delay);
  }
}
