/**
 * Property-based tests over mutated mboxes: well-formed messages (arbitrary subjects and bodies, unique
 * Message-IDs, LF or CRLF, `From ` body lines quoted mboxrd-style) interleaved with broken chunks (random
 * bytes with NULs, `From ` lines without a date, messages without headers, truncated headers, stray
 * `>From` lines, separators with no known header), each ending in a blank line, a bare line end or in
 * mid-line; written to a temp file (gzipped or not) and ingested.
 *
 * The expected outcome is worked out from the bytes as built, not from the code under test: a line that
 * begins with `From ` and ends in an asctime date is a separator at the start of the file or after a blank
 * line, and starts an item (a message, or a rejection); bytes before the first separator are one more
 * item unless they are only white space. A well-formed message is owed to the store whenever its own
 * separator counts, that is whenever a blank line precedes it. */
import { collect } from "../helpers/collect.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import type { Message } from "../../src/mail/message.js";
import { ingest, ingestExitCode } from "../../src/pipeline/ingest.js";
import { separatorDate } from "../../src/sources/mbox-split.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { splitAll, view } from "../helpers/split.js";

const TMP = mkdtempSync(join(tmpdir(), "xen-triage-ingest-property-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** FC_RUNS=<n> runs the properties longer (bug hunting); 150 keeps the suite fast. */
const NUM_RUNS = Number(process.env.FC_RUNS ?? 150);
/** FC_SEED=<seed> FC_PATH=<path> replays a reported counterexample. */
const replay = process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) } : {};

// ---------------------------------------------------------------------------------------------------
// Generators

/**
 * Safe printable text: no ':' (so no body line reads as a `Control:` pseudo-header and no subject as a
 * BTS "Processed:" transcript), no '=' (no RFC 2047 encoded words); a few non-ASCII letters.
 */
const SAFE = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;!?'()[]/_-+*<>#@", "é", "ü", "ß", "—", "λ"];
const text = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...SAFE), maxLength });
const word = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789.-_"), minLength: 1, maxLength: 12 });

/** A body line: plain text, or one that an mbox writer must quote (`From `, `>From `). */
const bodyLine = fc.oneof(
  { arbitrary: text(70), weight: 6 },
  { arbitrary: text(40).map((t) => `From ${t}`), weight: 1 },
  { arbitrary: text(40).map((t) => `>From ${t}`), weight: 1 },
  { arbitrary: fc.constant("From maxi at example.org  Mon Feb 12 10:00:00 2024"), weight: 1 },
);

interface GoodSpec {
  kind: "good";
  subject: string;
  /** A second subject line, folded onto the first. */
  subjectFold: string | null;
  body: string[];
  crlf: boolean;
  /** `From dev at example.org  Mon ...` separators, as pipermail writes them. */
  pipermail: boolean;
  /** Folded Received: and DKIM-Signature: headers before the others. */
  trace: boolean;
}

const goodSpec: fc.Arbitrary<GoodSpec> = fc.record({
  kind: fc.constant("good" as const),
  subject: text(60),
  subjectFold: fc.option(text(30), { freq: 4 }),
  body: fc.array(bodyLine, { maxLength: 6 }),
  crlf: fc.boolean(),
  pipermail: fc.boolean(),
  trace: fc.boolean(),
});

const TRACE = [
  "Received: from relay.example.net (relay.example.net [198.51.100.7])",
  "\tby mx.example.org (Postfix) with ESMTPS id 4TYk2x0Qz;",
  "\tMon, 12 Feb 2024 10:00:00 +0000 (UTC)",
  "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=mail;",
  " h=From:To:Subject:Date:Message-ID; b=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==",
];

/** The subject a reader should see: the folded lines joined, white space collapsed. */
const expectedSubject = (spec: GoodSpec): string =>
  (spec.subjectFold === null ? spec.subject : `${spec.subject} ${spec.subjectFold}`).replace(/\s+/g, " ").trim();

type Ending = "blank" | "newline" | "none";

interface BrokenSpec {
  kind: "broken";
  label: string;
  /** Starts with a separator line. */
  separated: boolean;
  content: Buffer;
  /** How the chunk ends: with a blank line, a bare line end, or in the middle of a line. */
  ending: Ending;
  crlf: boolean;
}

const SEP_BROKEN = "From MAILER-DAEMON Mon Feb 12 09:59:59 2024";

