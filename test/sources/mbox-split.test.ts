import { gzipSync } from "node:zlib";
import { StreamError, separatorDate, splitMbox } from "../../src/sources/mbox-split.js";
import { gunzipIfNeeded } from "../../src/sources/gunzip-if-needed.js";
import { splitAll, view } from "../helpers/split.js";

const mbox = [
  "From ada.greenhill at example.org  Mon Mar  3 10:15:02 2025",
  "From: ada.greenhill at example.org (Ada Greenhill)",
  "Subject: one",
  "",
  "From my side this is body: no blank line before it.",
  "",
  "From my side this is body too: no date at the end.",
  ">From the archive, quoted by mboxrd.",
  ">>From twice quoted.",
  "",
  "From tomas@example.net Tue Mar  4 08:00:00 2025",
  "From: tomas@example.net",
  "Subject: two",
  "",
  "Body two.",
  "",
].join("\n");

test("splits at separators after a blank line, keeps From lines that are body, unquotes >From", async () => {
  expect(view(await splitAll(Buffer.from(mbox)))).toEqual([
    {
      index: 1,
      offset: 0,
      separator: "From ada.greenhill at example.org  Mon Mar  3 10:15:02 2025",
      raw:
        "From: ada.greenhill at example.org (Ada Greenhill)\nSubject: one\n\nFrom my side this is body: no blank line before it.\n\n" +
        "From my side this is body too: no date at the end.\nFrom the archive, quoted by mboxrd.\n>From twice quoted.\n\n",
    },
    {
      index: 2,
      offset: mbox.indexOf("From tomas"),
      separator: "From tomas@example.net Tue Mar  4 08:00:00 2025",
      raw: "From: tomas@example.net\nSubject: two\n\nBody two.\n",
    },
  ]);
});

test("gives the same messages whatever the chunk boundaries", async () => {
  const whole = view(await splitAll(Buffer.from(mbox)));
  for (const sizes of [[1], [2, 3], [7], [13, 1, 64], [mbox.length - 1]]) {
    expect(view(await splitAll(Buffer.from(mbox), sizes))).toEqual(whole);
  }
});

test("CRLF files split the same way, separators without their CR", async () => {
  const crlf = Buffer.from(mbox.replace(/\n/g, "\r\n"));
  const items = view(await splitAll(crlf, [5, 11]));
  expect(items.map((m) => (m as { separator: string }).separator)).toEqual([
    "From ada.greenhill at example.org  Mon Mar  3 10:15:02 2025",
    "From tomas@example.net Tue Mar  4 08:00:00 2025",
  ]);
  expect((items[1] as { raw: string }).raw).toBe("From: tomas@example.net\r\nSubject: two\r\n\r\nBody two.\r\n");
});

test("gzip is detected by its magic bytes", async () => {
  expect(view(await splitAll(gzipSync(Buffer.from(mbox)), [100]))).toEqual(view(await splitAll(Buffer.from(mbox))));
});

test("a truncated gzip yields the messages before the damage, then throws with the position", async () => {
  const many = Array.from({ length: 2000 }, (_, i) => `From a@example.org Mon Mar  3 10:15:02 2025\nSubject: m${i}\n\n${(i * 7919).toString(36).repeat(i % 17)}\n\n`).join("");
  const gz = gzipSync(Buffer.from(many));
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  async function* once(): AsyncGenerator<Buffer> {
    yield cut;
  }
  const seen: number[] = [];
  let error: unknown;
  try {
    for await (const m of splitMbox(gunzipIfNeeded(once()))) seen.push(m.index);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(StreamError);
  expect((error as StreamError).message).toBe("gzip data ends early (truncated file)");
  // Every message before the damage came out, in order; the damaged one is named.
  expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
  expect(seen.length).toBeGreaterThan(500);
  expect((error as StreamError).index).toBe(seen.length + 1);
});

test("a file without separators is one message; an empty file is none", async () => {
  expect(view(await splitAll(Buffer.from("From: a@example.org\nSubject: eml\n\nbody\n")))).toEqual([
    { index: 1, offset: 0, separator: null, raw: "From: a@example.org\nSubject: eml\n\nbody\n" },
  ]);
  expect(await splitAll(Buffer.alloc(0))).toEqual([]);
});

test("a message over the size limit is skipped and reported, the next one kept", async () => {
  const big = `From a@example.org Mon Mar  3 10:15:02 2025\nSubject: big\n\n${"x".repeat(5000)}\n\nFrom b@example.org Mon Mar  3 10:15:03 2025\nSubject: small\n\nok\n`;
  expect(view(await splitAll(Buffer.from(big), [100], 1000))).toEqual([
    { kind: "rejected", index: 1, offset: 0, reason: "message larger than 1000 bytes (5016 bytes), skipped" },
    { index: 2, offset: big.indexOf("From b@"), separator: "From b@example.org Mon Mar  3 10:15:03 2025", raw: "Subject: small\n\nok\n" },
  ]);
});

test.each([
  ["From maxi at daemonizer.de  Sun Feb 11 14:00:41 2024", "Sun Feb 11 14:00:41 2024"],
  ["From MAILER-DAEMON Fri Jan 17 08:36:09 2020", "Fri Jan 17 08:36:09 2020"],
  ["From mboxrd@z Thu Jan  1 00:00:00 1970", "Thu Jan  1 00:00:00 1970"],
  ["From someone@example.org Tue Jan 14 09:12:44 2025 +0100", "Tue Jan 14 09:12:44 2025"],
  ["From my side this looks fine", null],
  ["From: header@example.org", null],
])("separatorDate(%j)", (line, date) => {
  expect(separatorDate(line)).toBe(date);
});
