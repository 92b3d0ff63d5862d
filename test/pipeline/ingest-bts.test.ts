import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { ingest, ingestExitCode } from "../../src/pipeline/ingest.js";
import { type RecordedAnswer, loadRecordedAnswers, requestKey, startReplayServer } from "../../src/sources/bts/replay-server.js";
import { btsClient } from "../../src/sources/bts/soap-client.js";
import { openSqliteStore } from "../../src/store/sqlite.js";

const fixtures = join(process.cwd(), "fixtures");
const sampleMail = ["pkg-xen-devel-2025-March.txt", "bts-bug-1090233.mbox"].map((f) => join(fixtures, "mbox", f));
const quick = { sleep: async () => {}, backoffMs: 1 };

test("bts:src:xen from a stand-in BTS: state on the reports, logs stored once with the list mail; a second run only asks what changed", async () => {
  const server = await startReplayServer(loadRecordedAnswers(join(fixtures, "bts")));
  const store = openSqliteStore(":memory:");
  try {
    const bts = btsClient({ url: server.url, ...quick });
    const first = await ingest([...sampleMail, "bts:src:xen"], store, { bts });
    // The logs hold 8 + 2 mails; all but none are already known from the archives.
    expect(first).toEqual({ messages: 32, new: 21, reports: 6, rejected: [], unreadable: 0, sources: 3 });
    expect(server.requests).toEqual({ get_bugs: 1, get_status: 1, get_bug_log: 2 });
    const reports = await store.listReports();
    expect(reports.filter((r) => r.bug !== null)).toEqual([
      {
        id: "bug:1090233",
        bug: 1090233,
        title: "xen-utils-4.17: xendomains does not save domUs on shutdown under systemd",
        package: "src:xen",
        state: "done",
        severity: "important",
        topics: [],
        messages: 8,
        mergedWith: [1090417],
        stateFrom: "bts",
        firstDate: "2025-01-14T09:12:38.000Z",
        lastDate: "2025-03-27T15:30:05.000Z",
      },
      {
        id: "bug:1090417",
        bug: 1090417,
        title: "xen-utils-4.19: xendomains fails to save domUs on shutdown",
        package: "src:xen",
        // Merged with 1090233, so closed with it by the upload.
        state: "done",
        severity: "important",
        topics: [],
        messages: 4,
        mergedWith: [1090233],
        stateFrom: "bts",
        firstDate: "2025-03-10T20:04:33.000Z",
        lastDate: "2025-03-12T18:40:02.000Z",
      },
    ]);

    const second = await ingest(["bts:src:xen"], store, { bts });
    expect(second).toEqual({ messages: 0, new: 0, reports: 6, rejected: [], unreadable: 0, sources: 1 });
    expect(server.requests).toEqual({ get_bugs: 2, get_status: 2, get_bug_log: 2 });
  } finally {
    await store.close();
    await server.close();
  }
});

test("with every third request failing with 503, the sync still completes and loses nothing", async () => {
  const server = await startReplayServer(loadRecordedAnswers(join(fixtures, "bts")), { failEvery: 3 });
  const store = openSqliteStore(":memory:");
  try {
    const result = await ingest(["bts:src:xen"], store, { bts: btsClient({ url: server.url, ...quick }) });
    expect(result).toEqual({ messages: 10, new: 10, reports: 2, rejected: [], unreadable: 0, sources: 1 });
    expect(ingestExitCode(result)).toBe(0);
  } finally {
    await store.close();
    await server.close();
  }
});

