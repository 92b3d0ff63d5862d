/**
 * Bad input, one case at a time (the issue's list): each gives a clear error naming the source and the
 * position, every good message around it is kept, the exit status is 3 (1 when nothing could be read),
 * and nothing crashes, hangs or holds the whole input in memory. Inputs are built in a temp folder.
 */
import { collect } from "../helpers/collect.js";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import nock from "nock";
import { ingest, ingestExitCode, type IngestResult } from "../../src/pipeline/ingest.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";

const TMP = mkdtempSync(join(tmpdir(), "xen-triage-bad-input-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

let cases = 0;
/** A fresh folder for one test's inputs. */
const caseDir = (): string => {
  const dir = join(TMP, `case-${++cases}`);
  mkdirSync(dir);
  return dir;
};

interface Mail {
  subject: string;
  id: string;
  /** Extra header lines, after Message-ID. */
  headers?: string[];
  /** Body text; each line ends with a newline. */
  body?: string;
}

/** One mbox entry: separator, headers, body, and the blank line that ends it. */
function mbox(m: Mail, minute = 0): string {
  const from = "ada.greenhill@example.org";
  const mm = String(minute % 60).padStart(2, "0");
  return (
    [
      `From ${from} Mon Feb 12 10:${mm}:00 2024`,
      `From: Ada Greenhill <${from}>`,
      "To: pkg-xen-devel@lists.alioth.debian.org",
      `Subject: ${m.subject}`,
      `Date: Mon, 12 Feb 2024 10:${mm}:00 +0000`,
      `Message-ID: <${m.id}>`,
      ...(m.headers ?? []),
      "",
      (m.body ?? "Hi,\n\nthe hypervisor boots fine here.\n").replace(/\n$/, ""),
      "",
      "",
    ].join("\n")
  );
}

const A: Mail = { subject: "xen-hypervisor-4.17: dom0 does not boot with linux 6.1", id: "a.boot@example.org" };
const B: Mail = { subject: "xendomains does not save guests on shutdown", id: "b.save@example.org" };
const C: Mail = { subject: "qemu-system-xen: VNC console blank after migration", id: "c.vnc@example.org" };

/** The byte offset of each part when the parts are written one after another. */
function offsets(parts: (string | Buffer)[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const p of parts) {
    out.push(at);
    at += typeof p === "string" ? Buffer.byteLength(p) : p.length;
  }
  return out;
}

function write(dir: string, name: string, parts: (string | Buffer)[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))));
  return path;
}

/** Deterministic pseudo-random bytes (mulberry32), so that the expected reasons are fixed. */
function garbage(length: number, seed: number): Buffer {
  let s = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

interface Outcome {
  result: IngestResult;
  exit: 0 | 1 | 3;
  /** Subjects of the stored messages, sorted. */
  subjects: string[];
}

async function run(sources: string[], inspect?: (store: SqliteStore) => Promise<void>): Promise<Outcome> {
  const store = openSqliteStore(":memory:");
  try {
    const result = await ingest(sources, store);
    const subjects = (await collect(store.messageMetas())).map((m) => m.subject).sort();
    await inspect?.(store);
    return { result, exit: ingestExitCode(result), subjects };
  } finally {
    await store.close();
  }
}

const sorted = (...mails: Mail[]): string[] => mails.map((m) => m.subject).sort();

test("truncated gzip: the messages before the cut are kept, the cut one is named by message number and byte; the next source is read", async () => {
  const dir = caseDir();
  const mails = Array.from({ length: 400 }, (_, i) => ({
    subject: `xen-tools: build log ${i}`,
    id: `log-${i}@example.org`,
    body: `Build ${i} of xen-tools.\n${`make[${i % 7}]: Entering directory '/build/xen/tools/libs/${i}'\n`.repeat(i % 23)}`,
  }));
  const parts = mails.map((m, i) => mbox(m, i));
  const whole = Buffer.from(parts.join(""));
  const gz = gzipSync(whole);
  const cut = gz.subarray(0, Math.floor(gz.length / 2));
  const gzPath = write(dir, "pkg-xen-devel-2024-February.txt.gz", [cut]);
  const after = write(dir, "zz-after.mbox", [mbox(C)]);

  // What the cut file still holds, decompressed (zlib itself, independent of the code under test): the
  // messages whose successor's separator line is complete are whole; the last one started is the damaged one.
  const readable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).length;
  const starts = offsets(parts);
  const started = starts.filter((off, i) => off + parts[i]!.indexOf("\n") + 1 <= readable).length;
  const kept = started - 1;
  expect(kept).toBeGreaterThan(100);
  expect(kept).toBeLessThan(399);

  expect(await run([gzPath, after])).toEqual({
    result: {
      messages: kept + 1,
      new: kept + 1,
      reports: kept + 1,
      rejected: [
        {
          source: gzPath,
          position: `message ${started}, byte ${starts[started - 1]}`,
          reason: "gzip data ends early (truncated file); the messages before it were kept",
        },
      ],
      unreadable: 0,
      sources: 2,
    },
    exit: 3,
    subjects: [...mails.slice(0, kept).map((m) => m.subject), C.subject].sort(),
  });
});