const lines = (xs: string[], crlf: boolean): Buffer => Buffer.from(xs.join(crlf ? "\r\n" : "\n"));

const brokenBody = fc.record({
  ending: fc.oneof(
    { arbitrary: fc.constant<Ending>("blank"), weight: 3 },
    { arbitrary: fc.constant<Ending>("newline"), weight: 1 },
    { arbitrary: fc.constant<Ending>("none"), weight: 1 },
  ),
  crlf: fc.boolean(),
});

const brokenSpec: fc.Arbitrary<BrokenSpec> = fc.oneof(
  // Random bytes, NULs included; with or without a separator in front.
  fc
    .record({ bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }), nul: fc.nat(299), separated: fc.boolean(), end: brokenBody })
    .map(({ bytes, nul, separated, end }) => {
      const b = Buffer.from(bytes);
      b[nul % b.length] = 0;
      // A plain file that starts with 1f 8b is a gzip file by design; keep random bytes from posing as one.
      if (b[0] === 0x1f) b[0] = 0;
      const content = separated ? Buffer.concat([Buffer.from(`${SEP_BROKEN}${end.crlf ? "\r\n" : "\n"}`), b]) : b;
      return { kind: "broken" as const, label: "random bytes", separated, content, ...end };
    }),
  // `From ` lines that are not separators (no date), maybe with more lines after them.
  fc
    .record({
      first: fc.oneof(word.map((w) => `From ${w}`), word.map((w) => `From ${w} at example.org`), word.map((w) => `From ${w}@example.org Mon Feb 12 2024`)),
      more: fc.array(text(50), { maxLength: 3 }),
      end: brokenBody,
    })
    .map(({ first, more, end }) => ({ kind: "broken" as const, label: "From line without date", separated: false, content: lines([first, ...more], end.crlf), ...end })),
  // A separator and then no headers: a blank line first, or body text straight away.
  fc
    .record({ blankFirst: fc.boolean(), body: fc.array(text(50), { minLength: 1, maxLength: 4 }), end: brokenBody })
    .map(({ blankFirst, body, end }) => ({
      kind: "broken" as const,
      label: "no headers",
      separated: true,
      content: lines([SEP_BROKEN, ...(blankFirst ? [""] : []), ...body], end.crlf),
      ...end,
    })),
  // A message cut off in its headers (its own Message-ID, so it cannot stand in for a good one).
  fc
    .record({ cut: fc.nat(200), id: fc.nat(1_000_000), end: brokenBody })
    .map(({ cut, id, end }) => {
      const whole = lines(
        [SEP_BROKEN, "From: Cut Off <cut@example.org>", "Subject: truncated", "Date: Mon, 12 Feb 2024 09:59:59 +0000", `Message-ID: <cut-${id}@example.org>`],
        end.crlf,
      );
      const sepEnd = whole.indexOf(0x0a) + 1;
      return { kind: "broken" as const, label: "truncated headers", separated: true, content: whole.subarray(0, sepEnd + (cut % (whole.length - sepEnd + 1))), ...end };
    }),
  // Stray quoted `>From` lines (as left by a careless mbox conversion).
  fc
    .record({ n: fc.integer({ min: 1, max: 3 }), w: word, end: brokenBody })
    .map(({ n, w, end }) => ({
      kind: "broken" as const,
      label: ">From lines",
      separated: false,
      content: lines(Array.from({ length: n }, (_, i) => `${">".repeat(i + 1)}From ${w}@example.org Mon Feb 12 10:00:00 2024`), end.crlf),
      ...end,
    })),
  // A separator and headers, but none of From, Date, Subject, Message-ID.
  brokenBody.map((end) => ({
    kind: "broken" as const,
    label: "no known header",
    separated: true,
    content: lines([SEP_BROKEN, "X-Mailer: spool-repair 0.1", "", "recovered fragment"], end.crlf),
    ...end,
  })),
);

type ChunkSpec = GoodSpec | BrokenSpec;

const mboxSpec = fc.record({
  chunks: fc.array(fc.oneof({ arbitrary: goodSpec, weight: 3 }, { arbitrary: brokenSpec, weight: 2 }), { maxLength: 10 }),
  gzip: fc.boolean(),
});

// ---------------------------------------------------------------------------------------------------
// Building the file, and what ingesting it must give

/** mboxrd quoting: a body line `From ` or `>From ` (any number of `>`) gains one `>`. */
const quote = (line: string): string => (/^>*From /.test(line) ? `>${line}` : line);

