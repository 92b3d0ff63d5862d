import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import nock from "nock";
import {
  DEFAULT_USER_AGENT,
  fetchPipermail,
  isMonthUrl,
  parseMonthIndex,
  type FetchOptions,
  type HttpValidators,
  type MonthFetch,
  type ValidatorStore,
} from "../../src/sources/pipermail-web.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/pipermail/", import.meta.url));
const fixture = (name: string): string => readFileSync(FIXTURES + name, "utf8");

const HOST = "https://lists.example.org";
const LIST = "/pipermail/pkg-xen-devel/";
const ROOT = HOST + LIST;
const NOV = `${ROOT}2023-November.txt.gz`;
const DEC = `${ROOT}2023-December.txt.gz`;
const JAN = `${ROOT}2024-January.txt`;

const INDEX = fixture("index.html");
const NOV_TEXT = fixture("2023-November.txt");
const DEC_TEXT = fixture("2023-December.txt");
const JAN_TEXT = fixture("2024-January.txt");
const HTML_HEADERS = { "Content-Type": "text/html; charset=us-ascii" };
const GZIP_HEADERS = { "Content-Type": "application/x-gzip" };
const TEXT_HEADERS = { "Content-Type": "text/plain; charset=utf-8" };

/** The in-memory ValidatorStore: a map, plus a log of every write. */
class MemoryStore implements ValidatorStore {
  readonly map = new Map<string, HttpValidators>();
  readonly writes: HttpValidators[] = [];
  constructor(initial: HttpValidators[] = []) {
    for (const v of initial) this.map.set(v.url, v);
  }
  async getValidators(url: string): Promise<HttpValidators | null> {
    return this.map.get(url) ?? null;
  }
  async setValidators(v: HttpValidators): Promise<void> {
    this.writes.push(v);
    this.map.set(v.url, v);
  }
  all(): HttpValidators[] {
    return [...this.map.values()].sort((a, b) => a.url.localeCompare(b.url));
  }
}

type Event = Parameters<NonNullable<FetchOptions["onEvent"]>>[0];