test("binary garbage in place of a message: rejected with its number and byte, the messages around it kept", async () => {
  const dir = caseDir();
  const parts = [mbox(A, 1), "From MAILER-DAEMON Mon Feb 12 10:02:00 2024\n", garbage(2000, 7), "\n\n", mbox(B, 3)];
  const path = write(dir, "spool.mbox", parts);
  const at = offsets(parts);
  expect(await run([path])).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [{ source: path, position: `message 2, byte ${at[1]}`, reason: "binary data in header line 1" }],
      unreadable: 0,
      sources: 1,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
});

test("a file of random binary bytes: rejected as message 1 at byte 0; nothing read, exit 1", async () => {
  const dir = caseDir();
  const bytes = garbage(64 * 1024, 2024);
  expect(bytes.subarray(0, 2).toString("hex")).not.toBe("1f8b"); // not a gzip by chance
  const path = write(dir, "core.bin", [bytes]);
  expect(await run([path])).toEqual({
    result: {
      messages: 0,
      new: 0,
      reports: 0,
      rejected: [{ source: path, position: "message 1, byte 0", reason: "binary data in header line 1" }],
      unreadable: 1,
      sources: 1,
    },
    exit: 1,
    subjects: [],
  });
});

test("an empty file alone: 'empty: no messages' at byte 0, exit 1", async () => {
  const dir = caseDir();
  const path = write(dir, "2024-March.txt", []);
  expect(await run([path])).toEqual({
    result: {
      messages: 0,
      new: 0,
      reports: 0,
      rejected: [{ source: path, position: "byte 0", reason: "empty: no messages" }],
      unreadable: 1,
      sources: 1,
    },
    exit: 1,
    subjects: [],
  });
});

test("an empty file between two good files: rejected, both good files read, exit 3", async () => {
  const dir = caseDir();
  const before = write(dir, "2024-February.txt", [mbox(A), mbox(B, 1)]);
  const empty = write(dir, "2024-March.txt", []);
  const after = write(dir, "2024-April.txt", [mbox(C, 2)]);
  expect(await run([before, empty, after])).toEqual({
    result: {
      messages: 3,
      new: 3,
      reports: 3,
      rejected: [{ source: empty, position: "byte 0", reason: "empty: no messages" }],
      unreadable: 1,
      sources: 3,
    },
    exit: 3,
    subjects: sorted(A, B, C),
  });
});

test("messages with no headers (a blank line, or body text, right after the separator): each rejected by number and byte", async () => {
  const dir = caseDir();
  const fragment = "(XEN) d3v0 Triple fault - invoking HVM shutdown action 1\nthe mail this belonged to was cut off\n\n";
  const parts = [
    mbox(A, 1),
    "From MAILER-DAEMON Mon Feb 12 10:02:00 2024\n\n" + fragment,
    mbox(B, 3),
    "From MAILER-DAEMON Mon Feb 12 10:04:00 2024\n" + fragment,
    mbox(C, 5),
  ];
  const path = write(dir, "broken.mbox", parts);
  const at = offsets(parts);
  expect(await run([path])).toEqual({
    result: {
      messages: 3,
      new: 3,
      reports: 3,
      rejected: [
        { source: path, position: `message 2, byte ${at[1]}`, reason: "no mail headers" },
        { source: path, position: `message 4, byte ${at[3]}`, reason: "no mail headers (the message starts with body text)" },
      ],
      unreadable: 0,
      sources: 1,
    },
    exit: 3,
    subjects: sorted(A, B, C),
  });
});

