import nock from "nock";
import type { BugStatus } from "../../src/sources/bts/bug-status.js";
import { SoapError } from "../../src/sources/bts/soap-decode.js";
import {
  DEFAULT_BTS_URL,
  btsClient,
  soapEnvelope,
  type BtsClientOptions,
} from "../../src/sources/bts/soap-client.js";

const HOST = "https://bugs.debian.org";
const PATH = "/cgi-bin/soap.cgi";
const UA = "xen-triage (+https://salsa.debian.org/xen-team)";

// ---------------------------------------------------------------------------------------------------
// Answers in the service's format (SOAP::Lite, SOAP 1.1 encoding), written for these tests.

const ANSWER_OPEN =
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"` +
  ` xmlns:apachens="http://xml.apache.org/xml-soap" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"` +
  ` xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"` +
  ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>`;
const ANSWER_CLOSE = `</soap:Body></soap:Envelope>`;

const answer = (method: string, inner: string): string =>
  `${ANSWER_OPEN}<${method}Response xmlns="Debbugs/SOAP">${inner}</${method}Response>${ANSWER_CLOSE}`;

const intArray = (ns: number[]): string =>
  `<soapenc:Array soapenc:arrayType="xsd:int[${ns.length}]" xsi:type="soapenc:Array">` +
  ns.map((n) => `<item xsi:type="xsd:int">${n}</item>`).join("") +
  `</soapenc:Array>`;

const str = (name: string, value: string): string => `<${name} xsi:type="xsd:string">${value}</${name}>`;
const num = (name: string, value: number): string => `<${name} xsi:type="xsd:int">${value}</${name}>`;

/** One bug of a get_status answer (an apachens:Map item), in the shape the service sends. */
function statusItem(bug: number, subject: string, opts: { severity?: string; tags?: string; date?: number } = {}): string {
  return (
    `<item><key xsi:type="xsd:int">${bug}</key><value>` +
    num("bug_num", bug) +
    str("package", "src:xen") +
    str("source", "xen") +
    str("subject", subject) +
    str("originator", "Wren Okafor &lt;wren@example.net&gt;") +
    str("severity", opts.severity ?? "normal") +
    str("tags", opts.tags ?? "") +
    `<mergedwith xsi:type="xsd:string" />` +
    `<done xsi:type="xsd:string" />` +
    num("archived", 0) +
    str("pending", "pending") +
    `<found_versions soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array"><item xsi:type="xsd:string">xen/4.17.5-1</item></found_versions>` +
    `<fixed_versions soapenc:arrayType="xsd:anyType[0]" xsi:type="soapenc:Array" />` +
    `<forwarded xsi:type="xsd:string" /><owner xsi:type="xsd:string" /><affects xsi:type="xsd:string" />` +
    `<blocks xsi:type="xsd:string" /><blockedby xsi:type="xsd:string" /><summary xsi:type="xsd:string" /><outlook xsi:type="xsd:string" />` +
    num("date", opts.date ?? 1_700_000_000) +
    num("last_modified", 1_710_000_000) +
    `</value></item>`
  );
}

const statusAnswer = (items: string[]): string =>
  answer("get_status", items.length ? `<s-gensym3 xsi:type="apachens:Map">${items.join("")}</s-gensym3>` : `<s-gensym3 />`);

/** The BugStatus that statusItem's bug normalises to. */
function status(bug: number, title: string, opts: { severity?: string; tags?: string[]; date?: string } = {}): BugStatus {
  return {
    bug,
    package: "src:xen",
    source: "xen",
    title,
    submitter: "Wren Okafor <wren@example.net>",
    severity: opts.severity ?? "normal",
    tags: opts.tags ?? [],
    mergedWith: [],
    done: false,
    doneBy: null,
    archived: false,
    pending: "pending",
    foundVersions: ["xen/4.17.5-1"],
    fixedVersions: [],
    forwarded: null,
    owner: null,
    affects: [],
    blocks: [],
    blockedBy: [],
    summary: null,
    outlook: null,
    date: opts.date ?? "2023-11-14T22:13:20.000Z",
    lastModified: "2024-03-09T16:00:00.000Z",
  };
}