interface Built {
  bytes: Buffer;
  chunks: { spec: ChunkSpec; id: string | null; offset: number; bytes: Buffer }[];
}

function build(specs: ChunkSpec[]): Built {
  const chunks: Built["chunks"] = [];
  let offset = 0;
  specs.forEach((spec, i) => {
    let bytes: Buffer;
    let id: string | null = null;
    if (spec.kind === "good") {
      id = `prop-${i}@example.org`;
      const mm = String(i % 60).padStart(2, "0");
      const sender = spec.pipermail ? `dev${i} at example.org ` : `dev${i}@example.org`;
      bytes = lines(
        [
          `From ${sender} Mon Feb 12 10:${mm}:00 2024`,
          ...(spec.trace ? TRACE : []),
          `From: Dev ${i} <dev${i}@example.org>`,
          "To: pkg-xen-devel@lists.alioth.debian.org",
          `Subject: ${spec.subject}`,
          ...(spec.subjectFold === null ? [] : [` ${spec.subjectFold}`]),
          `Date: Mon, 12 Feb 2024 10:${mm}:00 +0000`,
          `Message-ID: <${id}>`,
          "MIME-Version: 1.0",
          "Content-Type: text/plain; charset=utf-8",
          "",
          ...spec.body.map(quote),
          "",
          "",
        ],
        spec.crlf,
      );
    } else {
      const eol = spec.crlf ? "\r\n" : "\n";
      const end = spec.ending === "blank" ? eol + eol : spec.ending === "newline" ? eol : "";
      bytes = Buffer.concat([spec.content, Buffer.from(end)]);
    }
    chunks.push({ spec, id, offset, bytes });
    offset += bytes.length;
  });
  return { bytes: Buffer.concat(chunks.map((c) => c.bytes)), chunks };
}

/**
 * The offsets of the separator lines, by the splitter's documented rule applied to the whole file at
 * once: a line that begins with `From ` and ends in an asctime date (`separatorDate`, tested on its own in
 * test/sources/mbox-split.test.ts) is a separator at the start of the file or after a blank line (empty,
 * or a lone CR before the LF). A chunk cut in mid-line can join the next chunk's separator into a longer
 * line that still qualifies; scanning the bytes, rather than trusting the chunk list, counts it.
 * Every separator line generated here ends with a line break.
 */
function separatorOffsets(file: Buffer): number[] {
  const out: number[] = [];
  let prevBlank = true;
  for (let start = 0; start < file.length; ) {
    const nl = file.indexOf(0x0a, start);
    if (nl < 0) break;
    const end = nl > start && file[nl - 1] === 0x0d ? nl - 1 : nl;
    if (prevBlank && separatorDate(file.toString("latin1", start, end)) !== null) out.push(start);
    prevBlank = end === start;
    start = nl + 1;
  }
  return out;
}

const isWhite = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

interface Item {
  index: number;
  offset: number;
  /** The good chunk that starts here, if any. */
  good: number | null;
  /** Where the item ends: the next item's offset, or the end of the file. */
  end: number;
}

/** The bytes before the first separator: a bare message unless they are only white space. */
function preamble(built: Built): Buffer {
  return built.bytes.subarray(0, separatorOffsets(built.bytes)[0] ?? built.bytes.length);
}

/** Every item the file holds, in order: the messages and would-be messages a reader must account for. */
function expectedItems(built: Built): Item[] {
  const seps = separatorOffsets(built.bytes);
  const starts = preamble(built).some((b) => !isWhite(b)) ? [0, ...seps] : seps;
  return starts.map((offset, k) => {
    const good = built.chunks.findIndex((c) => c.spec.kind === "good" && c.offset === offset);
    return { index: k + 1, offset, good: good < 0 ? null : good, end: starts[k + 1] ?? built.bytes.length };
  });
}

/** The body a reader should show for a good message with nothing appended to it. */
const expectedBody = (spec: GoodSpec): string => spec.body.map((l) => `${l}\n`).join("") + "\n";

/** Every stored message, by id (through the reports: every message here belongs to one). */
async function storedMessages(store: ReturnType<typeof openSqliteStore>): Promise<Map<string, Message>> {
  const out = new Map<string, Message>();
  for (const r of await store.listReports()) {
    for (const m of (await store.getReport(r.id))!.messages) out.set(m.id, m);
  }
  return out;
}

let runs = 0;