test("a 50 MB message: skipped by the 32 MiB limit with its size, the next message kept, memory and time bounded", async () => {
  const dir = caseDir();
  const path = join(dir, "huge.mbox");
  const t0 = Date.now();
  const bigHead = [
    "From ada.greenhill@example.org Mon Feb 12 10:01:00 2024",
    "From: Ada Greenhill <ada.greenhill@example.org>",
    "Subject: full xl dmesg and a core dump",
    "Message-ID: <huge@example.org>",
    "Content-Type: text/plain",
    "",
    "",
  ].join("\n");
  const line = `${"0123456789abcdef".repeat(4)}0123456789ab\n`; // 77 bytes
  const block = Buffer.from(line.repeat(851)); // 65527 bytes
  const blocks = Math.ceil((50 * 1024 * 1024) / block.length);
  const out = createWriteStream(path);
  const put = async (chunk: string | Buffer): Promise<void> => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  };
  const first = mbox(A);
  await put(first);
  await put(bigHead);
  for (let i = 0; i < blocks; i++) await put(block);
  await put("\n");
  await put(mbox(B, 2));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  // Everything after the separator line up to the next separator.
  const size = Buffer.byteLength(bigHead) - bigHead.indexOf("\n") - 1 + blocks * block.length + 1;
  expect(size).toBeGreaterThan(50 * 1024 * 1024);

  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  let outcome: Outcome;
  try {
    outcome = await run([path]);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);

  expect(outcome).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [
        {
          source: path,
          position: `message 2, byte ${Buffer.byteLength(first)}`,
          reason: `message larger than 33554432 bytes (${size} bytes), skipped`,
        },
      ],
      unreadable: 0,
      sources: 1,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
  expect(peak - rssBefore).toBeLessThan(200 * 1024 * 1024);
  expect(Date.now() - t0).toBeLessThan(10_000);
});

test.each([
  [
    "long Received: lines: rejected by the header size limit",
    (i: number) => `Received: from relay${i}.example.net (relay${i}.example.net [198.51.100.${i % 256}]) by mx.example.org`,
    "header block larger than 524288 bytes",
  ],
  ["short Received: lines: rejected by the header line limit", (i: number) => `Received: by r${i}`, "header block has more than 5000 lines"],
])("a header of 20,000 %s, both neighbours kept", async (_name, line, reason) => {
  const dir = caseDir();
  const loop = [
    "From loop@example.net Mon Feb 12 10:01:00 2024",
    ...Array.from({ length: 20_000 }, (_, i) => line(i)),
    "From: loop@example.net",
    "Subject: mail loop",
    "Message-ID: <loop@example.net>",
    "",
    "looping",
    "",
    "",
  ].join("\n");
  const parts = [mbox(A), loop, mbox(B, 2)];
  const path = write(dir, "loop.mbox", parts);
  const at = offsets(parts);
  expect(await run([path])).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [{ source: path, position: `message 2, byte ${at[1]}`, reason }],
      unreadable: 0,
      sources: 1,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
});