/** A get_bug_log answer with one message. */
const bugLogAnswer = (bug: number): string =>
  answer(
    "get_bug_log",
    `<soapenc:Array soapenc:arrayType="xsd:anyType[1]" xsi:type="soapenc:Array"><item>` +
      str("header", `From: Wren Okafor &lt;wren@example.net&gt;\nSubject: report ${bug}`) +
      num("msg_num", 5) +
      str("body", `Package: xen-utils-common\n\nlog of ${bug}\n`) +
      `<attachments soapenc:arrayType="xsd:anyType[0]" xsi:type="soapenc:Array" />` +
      `</item></soapenc:Array>`,
  );

const bugLogValue = (bug: number) => [
  {
    header: `From: Wren Okafor <wren@example.net>\nSubject: report ${bug}`,
    msg_num: 5,
    body: `Package: xen-utils-common\n\nlog of ${bug}\n`,
    attachments: [],
  },
];

const FAULT =
  `${ANSWER_OPEN}<soap:Fault><faultcode xsi:type="xsd:string">soap:Server</faultcode>` +
  `<faultstring xsi:type="xsd:string">Debbugs::Log was unable to be initialized at /usr/share/perl5/Debbugs/SOAP.pm line 240.\n</faultstring>` +
  `</soap:Fault>${ANSWER_CLOSE}`;

const XML_HEADERS = { "Content-Type": "text/xml; charset=utf-8" };

// ---------------------------------------------------------------------------------------------------

type Event = Parameters<NonNullable<BtsClientOptions["onEvent"]>>[0];

function setup(extra: Partial<BtsClientOptions> = {}) {
  const events: Event[] = [];
  const sleeps: number[] = [];
  const client = btsClient({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    backoffMs: 10,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { client, events, sleeps };
}

/** An interceptor for one SOAP call: the exact envelope, with the headers the service expects. */
function soapPost(method: string, args: (string | number | number[])[]) {
  return nock(HOST)
    .matchHeader("content-type", "text/xml; charset=utf-8")
    .matchHeader("soapaction", `"Debbugs/SOAP/V1#${method}"`)
    .matchHeader("user-agent", UA)
    .post(PATH, soapEnvelope(method, args));
}

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

const ENVELOPE_OPEN =
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"` +
  ` xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"` +
  ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>`;
const ENVELOPE_CLOSE = `</soap:Body></soap:Envelope>`;

describe("soapEnvelope", () => {
  it("get_bugs: key/value pairs as positional string arguments in namespace Debbugs/SOAP/V1", () => {
    expect(soapEnvelope("get_bugs", ["package", "xen-utils-4.17", "archive", "both"])).toBe(
      ENVELOPE_OPEN +
        `<get_bugs xmlns="Debbugs/SOAP/V1"><arg0>package</arg0><arg1>xen-utils-4.17</arg1><arg2>archive</arg2><arg3>both</arg3></get_bugs>` +
        ENVELOPE_CLOSE,
    );
  });

  it("get_status: the bugs as one soapenc:Array of xsd:int items", () => {
    expect(soapEnvelope("get_status", [[1090233, 1090417]])).toBe(
      ENVELOPE_OPEN +
        `<get_status xmlns="Debbugs/SOAP/V1"><arg0 xsi:type="soapenc:Array" soapenc:arrayType="xsd:int[2]">` +
        `<item xsi:type="xsd:int">1090233</item><item xsi:type="xsd:int">1090417</item></arg0></get_status>` +
        ENVELOPE_CLOSE,
    );
  });

  it("get_bug_log: the bug number as its one argument", () => {
    expect(soapEnvelope("get_bug_log", [1090417])).toBe(
      ENVELOPE_OPEN + `<get_bug_log xmlns="Debbugs/SOAP/V1"><arg0>1090417</arg0></get_bug_log>` + ENVELOPE_CLOSE,
    );
  });

  it("string arguments are XML-escaped; what XML cannot carry is refused", () => {
    expect(soapEnvelope("get_bugs", ["maint", `"Ada" <ada&co@example.org>'s`])).toBe(
      ENVELOPE_OPEN +
        `<get_bugs xmlns="Debbugs/SOAP/V1"><arg0>maint</arg0><arg1>&quot;Ada&quot; &lt;ada&amp;co@example.org&gt;&apos;s</arg1></get_bugs>` +
        ENVELOPE_CLOSE,
    );
    expect(() => soapEnvelope("get_bugs", ["src", "xen\u0000"])).toThrow(RangeError);
    expect(() => soapEnvelope("get_bug_log", [1.5])).toThrow("a SOAP integer argument must be a whole number, got 1.5");
    expect(() => soapEnvelope("get_status", [[1, NaN]])).toThrow(RangeError);
    expect(() => soapEnvelope("get bugs", [])).toThrow('not a SOAP method name: "get bugs"');
  });
});