test("a run cut short (a log that could not be read) is completed by the next run, without duplicates", async () => {
  const answers = loadRecordedAnswers(join(fixtures, "bts"));
  const log1090233 = answers.findIndex((a) => a.method === "get_bug_log" && a.args === "1090233");
  const [held] = answers.splice(log1090233, 1);
  const server = await startReplayServer(answers);
  const store = openSqliteStore(":memory:");
  try {
    const bts = btsClient({ url: server.url, ...quick, retries: 0 });
    const first = await ingest(["bts:src:xen"], store, { bts });
    expect(first.messages).toBe(2);
    expect(first.rejected.map((r) => r.position)).toEqual(["bug 1090233"]);
    answers.push(held!);
    const second = await ingest(["bts:src:xen"], store, { bts });
    expect(second).toEqual({ messages: 8, new: 8, reports: 2, rejected: [], unreadable: 0, sources: 1 });
    expect(server.requests).toEqual({ get_bugs: 2, get_status: 2, get_bug_log: 3 });
    expect((await store.counts()).messages).toBe(10);
  } finally {
    await store.close();
    await server.close();
  }
});

test("a bug the stand-in knows nothing of is named; the others are kept", async () => {
  const server = await startReplayServer(loadRecordedAnswers(join(fixtures, "bts")));
  const store = openSqliteStore(":memory:");
  try {
    const result = await ingest(["bts:bug:1090417", "bts:bug:1999999", "bts:nonsense"], store, { bts: btsClient({ url: server.url, ...quick, retries: 0 }) });
    expect(result.messages).toBe(2);
    expect(result.rejected).toEqual([
      {
        source: "bts:bug:1999999",
        position: "bug 1999999",
        reason: "state not read: get_status (bug 1999999): SOAP fault: no recorded answer for get_status(1999999)",
      },
      {
        source: "bts:bug:1999999",
        position: "bug 1999999",
        reason: "log not read: get_bug_log (bug 1999999): SOAP fault: no recorded answer for get_bug_log(1999999)",
      },
      {
        source: "bts:nonsense",
        position: "source",
        reason: "not a BTS source: give bts:src:NAME, bts:package:NAME or bts:bug:NUMBER",
      },
    ]);
    expect(ingestExitCode(result)).toBe(3);
  } finally {
    await store.close();
    await server.close();
  }
});

// The real service's recorded answers behind the stand-in (when ../shared is there).
const vcr = join(process.cwd(), "..", "shared", "realdata", "python-debianbts-vcr");
const vcrTest = existsSync(vcr) ? test : test.skip;

function recordedAnswers(): RecordedAnswer[] {
  const customTags = [{ tag: "tag:yaml.org,2002:python/unicode", resolve: (s: string) => s }];
  const out: RecordedAnswer[] = [];
  for (const file of readdirSync(vcr).sort()) {
    const doc = YAML.parse(readFileSync(join(vcr, file), "utf8"), { customTags }) as {
      interactions: { request: { body: string }; response: { body: { string: string } } }[];
    };
    for (const it of doc.interactions) out.push({ ...requestKey(it.request.body), body: it.response.body.string });
  }
  return out;
}

vcrTest("the recorded service behind a stand-in failing every third request: mergedWith [486743, 488122] and [433524], and the recorded log", async () => {
  const server = await startReplayServer(recordedAnswers(), { failEvery: 3 });
  const store = openSqliteStore(":memory:");
  try {
    await ingest(["bts:bug:486212", "bts:bug:433550", "bts:bug:570825"], store, { bts: btsClient({ url: server.url, ...quick }) });
    const reports = await store.listReports();
    // 570825 has a recorded log but no recorded state: its log is read all the same (one of its mails
    // went to 570824 as well, which gives that bug a report too).
    expect(reports.map((r) => [r.id, r.mergedWith, r.state, r.messages]).sort()).toEqual([
      ["bug:433550", [433524], "archived", 0],
      ["bug:486212", [486743, 488122], "archived", 0],
      ["bug:570824", [], null, 1],
      // Its log holds the mail that closed it (to 570825-done@).
      ["bug:570825", [], "done", 6],
    ]);
    const log = await store.getReport("bug:570825");
    expect(log!.messages.map((m) => [/^bug 570825, log message \d+$/.test(m.position), m.bugs.includes(570825)])).toEqual(
      Array.from({ length: 6 }, () => [true, true]),
    );
  } finally {
    await store.close();
    await server.close();
  }
});