test("an unknown charset: the message is kept with a warning (not a rejection), exit 0", async () => {
  const dir = caseDir();
  const utf8: Mail = {
    subject: "xen-utils: café in the domain name breaks xl list",
    id: "klingon.utf8@example.org",
    headers: ["MIME-Version: 1.0", "Content-Type: text/plain; charset=x-klingon"],
    body: "The domain is called café.\n",
  };
  const latin1: Mail = {
    subject: "xen-utils: the same with a Latin-1 body",
    id: "klingon.latin1@example.org",
    headers: ["MIME-Version: 1.0", "Content-Type: text/plain; charset=x-klingon"],
    body: "The domain is called caf\u00e9.\n",
  };
  const latin1Entry = Buffer.from(mbox(latin1, 2), "latin1");
  const path = write(dir, "charsets.mbox", [mbox(A), mbox(utf8, 1), latin1Entry, mbox(B, 3)]);
  const seen: Record<string, { body: string; warnings: string[] }> = {};
  const outcome = await run([path], async (store) => {
    for (const m of [utf8, latin1]) {
      const report = await store.getReport(`thread:${m.id}`);
      const stored = report?.messages.find((x) => x.id === m.id);
      seen[m.id] = { body: stored?.body ?? "(not stored)", warnings: stored?.warnings ?? [] };
    }
  });
  expect(outcome).toEqual({
    result: { messages: 4, new: 4, reports: 4, rejected: [], unreadable: 0, sources: 1 },
    exit: 0,
    subjects: sorted(A, B, utf8, latin1),
  });
  expect(seen).toEqual({
    [utf8.id]: { body: "The domain is called café.\n\n", warnings: ['unknown charset "x-klingon"; decoded as UTF-8'] },
    [latin1.id]: { body: "The domain is called café.\n\n", warnings: ['unknown charset "x-klingon"; decoded as Windows-1252'] },
  });
});

test("a file that is not there, alone: 'no such file or folder', exit 1", async () => {
  const dir = caseDir();
  const missing = join(dir, "2024-February.txt.gz");
  expect(await run([missing])).toEqual({
    result: {
      messages: 0,
      new: 0,
      reports: 0,
      rejected: [{ source: missing, position: "file", reason: "no such file or folder" }],
      unreadable: 1,
      sources: 1,
    },
    exit: 1,
    subjects: [],
  });
});

test("a file that is not there, given with a good one: the good one is read, exit 3", async () => {
  const dir = caseDir();
  const missing = join(dir, "2024-January.txt");
  const good = write(dir, "2024-February.txt", [mbox(A), mbox(B, 1)]);
  expect(await run([missing, good])).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [{ source: missing, position: "file", reason: "no such file or folder" }],
      unreadable: 1,
      sources: 2,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
});

test("a folder with one good and one garbage file: the garbage file is rejected, the good one read, exit 3", async () => {
  const dir = caseDir();
  const folder = join(dir, "archive");
  mkdirSync(folder);
  const good = write(folder, "2024-February.txt", [mbox(A), mbox(B, 1)]);
  const bad = write(folder, "2024-March.txt", [garbage(4096, 99)]);
  expect(await run([folder])).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [{ source: bad, position: "message 1, byte 0", reason: "binary data in header line 1" }],
      unreadable: 1,
      sources: 2,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
  expect(good < bad).toBe(true); // read in name order
});

// Regression test, fixed: (src/sources/mbox-split.ts, splitMbox): when the first line is longer than MAX_LINE (1 MiB, e.g. a
// spool whose start was zero-filled by a crash), the giant-line branch calls begin(consumed, null)
// without setting `sawAnything`; at the first newline `if (!sawAnything) { ... begin(0, null) }` begins
// message 1 a second time. Every message number in the file is one too high (the garbage is "message 2",
// the next rejection "message 4" instead of "message 3"), and the bytes already collected are dropped.
test("a file whose first 3 MiB are NUL bytes, then mail: positions still count from message 1", async () => {
  const dir = caseDir();
  const headless = "From MAILER-DAEMON Mon Feb 12 10:02:00 2024\n\nno headers\n\n";
  const parts = [Buffer.alloc(3 << 20), "\n\n", mbox(A, 1), headless, mbox(B, 3)];
  const path = write(dir, "zeroed.mbox", parts);
  const at = offsets(parts);
  expect(await run([path])).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [
        { source: path, position: "message 1, byte 0", reason: "header block larger than 524288 bytes" },
        { source: path, position: `message 3, byte ${at[3]}`, reason: "no mail headers" },
      ],
      unreadable: 0,
      sources: 1,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
});