describe("btsClient", () => {
  it("uses the Debian BTS by default", () => {
    expect(DEFAULT_BTS_URL).toBe("https://bugs.debian.org/cgi-bin/soap.cgi");
    expect(() => btsClient({ maxConcurrent: 0 })).toThrow("maxConcurrent must be a whole number >= 1, got 0");
    expect(() => btsClient({ url: "ftp://bugs.debian.org/" })).toThrow("ftp://bugs.debian.org/: not an http(s) URL");
  });

  it("getBugs decodes the soapenc:Array of xsd:int items into sorted, de-duplicated bug numbers", async () => {
    const { client, events, sleeps } = setup();
    const scope = soapPost("get_bugs", ["src", "xen", "archive", "both"]).reply(
      200,
      answer("get_bugs", intArray([1090417, 1028251, 1090233, 1028251])),
      XML_HEADERS,
    );
    expect(await client.getBugs([["src", "xen"], ["archive", "both"]])).toEqual([1028251, 1090233, 1090417]);
    expect(client.requests).toEqual({ get_bugs: 1 });
    expect(events).toEqual([{ kind: "request", method: "get_bugs", detail: "src=xen, archive=both; attempt 1 of 5" }]);
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("getBugs: an empty answer is no bugs; an empty query is refused without a request", async () => {
    const { client } = setup();
    const scope = soapPost("get_bugs", ["src", "xen-nonexistent"]).reply(
      200,
      answer("get_bugs", `<soapenc:Array soapenc:arrayType="xsd:anyType[0]" xsi:type="soapenc:Array" />`),
      XML_HEADERS,
    );
    expect(await client.getBugs([["src", "xen-nonexistent"]])).toEqual([]);
    await expect(client.getBugs([])).rejects.toThrow("get_bugs: at least one key/value pair is needed");
    expect(client.requests).toEqual({ get_bugs: 1 });
    expect(scope.isDone()).toBe(true);
  });

  it("getStatus asks in batches (5 bugs, batchSize 2: 3 requests) and merges the answers", async () => {
    const { client } = setup();
    const scope = soapPost("get_status", [[1090001, 1090002]])
      .reply(200, statusAnswer([statusItem(1090002, "xen: second", { severity: "important", tags: "patch" }), statusItem(1090001, "xen: first")]), XML_HEADERS)
      .post(PATH, soapEnvelope("get_status", [[1090003, 1090004]]))
      .reply(200, statusAnswer([statusItem(1090003, "xen: third"), statusItem(1090004, "xen: fourth", { date: 1_600_000_000 })]), XML_HEADERS)
      .post(PATH, soapEnvelope("get_status", [[1090005]]))
      .reply(200, statusAnswer([]), XML_HEADERS);

    expect(await client.getStatus([1090001, 1090002, 1090003, 1090004, 1090005], 2)).toEqual({
      statuses: [
        status(1090001, "xen: first"),
        status(1090002, "xen: second", { severity: "important", tags: ["patch"] }),
        status(1090003, "xen: third"),
        status(1090004, "xen: fourth", { date: "2020-09-13T12:26:40.000Z" }),
      ],
      problems: [{ bug: 1090005, reason: "get_status: no status for bug 1090005 in the answer (unknown to the BTS?)" }],
    });
    expect(client.requests).toEqual({ get_status: 3 });
    expect(scope.isDone()).toBe(true);
  });

  it("getStatus: batches keep the order asked, duplicates are asked once, and no bugs means no request", async () => {
    const { client } = setup();
    const scope = soapPost("get_status", [[1090004, 1090002]])
      .reply(200, statusAnswer([statusItem(1090002, "xen: second"), statusItem(1090004, "xen: fourth"), statusItem(1090009, "xen: not asked")]), XML_HEADERS);
    expect(await client.getStatus([1090004, 1090002, 1090004])).toEqual({
      statuses: [status(1090002, "xen: second"), status(1090004, "xen: fourth")],
      problems: [{ bug: 1090009, reason: "get_status answered for bug 1090009, which was not asked for; ignored" }],
    });
    expect(await client.getStatus([])).toEqual({ statuses: [], problems: [] });
    await expect(client.getStatus([0])).rejects.toThrow("get_status: not a bug number: 0");
    expect(client.requests).toEqual({ get_status: 1 });
    expect(scope.isDone()).toBe(true);
  });

  it("a 503 is retried after a back-off, and both requests are counted", async () => {
    const { client, events, sleeps } = setup();
    const scope = soapPost("get_bug_log", [1090417])
      .reply(503, "Service Unavailable", { "Content-Type": "text/plain" })
      .post(PATH, soapEnvelope("get_bug_log", [1090417]))
      .reply(200, bugLogAnswer(1090417), XML_HEADERS);

    expect(await client.getBugLog(1090417)).toEqual(bugLogValue(1090417));
    expect(client.requests).toEqual({ get_bug_log: 2 });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(10);
    expect(sleeps[0]).toBeLessThanOrEqual(15);
    expect(events).toEqual([
      { kind: "request", method: "get_bug_log", detail: "bug 1090417; attempt 1 of 5" },
      { kind: "retry", method: "get_bug_log", detail: `bug 1090417: HTTP 503 Service Unavailable; attempt 1 of 5; next in ${sleeps[0]} ms` },
      { kind: "request", method: "get_bug_log", detail: "bug 1090417; attempt 2 of 5" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a 429 waits as long as Retry-After says", async () => {
    const { client, sleeps } = setup();
    const scope = soapPost("get_bugs", ["src", "xen"])
      .reply(429, "slow down", { "Retry-After": "7" })
      .post(PATH, soapEnvelope("get_bugs", ["src", "xen"]))
      .reply(200, answer("get_bugs", intArray([1090417])), XML_HEADERS);
    expect(await client.getBugs([["src", "xen"]])).toEqual([1090417]);
    expect(sleeps).toEqual([7000]);
    expect(client.requests).toEqual({ get_bugs: 2 });
    expect(scope.isDone()).toBe(true);
  });

  it("a time-out is retried and the next answer taken", async () => {
    const { client, events, sleeps } = setup({ timeoutMs: 50 });
    const scope = soapPost("get_bug_log", [1090417])
      .delay(400)
      .reply(200, bugLogAnswer(1090417), XML_HEADERS)
      .post(PATH, soapEnvelope("get_bug_log", [1090417]))
      .reply(200, bugLogAnswer(1090417), XML_HEADERS);

    expect(await client.getBugLog(1090417)).toEqual(bugLogValue(1090417));
    expect(client.requests).toEqual({ get_bug_log: 2 });
    expect(events).toEqual([
      { kind: "request", method: "get_bug_log", detail: "bug 1090417; attempt 1 of 5" },
      { kind: "retry", method: "get_bug_log", detail: `bug 1090417: timed out after 50 ms; attempt 1 of 5; next in ${sleeps[0]} ms` },
      { kind: "request", method: "get_bug_log", detail: "bug 1090417; attempt 2 of 5" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("a network error (ECONNRESET) is retried", async () => {
    const { client, sleeps } = setup();
    const scope = soapPost("get_bug_log", [1090417])
      .replyWithError({ code: "ECONNRESET", message: "socket hang up" })
      .post(PATH, soapEnvelope("get_bug_log", [1090417]))
      .reply(200, bugLogAnswer(1090417), XML_HEADERS);
    expect(await client.getBugLog(1090417)).toEqual(bugLogValue(1090417));
    expect(sleeps).toHaveLength(1);
    expect(client.requests).toEqual({ get_bug_log: 2 });
    expect(scope.isDone()).toBe(true);
  });

  it("when every attempt fails, the error names the method, the bugs (shortened) and the last status", async () => {
    const { client, sleeps } = setup({ retries: 2 });
    const bugs = [1090001, 1090002, 1090003, 1090004, 1090005, 1090006, 1090007];
    const scope = soapPost("get_status", [bugs]).times(3).reply(502, "Bad Gateway");
    await expect(client.getStatus(bugs)).rejects.toThrow(
      new Error("get_status (bugs 1090001, 1090002, 1090003, 1090004, 1090005 and 2 more): HTTP 502 Bad Gateway (gave up after 3 attempts)"),
    );
    expect(sleeps).toHaveLength(2);
    expect(client.requests).toEqual({ get_status: 3 });
    expect(scope.isDone()).toBe(true);
  });

  it("a SOAP fault (sent with HTTP 500, as SOAP::Lite does) is final: no retry, the fault text, method and bug named", async () => {
    const { client, sleeps } = setup();
    const scope = soapPost("get_bug_log", [99999999]).reply(500, FAULT, XML_HEADERS);
    const err = await client.getBugLog(99999999).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SoapError);
    expect((err as Error).message).toBe(
      "get_bug_log (bug 99999999): SOAP fault: Debbugs::Log was unable to be initialized at /usr/share/perl5/Debbugs/SOAP.pm line 240.",
    );
    expect(sleeps).toEqual([]);
    expect(client.requests).toEqual({ get_bug_log: 1 });
    expect(scope.isDone()).toBe(true);
  });

  it("a SOAP fault with HTTP 200 is final as well", async () => {
    const { client, sleeps } = setup();
    const scope = soapPost("get_status", [[1090001, 1090002]]).reply(200, FAULT, XML_HEADERS);
    await expect(client.getStatus([1090001, 1090002])).rejects.toThrow(
      new SoapError("get_status (bugs 1090001, 1090002): SOAP fault: Debbugs::Log was unable to be initialized at /usr/share/perl5/Debbugs/SOAP.pm line 240."),
    );
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("an HTML page with 200 is final and says so", async () => {
    const { client, sleeps } = setup();
    const page = "<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon.</body></html>";
    const scope = soapPost("get_bugs", ["src", "xen"])
      .reply(200, page, { "Content-Type": "text/html; charset=utf-8" })
      .post(PATH, soapEnvelope("get_bugs", ["src", "xen"]))
      .reply(200, page, XML_HEADERS);
    await expect(client.getBugs([["src", "xen"]])).rejects.toThrow(
      new Error("get_bugs (src=xen): got an HTML page instead of a SOAP answer (HTTP 200 OK)"),
    );
    // Also when it is labelled as XML.
    await expect(client.getBugs([["src", "xen"]])).rejects.toThrow(
      new Error("get_bugs (src=xen): got an HTML page instead of a SOAP answer (HTTP 200 OK)"),
    );
    expect(sleeps).toEqual([]);
    expect(client.requests).toEqual({ get_bugs: 2 });
    expect(scope.isDone()).toBe(true);
  });

  it("XML that is not a SOAP answer is final", async () => {
    const { client, sleeps } = setup();
    const scope = soapPost("get_bug_log", [1090417]).reply(200, `<?xml version="1.0"?><error>nope</error>`, XML_HEADERS);
    await expect(client.getBugLog(1090417)).rejects.toThrow(
      new Error("get_bug_log (bug 1090417): not a SOAP answer: no SOAP body in the answer"),
    );
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("a 404 is final", async () => {
    const { client, sleeps } = setup();
    const scope = soapPost("get_bug_log", [1090417]).reply(404, "Not Found");
    await expect(client.getBugLog(1090417)).rejects.toThrow(new Error("get_bug_log (bug 1090417): HTTP 404 Not Found"));
    expect(sleeps).toEqual([]);
    expect(client.requests).toEqual({ get_bug_log: 1 });
    expect(scope.isDone()).toBe(true);
  });

  it("a redirect is not followed (a POST would become a GET) and is final", async () => {
    const { client } = setup();
    const scope = soapPost("get_bug_log", [1090417]).reply(301, "", { Location: "https://bugs.example.org/cgi-bin/soap.cgi" });
    await expect(client.getBugLog(1090417)).rejects.toThrow(
      new Error("get_bug_log (bug 1090417): HTTP 301 Moved Permanently, redirected to https://bugs.example.org/cgi-bin/soap.cgi"),
    );
    expect(scope.isDone()).toBe(true);
  });

  it("never more than maxConcurrent (2) requests in flight, even with 6 getBugLog fired at once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await globalThis.fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const { client } = setup({ fetch: countingFetch });
    const bugs = [1090001, 1090002, 1090003, 1090004, 1090005, 1090006];
    let scope = nock(HOST);
    for (const bug of bugs) scope = scope.post(PATH, soapEnvelope("get_bug_log", [bug])).delay(60).reply(200, bugLogAnswer(bug), XML_HEADERS);

    const logs = await Promise.all(bugs.map((bug) => client.getBugLog(bug)));
    expect(logs).toEqual(bugs.map(bugLogValue));
    expect(maxInFlight).toBe(2);
    expect(client.requests).toEqual({ get_bug_log: 6 });
    expect(scope.isDone()).toBe(true);
  });

  it("the limit holds across methods: getStatus batches and getBugLog calls share it", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await globalThis.fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const { client } = setup({ fetch: countingFetch, maxConcurrent: 3 });
    const scope = nock(HOST)
      .post(PATH, soapEnvelope("get_status", [[1090001]]))
      .delay(60)
      .reply(200, statusAnswer([statusItem(1090001, "xen: first")]), XML_HEADERS)
      .post(PATH, soapEnvelope("get_status", [[1090002]]))
      .delay(60)
      .reply(200, statusAnswer([statusItem(1090002, "xen: second")]), XML_HEADERS);
    for (const bug of [1090003, 1090004, 1090005]) scope.post(PATH, soapEnvelope("get_bug_log", [bug])).delay(60).reply(200, bugLogAnswer(bug), XML_HEADERS);

    const [statuses, ...logs] = await Promise.all([
      client.getStatus([1090001, 1090002], 1),
      client.getBugLog(1090003),
      client.getBugLog(1090004),
      client.getBugLog(1090005),
    ]);
    expect(statuses).toEqual({ statuses: [status(1090001, "xen: first"), status(1090002, "xen: second")], problems: [] });
    expect(logs).toEqual([1090003, 1090004, 1090005].map(bugLogValue));
    expect(maxInFlight).toBe(3);
    expect(client.requests).toEqual({ get_status: 2, get_bug_log: 3 });
    expect(scope.isDone()).toBe(true);
  });
});