async function ingestBuilt(built: Built, gzip: boolean) {
  const path = join(TMP, `run-${++runs}.mbox${gzip ? ".gz" : ""}`);
  writeFileSync(path, gzip ? gzipSync(built.bytes) : built.bytes);
  const store = openSqliteStore(":memory:");
  try {
    const result = await ingest([path], store);
    const metas = await collect(store.messageMetas());
    const stored = await storedMessages(store);
    const counts = await store.counts();
    return { path, result, metas, stored, counts };
  } finally {
    await store.close();
    rmSync(path, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Properties

test("ingest never throws, keeps every well-formed message that follows a blank line, and accounts for every chunk", async () => {
  await fc.assert(
    fc.asyncProperty(mboxSpec, async ({ chunks, gzip }) => {
      const built = build(chunks);
      const items = expectedItems(built);
      const { path, result, metas, stored, counts } = await ingestBuilt(built, gzip);

      // Every separated, blank-preceded good message is stored, whole, at its position.
      const ids = new Set(metas.map((m) => m.id));
      for (const item of items) {
        if (item.good === null) continue;
        const chunk = built.chunks[item.good]!;
        const spec = chunk.spec as GoodSpec;
        expect(ids.has(chunk.id!)).toBe(true);
        const m = stored.get(chunk.id!);
        // Nothing was appended to it when the next item starts right where the message ends.
        const intact = item.end === chunk.offset + chunk.bytes.length;
        expect({
          source: m?.source,
          position: m?.position,
          subject: m?.subject,
          ...(intact ? { body: m?.body } : {}),
        }).toEqual({
          source: path,
          position: `message ${item.index}, byte ${item.offset}`,
          subject: expectedSubject(spec),
          ...(intact ? { body: expectedBody(spec) } : {}),
        });
      }

      // Every item is either read or rejected, once; rejections name positions of broken items only.
      const broken = items.filter((it) => it.good === null).map((it) => `message ${it.index}, byte ${it.offset}`);
      const rejected = result.rejected.map((r) => r.position);
      if (items.length === 0) {
        expect(result.rejected).toEqual([{ source: path, position: "byte 0", reason: "empty: no messages" }]);
        expect(result.messages).toBe(0);
      } else {
        expect(result.messages + result.rejected.length).toBe(items.length);
        expect(result.rejected.every((r) => r.source === path && r.reason.length > 0)).toBe(true);
        expect(new Set(rejected).size).toBe(rejected.length);
        expect(rejected.filter((p) => !broken.includes(p))).toEqual([]);
      }
      expect(result.new).toBe(counts.messages);
      expect(result.sources).toBe(1);
      expect(result.unreadable).toBe(result.messages === 0 ? 1 : 0);
      expect(ingestExitCode(result)).toBe(result.rejected.length === 0 ? 0 : result.messages > 0 ? 3 : 1);
      if (chunks.every((c) => c.kind === "good")) {
        expect(result.rejected).toEqual(chunks.length === 0 ? [{ source: path, position: "byte 0", reason: "empty: no messages" }] : []);
        expect(ingestExitCode(result)).toBe(chunks.length === 0 ? 1 : 0);
      }
    }),
    { numRuns: NUM_RUNS, ...replay },
  );
});

test("well-formed messages alone: all stored, none rejected, exit 0", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(goodSpec, { minLength: 1, maxLength: 8 }), fc.boolean(), async (specs, gzip) => {
      const built = build(specs);
      const { result, stored } = await ingestBuilt(built, gzip);
      const { reports, ...rest } = result;
      expect(rest).toEqual({ messages: specs.length, new: specs.length, rejected: [], unreadable: 0, sources: 1 });
      // Arbitrary subjects may thread together, so only the bounds of the report count are known.
      expect(reports).toBeGreaterThanOrEqual(1);
      expect(reports).toBeLessThanOrEqual(specs.length);
      expect(ingestExitCode(result)).toBe(0);
      expect([...stored.keys()].sort()).toEqual(built.chunks.map((c) => c.id!).sort());
      for (const c of built.chunks) expect(stored.get(c.id!)?.body).toBe(expectedBody(c.spec as GoodSpec));
    }),
    { numRuns: NUM_RUNS, ...replay },
  );
});