// Regression test, fixed: (src/sources/mbox-split.ts, splitMbox): a file that starts with a blank line begins a bare
// message at byte 0 (`begin(0, null)`, index 1) that finish() then drops as white space, but the
// index is not given back, so the first real message is "message 2" and every later number is off by one.
test("a blank line before the first separator does not shift the message numbers", async () => {
  const dir = caseDir();
  const headless = "From MAILER-DAEMON Mon Feb 12 10:02:00 2024\n\nno headers\n\n";
  const parts = ["\n", mbox(A, 1), headless, mbox(B, 3)];
  const path = write(dir, "leading-blank.mbox", parts);
  const at = offsets(parts);
  expect(await run([path])).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [{ source: path, position: `message 2, byte ${at[2]}`, reason: "no mail headers" }],
      unreadable: 0,
      sources: 1,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
});

// Regression test, fixed: (src/sources/mbox-split.ts, splitMbox): when the stream starts with "From " but its first line is
// not a separator, `if (!sawAnything) { ...; if (!startsWith(complete, 0, FROM)) begin(0, null); }` begins
// no message; when a separator then follows in the same read chunk, `if (started) { append(...) }` is
// skipped and begin() starts the next message, so the text before it vanishes: no message, no rejection,
// and the numbering starts at the first real separator. (Read in smaller chunks, the same text comes out
// as a bare message, because the `if (!started) begin(...)` after the loop catches it.)
test("a first line 'From ...' that is not a separator is reported as message 1, not dropped", async () => {
  const dir = caseDir();
  const first = "From nobody Mon, 12 Feb 2024 09:00:00 +0000\nsaved by a mail client that writes its own separator\n\n";
  const headless = "From MAILER-DAEMON Mon Feb 12 10:02:00 2024\n\nno headers\n\n";
  const parts = [first, mbox(A, 1), headless, mbox(B, 3)];
  const path = write(dir, "odd-first-line.mbox", parts);
  const at = offsets(parts);
  expect(await run([path])).toEqual({
    result: {
      messages: 2,
      new: 2,
      reports: 2,
      rejected: [
        { source: path, position: "message 1, byte 0", reason: "no mail headers (the message starts with body text)" },
        { source: path, position: `message 3, byte ${at[2]}`, reason: "no mail headers" },
      ],
      unreadable: 0,
      sources: 1,
    },
    exit: 3,
    subjects: sorted(A, B),
  });
});

// Regression test, fixed: (src/pipeline/ingest.ts, describeStreamError): zlib's "unknown compression method" (a file that
// starts with the gzip magic 1f 8b but is not gzip) matches neither pattern, so the reason does not say
// that gzip is involved at all: "unknown compression method; messages before it were kept".
test("a file that starts with the gzip magic but is not gzip: the reason names corrupt gzip data", async () => {
  const dir = caseDir();
  const path = write(dir, "2024-February.txt.gz", [Buffer.from([0x1f, 0x8b]), mbox(A)]);
  expect(await run([path])).toEqual({
    result: {
      messages: 0,
      new: 0,
      reports: 0,
      rejected: [
        {
          source: path,
          position: "message 1, byte 0",
          reason: "corrupt gzip data (unknown compression method)",
        },
      ],
      unreadable: 1,
      sources: 1,
    },
    exit: 1,
    subjects: [],
  });
});

// Regression test, fixed: (src/pipeline/ingest.ts): a folder with no files in it yields no inputs, so the loop over them
// never runs: nothing is counted, nothing rejected, and the exit status is 0 although nothing was read.
// An empty file gives "empty: no messages" and exit 1; an empty folder should too (reason to be chosen).
test("an empty folder: rejected as holding nothing, exit 1", async () => {
  const dir = caseDir();
  const folder = join(dir, "archive");
  mkdirSync(folder);
  const { result, exit } = await run([folder]);
  expect({ exit, sources: result.rejected.map((r) => r.source), messages: result.messages }).toEqual({
    exit: 1,
    sources: [folder],
    messages: 0,
  });
});