function setup(extra: Partial<FetchOptions> = {}, store = new MemoryStore()) {
  const events: Event[] = [];
  const sleeps: number[] = [];
  const opts: FetchOptions = {
    validators: store,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    backoffMs: 10,
    onEvent: (e) => events.push(e),
    ...extra,
  };
  return { store, events, sleeps, opts };
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

type Seen =
  | { name: string; url: string; status: "changed"; gzip: boolean; text: string }
  | Exclude<MonthFetch, { status: "changed" }>;

/** Run fetchPipermail to the end, reading each changed body, gunzipping by magic bytes like a caller. */
async function run(url: string, opts: FetchOptions, commit: (name: string) => boolean = () => true): Promise<Seen[]> {
  const seen: Seen[] = [];
  for await (const m of fetchPipermail(url, opts)) {
    if (m.status === "changed") {
      const bytes = await readAll(m.body);
      const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
      seen.push({ name: m.name, url: m.url, status: m.status, gzip, text: (gzip ? gunzipSync(bytes) : bytes).toString("utf8") });
      if (commit(m.name)) await m.commit();
    } else {
      seen.push(m);
    }
  }
  return seen;
}

const changed = (name: string, url: string, text: string, gzip: boolean): Seen => ({ name, url, status: "changed", gzip, text });

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe("isMonthUrl", () => {
  it.each([
    [`${ROOT}2024-February.txt.gz`, true],
    [`${ROOT}2024-February.txt`, true],
    ["http://lists.example.org/pipermail/pkg-xen-devel/2009-December.txt.gz?x=1#top", true],
    [ROOT, false],
    [HOST + "/pipermail/pkg-xen-devel", false],
    [`${ROOT}index.html`, false],
    [`${ROOT}2024-February/date.html`, false],
    [`${ROOT}2024-Feb.txt.gz`, false],
    [`${ROOT}2024-february.txt`, false],
    [`${ROOT}2024-February.mbox`, false],
    ["2024-February.txt.gz", false],
  ])("%s -> %s", (url, expected) => {
    expect(isMonthUrl(url)).toBe(expected);
  });
});

describe("parseMonthIndex", () => {
  it("lists the month archives of a pipermail index page, oldest first, as absolute URLs", () => {
    expect(parseMonthIndex(INDEX, ROOT)).toEqual([
      { name: "2023-November", url: NOV },
      { name: "2023-December", url: DEC },
      { name: "2024-January", url: JAN },
    ]);
  });

  it("resolves the links of a list root written without its trailing slash, or of its index.html, into the list", () => {
    const expected = parseMonthIndex(INDEX, ROOT);
    expect(parseMonthIndex(INDEX, HOST + "/pipermail/pkg-xen-devel")).toEqual(expected);
    expect(parseMonthIndex(INDEX, ROOT + "index.html")).toEqual(expected);
  });

  it("prefers the .txt.gz file when a month is listed both ways, and ignores every other link", () => {
    const html = `<html><body><table border=3>
      <tr><td>March 2024:</td>
        <td><A href="2024-March/thread.html">[ Thread ]</a> <A href="2024-March/subject.html">[ Subject ]</a>
            <A href="2024-March/author.html">[ Author ]</a> <A href="2024-March/date.html">[ Date ]</a></td>
        <td><A HREF='2024-March.txt'>[ Text 3 KB ]</a> <a href="2024-March.txt.gz">[ Gzip'd Text 1 KB ]</a></td></tr>
      <tr><td>February 2024:</td>
        <td><a href=2024-February/thread.html>[ Thread ]</a></td>
        <td><a href="2024-February.txt.gz">[ Gzip'd Text 2 KB ]</a> <a href="2024-February.txt">[ Text 6 KB ]</a></td></tr>
      <tr><td>May 1999:</td><td></td><td><a href="https://old.example.net/archive/1999-May.txt?raw=1&amp;x=2#top">[ Text 1 KB ]</a></td></tr>
      <tr><td>bogus:</td><td></td><td><a href="2024-Smarch.txt.gz">[ Gzip'd Text 1 KB ]</a>
        <a href="2024-March.txt.gz.html">x</a> <a href="pkg-xen-devel.mbox">raw</a></td></tr>
    </table></body></html>`;
    expect(parseMonthIndex(html, "https://lists.example.org/pipermail/other/")).toEqual([
      { name: "1999-May", url: "https://old.example.net/archive/1999-May.txt?raw=1&x=2" },
      { name: "2024-February", url: "https://lists.example.org/pipermail/other/2024-February.txt.gz" },
      { name: "2024-March", url: "https://lists.example.org/pipermail/other/2024-March.txt.gz" },
    ]);
  });

  it("finds nothing in a page that is not a pipermail index (a mod_mbox listing)", () => {
    const html = `<!DOCTYPE html><html><body><table>
      <tr><td class="date">Jan 2024</td><td class="links"><a href="202401.mbox/thread">Thread</a> &middot;
        <a href="202401.mbox/date">Date</a></td><td class="msgcount">7</td></tr>
      </table></body></html>`;
    expect(parseMonthIndex(html, ROOT)).toEqual([]);
  });
});

describe("fetchPipermail", () => {
  it("a first run fetches the index, then each month oldest first, unconditionally; commit() stores the validators", async () => {
    const { store, events, opts } = setup();
    const scope = nock(HOST, { reqheaders: { "user-agent": DEFAULT_USER_AGENT }, badheaders: ["if-none-match", "if-modified-since"] })
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(200, gzipSync(NOV_TEXT), { ...GZIP_HEADERS, ETag: '"nov-1"', "Last-Modified": "Fri, 01 Dec 2023 00:05:00 GMT" })
      .get(LIST + "2023-December.txt.gz")
      .reply(200, gzipSync(DEC_TEXT), { ...GZIP_HEADERS, ETag: '"dec-1"', "Last-Modified": "Mon, 01 Jan 2024 00:05:00 GMT" })
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, { ...TEXT_HEADERS, ETag: 'W/"jan-1"', "Last-Modified": "Tue, 09 Jan 2024 07:30:05 GMT" });

    expect(await run(ROOT, opts)).toEqual([
      changed("2023-November", NOV, NOV_TEXT, true),
      changed("2023-December", DEC, DEC_TEXT, true),
      changed("2024-January", JAN, JAN_TEXT, false),
    ]);
    expect(store.all()).toEqual([
      { url: DEC, etag: '"dec-1"', lastModified: "Mon, 01 Jan 2024 00:05:00 GMT" },
      { url: NOV, etag: '"nov-1"', lastModified: "Fri, 01 Dec 2023 00:05:00 GMT" },
      { url: JAN, etag: 'W/"jan-1"', lastModified: "Tue, 09 Jan 2024 07:30:05 GMT" },
    ]);
    expect(events).toEqual([
      { kind: "fetched", url: ROOT, detail: "index: 3 months" },
      { kind: "fetched", url: NOV, detail: 'HTTP 200 OK; ETag "nov-1"; Last-Modified Fri, 01 Dec 2023 00:05:00 GMT' },
      { kind: "fetched", url: DEC, detail: 'HTTP 200 OK; ETag "dec-1"; Last-Modified Mon, 01 Jan 2024 00:05:00 GMT' },
      { kind: "fetched", url: JAN, detail: 'HTTP 200 OK; ETag W/"jan-1"; Last-Modified Tue, 09 Jan 2024 07:30:05 GMT' },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a second run sends the stored validators: two months answer 304 and are unchanged, the one that grew is fetched", async () => {
    const store = new MemoryStore([
      { url: NOV, etag: '"nov-1"', lastModified: "Fri, 01 Dec 2023 00:05:00 GMT" },
      { url: DEC, etag: null, lastModified: "Mon, 01 Jan 2024 00:05:00 GMT" },
      { url: JAN, etag: 'W/"jan-1"', lastModified: null },
    ]);
    const { events, opts } = setup({}, store);
    const grown = JAN_TEXT + JAN_TEXT.replace("Jan  9 07:30:00", "Jan 10 12:00:00");
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .matchHeader("if-none-match", '"nov-1"')
      .matchHeader("if-modified-since", "Fri, 01 Dec 2023 00:05:00 GMT")
      .reply(304)
      .get(LIST + "2023-December.txt.gz")
      .matchHeader("if-modified-since", "Mon, 01 Jan 2024 00:05:00 GMT")
      .matchHeader("if-none-match", (v: string | undefined) => v === undefined)
      .reply(304)
      .get(LIST + "2024-January.txt")
      .matchHeader("if-none-match", 'W/"jan-1"')
      .matchHeader("if-modified-since", (v: string | undefined) => v === undefined)
      .reply(200, grown, { ...TEXT_HEADERS, ETag: 'W/"jan-2"', "Last-Modified": "Wed, 10 Jan 2024 12:00:05 GMT" });

    expect(await run(ROOT, opts)).toEqual([
      { name: "2023-November", url: NOV, status: "unchanged" },
      { name: "2023-December", url: DEC, status: "unchanged" },
      changed("2024-January", JAN, grown, false),
    ]);
    expect(store.writes).toEqual([{ url: JAN, etag: 'W/"jan-2"', lastModified: "Wed, 10 Jan 2024 12:00:05 GMT" }]);
    expect(events).toEqual([
      { kind: "fetched", url: ROOT, detail: "index: 3 months" },
      { kind: "unchanged", url: NOV, detail: "HTTP 304 Not Modified" },
      { kind: "unchanged", url: DEC, detail: "HTTP 304 Not Modified" },
      { kind: "fetched", url: JAN, detail: 'HTTP 200 OK; ETag W/"jan-2"; Last-Modified Wed, 10 Jan 2024 12:00:05 GMT' },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a bare month URL yields just that month, without reading the index", async () => {
    const { opts } = setup();
    const scope = nock(HOST).get(LIST + "2023-December.txt.gz").reply(200, gzipSync(DEC_TEXT), GZIP_HEADERS);
    expect(await run(DEC, opts)).toEqual([changed("2023-December", DEC, DEC_TEXT, true)]);
    expect(scope.isDone()).toBe(true);
  });

  it("retries a 503 after a back-off, then takes the 200", async () => {
    const { events, sleeps, opts } = setup();
    const scope = nock(HOST)
      .get(LIST + "2024-January.txt")
      .reply(503, "busy")
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);

    expect(await run(JAN, opts)).toEqual([changed("2024-January", JAN, JAN_TEXT, false)]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(10);
    expect(sleeps[0]).toBeLessThanOrEqual(15);
    expect(events).toEqual([
      { kind: "retry", url: JAN, detail: `HTTP 503 Service Unavailable; attempt 1 of 5; next in ${sleeps[0]} ms` },
      { kind: "fetched", url: JAN, detail: "HTTP 200 OK" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [429, "Too Many Requests"],
    [408, "Request Timeout"],
  ])("treats a %i as \"not now\": waits its Retry-After, then takes the 200", async (status, text) => {
    const { events, sleeps, opts } = setup();
    const scope = nock(HOST)
      .get(LIST + "2024-January.txt")
      .reply(status, "slow down", { "Retry-After": "1" })
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);

    expect(await run(JAN, opts)).toEqual([changed("2024-January", JAN, JAN_TEXT, false)]);
    expect(sleeps).toEqual([1000]);
    expect(events).toEqual([
      { kind: "retry", url: JAN, detail: `HTTP ${status} ${text}; attempt 1 of 5; next in 1000 ms` },
      { kind: "fetched", url: JAN, detail: "HTTP 200 OK" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a 503 until the retries run out fails that month (no throw), with doubling back-offs, and the run goes on", async () => {
    const { store, sleeps, opts } = setup({ retries: 2 });
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .times(3)
      .reply(503, "down for maintenance")
      .get(LIST + "2023-December.txt.gz")
      .reply(200, gzipSync(DEC_TEXT), { ...GZIP_HEADERS, ETag: '"dec-1"' })
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);

    expect(await run(ROOT, opts)).toEqual([
      { name: "2023-November", url: NOV, status: "failed", reason: `${NOV}: HTTP 503 Service Unavailable (gave up after 3 attempts)` },
      changed("2023-December", DEC, DEC_TEXT, true),
      changed("2024-January", JAN, JAN_TEXT, false),
    ]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(10);
    expect(sleeps[0]).toBeLessThanOrEqual(15);
    expect(sleeps[1]).toBeGreaterThanOrEqual(20);
    expect(sleeps[1]).toBeLessThanOrEqual(30);
    expect(store.all()).toEqual([
      { url: DEC, etag: '"dec-1"', lastModified: null },
      { url: JAN, etag: null, lastModified: null },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("waits as long as a 503's Retry-After asks", async () => {
    const { sleeps, opts } = setup();
    const scope = nock(HOST)
      .get(LIST + "2024-January.txt")
      .reply(503, "", { "Retry-After": "7" })
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);
    expect(await run(JAN, opts)).toEqual([changed("2024-January", JAN, JAN_TEXT, false)]);
    expect(sleeps).toEqual([7000]);
    expect(scope.isDone()).toBe(true);
  });

  it("a server that does not answer in time is retried; when it never does, the month fails", async () => {
    const { events, sleeps, opts } = setup({ timeoutMs: 50, retries: 1 });
    const scope = nock(HOST)
      .get(LIST + "2023-December.txt.gz")
      .times(2)
      .delay(400)
      .reply(200, gzipSync(DEC_TEXT), GZIP_HEADERS);

    expect(await run(DEC, opts)).toEqual([
      { name: "2023-December", url: DEC, status: "failed", reason: `${DEC}: timed out after 50 ms (gave up after 2 attempts)` },
    ]);
    expect(sleeps).toHaveLength(1);
    expect(events).toEqual([{ kind: "retry", url: DEC, detail: `timed out after 50 ms; attempt 1 of 2; next in ${sleeps[0]} ms` }]);
    expect(scope.isDone()).toBe(true);
  });

  it("a time-out, or a body that stalls before its first bytes, is retried and the next answer taken", async () => {
    const { events, sleeps, opts } = setup({ timeoutMs: 50 });
    const scope = nock(HOST)
      .get(LIST + "2024-January.txt")
      .delay(400)
      .reply(200, "too late", TEXT_HEADERS)
      .get(LIST + "2024-January.txt")
      .delayBody(400)
      .reply(200, "too late as well", TEXT_HEADERS)
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);

    expect(await run(JAN, opts)).toEqual([changed("2024-January", JAN, JAN_TEXT, false)]);
    expect(events).toEqual([
      { kind: "retry", url: JAN, detail: `timed out after 50 ms; attempt 1 of 5; next in ${sleeps[0]} ms` },
      { kind: "retry", url: JAN, detail: `timed out after 50 ms waiting for the body; attempt 2 of 5; next in ${sleeps[1]} ms` },
      { kind: "fetched", url: JAN, detail: "HTTP 200 OK" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a network error is retried", async () => {
    const { sleeps, opts } = setup();
    const scope = nock(HOST)
      .get(LIST + "2024-January.txt")
      .replyWithError({ code: "ECONNRESET", message: "socket hang up" })
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);
    expect(await run(JAN, opts)).toEqual([changed("2024-January", JAN, JAN_TEXT, false)]);
    expect(sleeps).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("a 404 or another 4xx fails that month at once, naming the URL and status, and the run goes on", async () => {
    const { sleeps, opts } = setup();
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(404, "<html><body>Not Found</body></html>", HTML_HEADERS)
      .get(LIST + "2023-December.txt.gz")
      .reply(403, "Forbidden")
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);

    expect(await run(ROOT, opts)).toEqual([
      { name: "2023-November", url: NOV, status: "failed", reason: `${NOV}: HTTP 404 Not Found` },
      { name: "2023-December", url: DEC, status: "failed", reason: `${DEC}: HTTP 403 Forbidden` },
      changed("2024-January", JAN, JAN_TEXT, false),
    ]);
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("an HTML page instead of an archive fails the month, whether told by its Content-Type or by its first bytes", async () => {
    const { store, opts } = setup();
    const reason = (url: string) => `${url}: got an HTML page instead of a mail archive`;
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(200, "<p>Please log in to continue</p>", { "Content-Type": "text/html;charset=UTF-8", ETag: '"portal"' })
      .get(LIST + "2023-December.txt.gz")
      .reply(200, "\r\n \t<!doctype html>\n<html><head><title>Archive moved</title></head></html>", GZIP_HEADERS)
      .get(LIST + "2024-January.txt")
      .reply(200, "\ufeff\n<HTML><BODY>maintenance</BODY></HTML>", TEXT_HEADERS);

    expect(await run(ROOT, opts)).toEqual([
      { name: "2023-November", url: NOV, status: "failed", reason: reason(NOV) },
      { name: "2023-December", url: DEC, status: "failed", reason: reason(DEC) },
      { name: "2024-January", url: JAN, status: "failed", reason: reason(JAN) },
    ]);
    expect(store.all()).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("an HTML start split over the first chunks is still recognised; a body is held back no longer than it takes to tell", async () => {
    const { opts } = setup();
    const page = new PassThrough();
    const mail = new PassThrough();
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(200, () => page, TEXT_HEADERS)
      .get(LIST + "2023-December.txt.gz")
      .reply(200, () => mail, TEXT_HEADERS)
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, TEXT_HEADERS);
    const later = (f: () => void) => setTimeout(f, 20);
    page.write("\n  ");
    later(() => {
      page.write("<!DOC");
      later(() => page.end("TYPE html><html></html>"));
    });
    // "<" could still become "<html": the peek waits for more; "<p" cannot, so it is a (strange) mail body.
    mail.write("<");
    later(() => {
      mail.write("p");
      later(() => mail.end("> is not a separator line\n"));
    });

    expect(await run(ROOT, opts)).toEqual([
      { name: "2023-November", url: NOV, status: "failed", reason: `${NOV}: got an HTML page instead of a mail archive` },
      changed("2023-December", DEC, "<p> is not a separator line\n", false),
      changed("2024-January", JAN, JAN_TEXT, false),
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a mail archive that mentions <html> further in is not mistaken for a page", async () => {
    const { opts } = setup();
    const text = JAN_TEXT.replace("The build fails", "<html> in a mail body is fine.\nThe build fails");
    const scope = nock(HOST).get(LIST + "2024-January.txt").reply(200, text, TEXT_HEADERS);
    expect(await run(JAN, opts)).toEqual([changed("2024-January", JAN, text, false)]);
    expect(scope.isDone()).toBe(true);
  });

  it("a gzip body is passed through as served: raw bytes as a file, already decoded when sent with Content-Encoding: gzip", async () => {
    const { opts } = setup();
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(200, gzipSync(NOV_TEXT), { "Content-Type": "text/plain", "Content-Encoding": "gzip" })
      .get(LIST + "2023-December.txt.gz")
      .reply(200, gzipSync(DEC_TEXT), GZIP_HEADERS)
      .get(LIST + "2024-January.txt")
      .reply(200, gzipSync(JAN_TEXT), { "Content-Type": "text/plain", "Content-Encoding": "gzip" });

    const heads: string[] = [];
    for await (const m of fetchPipermail(ROOT, opts)) {
      if (m.status !== "changed") throw new Error(`unexpected ${JSON.stringify(m)}`);
      const bytes = await readAll(m.body);
      heads.push(`${m.name} ${bytes.subarray(0, 2).toString("hex")} ${bytes.length}`);
    }
    expect(heads).toEqual([
      `2023-November 4672 ${Buffer.byteLength(NOV_TEXT)}`, // "Fr": decoded by fetch
      `2023-December 1f8b ${gzipSync(DEC_TEXT).length}`, // the file as stored
      `2024-January 4672 ${Buffer.byteLength(JAN_TEXT)}`,
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("commit() is what stores the validators: months not committed are fetched again, in full, on the next run", async () => {
    const { store, opts } = setup();
    const first = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(200, gzipSync(NOV_TEXT), { ...GZIP_HEADERS, ETag: '"nov-1"' })
      .get(LIST + "2023-December.txt.gz")
      .reply(200, gzipSync(DEC_TEXT), { ...GZIP_HEADERS, ETag: '"dec-1"' })
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, { ...TEXT_HEADERS, ETag: '"jan-1"' });

    // The run is "interrupted" after November: December and January are read but never committed.
    expect(await run(ROOT, opts, (name) => name === "2023-November")).toEqual([
      changed("2023-November", NOV, NOV_TEXT, true),
      changed("2023-December", DEC, DEC_TEXT, true),
      changed("2024-January", JAN, JAN_TEXT, false),
    ]);
    expect(store.all()).toEqual([{ url: NOV, etag: '"nov-1"', lastModified: null }]);
    expect(first.isDone()).toBe(true);

    const second = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .matchHeader("if-none-match", '"nov-1"')
      .reply(304)
      .get(LIST + "2023-December.txt.gz")
      .matchHeader("if-none-match", (v: string | undefined) => v === undefined)
      .reply(200, gzipSync(DEC_TEXT), { ...GZIP_HEADERS, ETag: '"dec-1"' })
      .get(LIST + "2024-January.txt")
      .matchHeader("if-none-match", (v: string | undefined) => v === undefined)
      .reply(200, JAN_TEXT, { ...TEXT_HEADERS, ETag: '"jan-1"' });
    expect(await run(ROOT, opts)).toEqual([
      { name: "2023-November", url: NOV, status: "unchanged" },
      changed("2023-December", DEC, DEC_TEXT, true),
      changed("2024-January", JAN, JAN_TEXT, false),
    ]);
    expect(store.all()).toEqual([
      { url: DEC, etag: '"dec-1"', lastModified: null },
      { url: NOV, etag: '"nov-1"', lastModified: null },
      { url: JAN, etag: '"jan-1"', lastModified: null },
    ]);
    expect(second.isDone()).toBe(true);
  });

  it("commit() before the body was read to the end is refused and stores nothing", async () => {
    const { store, opts } = setup();
    const scope = nock(HOST).get(LIST + "2024-January.txt").reply(200, JAN_TEXT, { ...TEXT_HEADERS, ETag: '"jan-1"' });
    const results: string[] = [];
    for await (const m of fetchPipermail(JAN, opts)) {
      if (m.status !== "changed") throw new Error(`unexpected ${JSON.stringify(m)}`);
      await m.commit().catch((e: Error) => results.push(e.message));
      results.push((await readAll(m.body)).toString("utf8"));
      await m.commit();
    }
    expect(results).toEqual([`${JAN}: commit() called before the body was read to the end`, JAN_TEXT]);
    expect(store.writes).toEqual([{ url: JAN, etag: '"jan-1"', lastModified: null }]);
    expect(scope.isDone()).toBe(true);
  });

  it("streams: a chunk is passed on before the server has sent the rest, and the next month is requested only when asked for", async () => {
    const { opts } = setup();
    const stream = new PassThrough();
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(200, () => stream, TEXT_HEADERS)
      .get(LIST + "2023-December.txt.gz")
      .reply(304)
      .get(LIST + "2024-January.txt")
      .reply(304);
    const store = opts.validators as MemoryStore;
    for (const url of [DEC, JAN]) await store.setValidators({ url, etag: '"x"', lastModified: null });

    const [firstHalf, secondHalf] = [NOV_TEXT.slice(0, 300), NOV_TEXT.slice(300)];
    stream.write(firstHalf);
    const gen = fetchPipermail(ROOT, opts);
    const first = await gen.next();
    if (first.done || first.value.status !== "changed") throw new Error(`unexpected ${JSON.stringify(first.value)}`);
    const it = first.value.body[Symbol.asyncIterator]();
    const got = await it.next();
    const log = [
      Buffer.from(got.value as Uint8Array).toString("utf8"),
      ...scope.pendingMocks(),
    ];
    stream.end(secondHalf);
    const rest: Buffer[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(Buffer.from(r.value));
    log.push(Buffer.concat(rest).toString("utf8"));
    await first.value.commit();
    const after: string[] = [];
    for await (const m of { [Symbol.asyncIterator]: () => gen }) after.push(`${m.name} ${m.status}`);

    expect(log).toEqual([
      firstHalf,
      `GET ${HOST}:443${LIST}2023-December.txt.gz`,
      `GET ${HOST}:443${LIST}2024-January.txt`,
      secondHalf,
    ]);
    expect(after).toEqual(["2023-December unchanged", "2024-January unchanged"]);
    expect(scope.isDone()).toBe(true);
  });

  it("asking for the next month cancels a body that was not read; reading it afterwards fails and it cannot be committed", async () => {
    const { store, opts } = setup();
    const scope = nock(HOST)
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(200, gzipSync(NOV_TEXT), { ...GZIP_HEADERS, ETag: '"nov-1"' })
      .get(LIST + "2023-December.txt.gz")
      .reply(200, gzipSync(DEC_TEXT), { ...GZIP_HEADERS, ETag: '"dec-1"' })
      .get(LIST + "2024-January.txt")
      .reply(200, JAN_TEXT, { ...TEXT_HEADERS, ETag: '"jan-1"' });

    const fetched: MonthFetch[] = [];
    for await (const m of fetchPipermail(ROOT, opts)) fetched.push(m);
    const outcomes: string[] = [];
    for (const m of fetched) {
      if (m.status !== "changed") throw new Error(`unexpected ${JSON.stringify(m)}`);
      outcomes.push(await readAll(m.body).then(() => "read", (e: Error) => e.message));
      outcomes.push(await m.commit().then(() => "committed", (e: Error) => e.message));
    }
    const gone = (url: string) => `${url}: body no longer available: the next month was requested before this one was read to the end`;
    const early = (url: string) => `${url}: commit() called before the body was read to the end`;
    expect(outcomes).toEqual([gone(NOV), early(NOV), gone(DEC), early(DEC), gone(JAN), early(JAN)]);
    expect(store.writes).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("follows the redirect of a list root written without its trailing slash", async () => {
    const { opts } = setup();
    const scope = nock(HOST)
      .get("/pipermail/pkg-xen-devel")
      .reply(301, "", { Location: ROOT })
      .get(LIST)
      .reply(200, INDEX, HTML_HEADERS)
      .get(LIST + "2023-November.txt.gz")
      .reply(404)
      .get(LIST + "2023-December.txt.gz")
      .reply(404)
      .get(LIST + "2024-January.txt")
      .reply(404);
    expect((await run(HOST + "/pipermail/pkg-xen-devel", opts)).map((m) => `${m.status} ${m.url}`)).toEqual([
      `failed ${NOV}`,
      `failed ${DEC}`,
      `failed ${JAN}`,
    ]);
    expect(scope.isDone()).toBe(true);
  });

  describe("when the index itself cannot be used, it throws", () => {
    it("a 404, naming the URL and status, without retrying", async () => {
      const { sleeps, opts } = setup();
      const scope = nock(HOST).get(LIST).reply(404, "no such list");
      await expect(run(ROOT, opts)).rejects.toThrow(new Error(`${ROOT}: cannot read the list index: HTTP 404 Not Found`));
      expect(sleeps).toEqual([]);
      expect(scope.isDone()).toBe(true);
    });

    it("a 502 after the retries", async () => {
      const { sleeps, opts } = setup({ retries: 1 });
      const scope = nock(HOST).get(LIST).times(2).reply(502, "bad gateway");
      await expect(run(ROOT, opts)).rejects.toThrow(
        new Error(`${ROOT}: cannot read the list index: HTTP 502 Bad Gateway (gave up after 2 attempts)`),
      );
      expect(sleeps).toHaveLength(1);
      expect(scope.isDone()).toBe(true);
    });

    it("a page without month links", async () => {
      const { opts } = setup();
      const scope = nock(HOST)
        .get("/mod_mbox/xen-user/")
        .reply(200, '<html><body><a href="202401.mbox/thread">Thread</a></body></html>', HTML_HEADERS);
      await expect(run(HOST + "/mod_mbox/xen-user/", opts)).rejects.toThrow(
        new Error(`${HOST}/mod_mbox/xen-user/: not a pipermail index: no YYYY-Month.txt(.gz) links`),
      );
      expect(scope.isDone()).toBe(true);
    });
  });
});