test("the splitter gives identical messages whatever the chunk sizes it is fed (plain and gzipped)", async () => {
  await fc.assert(
    fc.asyncProperty(
      mboxSpec,
      fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 6 }),
      async ({ chunks, gzip }, sizes) => {
        const built = build(chunks);
          const bytes = gzip ? gzipSync(built.bytes) : built.bytes;
        // A gzip stream whose first chunk is one byte is not recognised (a known bug, shown below).
        const feed = gzip ? [Math.max(2, sizes[0]!), ...sizes.slice(1)] : sizes;
        const whole = view(await splitAll(bytes, [bytes.length + 1]));
        expect(view(await splitAll(bytes, feed))).toEqual(whole);
      },
    ),
    { numRuns: NUM_RUNS, ...replay },
  );
});

// Regression test, fixed: (src/sources/mbox-split.ts, splitMbox, the `blankBefore` computation): after a line longer than
// MAX_LINE (1 MiB) was flushed without its end (`midLine`), a chunk that starts with "\nFrom <date>" takes
// `p === 1` as "a blank line before", although that "\n" only ends the giant line. So a `From ` line right
// after a giant line becomes a separator or not depending on where the read chunks happen to end.
test("the splitter gives identical messages whatever the chunk sizes, also after a line longer than 1 MiB", async () => {
  const head = "From a@example.org Mon Feb 12 10:00:00 2024\nSubject: one\n\n";
  const giant = "B".repeat((2 << 20) + 100);
  const tail = "\nFrom b@example.org Mon Feb 12 10:00:01 2024\nSubject: two\n\nbody\n";
  const bytes = Buffer.from(head + giant + tail);
  const whole = view(await splitAll(bytes, [bytes.length]));
  expect(whole).toHaveLength(1); // the From line does not follow a blank line: it is body
  expect(view(await splitAll(bytes, [head.length, giant.length, 1 << 20]))).toEqual(whole);
});

// Regression test, fixed: (src/sources/mbox-split.ts, splitMbox, the `!sawAnything` branch): a stream that starts with a
// `From ` line that is not a separator begins no message; when a separator follows in the same chunk,
// the text before it is never appended anywhere. Fed whole, the leading text is dropped unreported; fed
// line by line, it is a bare message 1. (Found by the chunk-size property above before it was fenced off.)
test("the splitter keeps a first `From ` line that is not a separator, whatever the chunk sizes", async () => {
  const bytes = Buffer.from(
    "From a@example.org Mon Feb 12 2024\n\nFrom b@example.org Mon Feb 12 10:00:00 2024\nSubject: two\n\nbody\n",
  );
  const expected = [
    { index: 1, offset: 0, separator: null, raw: "From a@example.org Mon Feb 12 2024\n\n" },
    { index: 2, offset: 36, separator: "From b@example.org Mon Feb 12 10:00:00 2024", raw: "Subject: two\n\nbody\n" },
  ];
  expect(view(await splitAll(bytes, [1]))).toEqual(expected);
  expect(view(await splitAll(bytes, [bytes.length]))).toEqual(expected);
});

// Regression test, fixed: (src/sources/gunzip-if-needed.ts): the gzip magic is looked for in the first non-empty chunk only,
// `head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b`; a first chunk of one byte (a trickling HTTP
// body can give one) makes the whole stream pass through undecompressed, to be read as binary garbage.
test("a gzip stream whose first chunk is a single byte is still gunzipped", async () => {
  const text = "From a@example.org Mon Feb 12 10:00:00 2024\nSubject: one\n\nbody\n";
  const expected = [{ index: 1, offset: 0, separator: "From a@example.org Mon Feb 12 10:00:00 2024", raw: "Subject: one\n\nbody\n" }];
  expect(view(await splitAll(gzipSync(text), [1, 4096]))).toEqual(expected);
});

// Regression test, fixed: (src/sources/mbox-split.ts, splitMbox): a file that starts with white space before its first
// separator begins a bare message at byte 0 (index 1) that finish() drops as white space, without giving
// the number back: the first real message is "message 2". The main property above skips such files
// so that it could check every other position exactly; now they are in it too, and this one stays.
test("message numbers start at 1 even when the file starts with blank lines", async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom("\n", "\r\n", "\n\n", "\n\r\n"), fc.array(goodSpec, { minLength: 1, maxLength: 3 }), async (preamble, specs) => {
      const built = build(specs);
      const items = await splitAll(Buffer.concat([Buffer.from(preamble), built.bytes]));
      expect(items.map((m) => m.index)).toEqual(specs.map((_, i) => i + 1));
    }),
    { numRuns: 20 },
  );
});