describe("pipermail URLs", () => {
  const HOST = "https://lists.example.org";
  const LIST = "/pipermail/pkg-xen-devel/";
  const FEB = `${HOST}${LIST}2024-February.txt.gz`;
  const MAR = `${HOST}${LIST}2024-March.txt.gz`;
  const PAGE = '<!DOCTYPE html>\n<html><head><title>Log in</title></head><body><form action="/login"></form></body></html>\n';

  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  test("a month that answers 404, alone: rejected as a failed request, exit 1", async () => {
    const scope = nock(HOST).get(`${LIST}2024-February.txt.gz`).reply(404, "Not Found", { "Content-Type": "text/plain" });
    expect(await run([FEB])).toEqual({
      result: {
        messages: 0,
        new: 0,
        reports: 0,
        rejected: [{ source: FEB, position: "request", reason: `${FEB}: HTTP 404 Not Found` }],
        unreadable: 1,
        sources: 1,
      },
      exit: 1,
      subjects: [],
    });
    expect(scope.isDone()).toBe(true);
  });

  test("a month that answers an HTML page, alone: rejected as not an archive, exit 1", async () => {
    const scope = nock(HOST).get(`${LIST}2024-March.txt.gz`).reply(200, PAGE, { "Content-Type": "text/html; charset=utf-8" });
    expect(await run([MAR])).toEqual({
      result: {
        messages: 0,
        new: 0,
        reports: 0,
        rejected: [{ source: MAR, position: "request", reason: `${MAR}: got an HTML page instead of a mail archive` }],
        unreadable: 1,
        sources: 1,
      },
      exit: 1,
      subjects: [],
    });
    expect(scope.isDone()).toBe(true);
  });

  test("an HTML page served as application/x-gzip is told by its first bytes, exit 1", async () => {
    const scope = nock(HOST).get(`${LIST}2024-March.txt.gz`).reply(200, PAGE, { "Content-Type": "application/x-gzip" });
    expect(await run([MAR])).toEqual({
      result: {
        messages: 0,
        new: 0,
        reports: 0,
        rejected: [{ source: MAR, position: "request", reason: `${MAR}: got an HTML page instead of a mail archive` }],
        unreadable: 1,
        sources: 1,
      },
      exit: 1,
      subjects: [],
    });
    expect(scope.isDone()).toBe(true);
  });

  test("the 404 and the HTML month with a good local file: both rejected, the file read, exit 3", async () => {
    const dir = caseDir();
    const good = write(dir, "2024-January.txt", [mbox(A), mbox(B, 1)]);
    const scope = nock(HOST)
      .get(`${LIST}2024-February.txt.gz`)
      .reply(404, "Not Found", { "Content-Type": "text/plain" })
      .get(`${LIST}2024-March.txt.gz`)
      .reply(200, PAGE, { "Content-Type": "text/html" });
    expect(await run([FEB, good, MAR])).toEqual({
      result: {
        messages: 2,
        new: 2,
        reports: 2,
        rejected: [
          { source: FEB, position: "request", reason: `${FEB}: HTTP 404 Not Found` },
          { source: MAR, position: "request", reason: `${MAR}: got an HTML page instead of a mail archive` },
        ],
        unreadable: 2,
        sources: 3,
      },
      exit: 3,
      subjects: sorted(A, B),
    });
    expect(scope.isDone()).toBe(true);
  });

  // Regression test, fixed: (src/sources/gunzip-if-needed.ts): the gzip magic is looked for in the first non-empty chunk only
  // (`head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b`). When the server's first chunk holds one
  // byte, the month's gzip bytes go to the splitter undecompressed and the whole month is rejected as
  // binary garbage ("binary data in header line 1"), exit 1, though every message in it is good.
  test("a gzip month whose first network chunk is a single byte is still read", async () => {
    const gz = gzipSync(mbox(A) + mbox(B, 1));
    const body = new PassThrough();
    const scope = nock(HOST).get(`${LIST}2024-February.txt.gz`).reply(200, () => body, { "Content-Type": "application/x-gzip" });
    body.write(gz.subarray(0, 1));
    setTimeout(() => body.end(gz.subarray(1)), 50);
    expect(await run([FEB])).toEqual({
      result: { messages: 2, new: 2, reports: 2, rejected: [], unreadable: 0, sources: 1 },
      exit: 0,
      subjects: sorted(A, B),
    });
    expect(scope.isDone()).toBe(true);
  });
});
