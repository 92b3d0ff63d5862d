import { isoString, parseAsctime, parseMailDate } from "../../src/mail/dates.js";

describe("parseMailDate", () => {
  const rows: Array<[string | undefined, string | null]> = [
    // RFC 5322 with numeric zones
    ["Mon, 3 Mar 2025 10:15:02 +0100", "2025-03-03T09:15:02.000Z"],
    ["Sun, 11 Feb 2024 14:00:41 -0500", "2024-02-11T19:00:41.000Z"],
    ["Sun, 31 Dec 2023 23:30:00 -0100", "2024-01-01T00:30:00.000Z"],
    ["Wed, 14 Aug 2024 12:00:00 +0530", "2024-08-14T06:30:00.000Z"],
    ["Wed, 14 Aug 2024 12:00:00 +05:30", "2024-08-14T06:30:00.000Z"],
    ["Mon, 3 Mar 2025 10:15:02 -0000", "2025-03-03T10:15:02.000Z"],
    // named zones
    ["Sun, 11 Feb 2024 14:00:41 GMT", "2024-02-11T14:00:41.000Z"],
    ["Sun, 11 Feb 2024 14:00:41 UT", "2024-02-11T14:00:41.000Z"],
    ["Sun, 11 Feb 2024 14:00:41 CET", "2024-02-11T13:00:41.000Z"],
    ["Sun, 11 Aug 2024 14:00:41 CEST", "2024-08-11T12:00:41.000Z"],
    ["Mon, 03 Mar 2025 10:15:02 PDT", "2025-03-03T17:15:02.000Z"],
    // comments, no weekday, no zone, no seconds, odd spacing, full month names
    ["Sun, 11 Feb 2024 14:00:41 +0100 (CET)", "2024-02-11T13:00:41.000Z"],
    ["Tue, 4 Mar 2025 08:00:00 +0000 (UTC)", "2025-03-04T08:00:00.000Z"],
    ["11 Feb 2024 14:00:41 +0100", "2024-02-11T13:00:41.000Z"],
    ["Sun, 11 Feb 2024 14:00:41", "2024-02-11T14:00:41.000Z"],
    ["Tue, 4 Mar 2025 08:00 +0000", "2025-03-04T08:00:00.000Z"],
    ["Mon,  3 Mar 2025  10:15:02  +0100", "2025-03-03T09:15:02.000Z"],
    ["Monday, 3 March 2025 10:15:02 +0100", "2025-03-03T09:15:02.000Z"],
    ["3-Mar-2025 10:15:02 +0100", "2025-03-03T09:15:02.000Z"],
    // two-digit years (RFC 5322: 00-49 are 20xx, 50-99 are 19xx)
    ["Thu, 5 Mar 98 09:12:00 EST", "1998-03-05T14:12:00.000Z"],
    ["Fri, 7 Jan 05 23:30:00 +0200", "2005-01-07T21:30:00.000Z"],
    // leap day
    ["Thu, 29 Feb 2024 12:00:00 +0000", "2024-02-29T12:00:00.000Z"],
    // asctime, as some mailers and the mbox separator write it
    ["Sun Feb 11 14:00:41 2024", "2024-02-11T14:00:41.000Z"],
    ["Sun Feb  4 14:00:41 2024", "2024-02-04T14:00:41.000Z"],
    // ISO 8601
    ["2024-02-11T14:00:41Z", "2024-02-11T14:00:41.000Z"],
    ["2024-02-11 14:00:41 +0100", "2024-02-11T13:00:41.000Z"],
    // garbage
    ["tomorrow", null],
    ["12", null],
    ["Mon, 3 Foo 2025 10:15:02 +0100", null],
    ["Wed, 29 Feb 2023 12:00:00 +0000", null],
    ["Mon, 31 Feb 2025 10:00:00 +0000", null],
    ["Mon, 3 Mar 2025 25:00:00 +0000", null],
    ["Mon, 3 Mar 2025 10:61:00 +0000", null],
    ["", null],
    [undefined, null],
    // absurd years
    ["Thu, 01 Jan 1970 00:00:00 +0000", null],
    ["Sat, 1 Jan 2150 00:00:00 +0000", null],
    ["Mon, 3 Mar 0205 10:15:02 +0100", null],
    ["Tue, 3 Mar 75 10:15:02 +0100", null],
  ];
  test.each(rows)("%j", (value, expected) => {
    expect(parseMailDate(value)).toEqual(expected);
  });
});

describe("parseAsctime", () => {
  const rows: Array<[string, string | null]> = [
    ["Sun Feb 11 14:00:41 2024", "2024-02-11T14:00:41.000Z"],
    ["Sun Feb  4 14:00:41 2024", "2024-02-04T14:00:41.000Z"],
    ["Mon Mar  3 10:15:02 2025", "2025-03-03T10:15:02.000Z"],
    ["Feb 11 14:00:41 2024", "2024-02-11T14:00:41.000Z"],
    ["Sun Feb 11 14:00 2024", "2024-02-11T14:00:00.000Z"],
    ["Sun Feb 11 14:00:41 CET 2024", "2024-02-11T13:00:41.000Z"],
    ["Sun Feb 11 14:00:41 2024 +0100", "2024-02-11T13:00:41.000Z"],
    ["Sun Feb 30 14:00:41 2024", null],
    ["Sun Xyz 11 14:00:41 2024", null],
    ["Thu Jan  1 00:00:00 1970", null],
    ["14:00:41 2024", null],
    ["", null],
  ];
  test.each(rows)("%j", (value, expected) => {
    expect(parseAsctime(value)).toEqual(expected);
  });
});

describe("isoString", () => {
  test("is Date#toISOString for every day from 1980 to 2100, at its first, last and a middle millisecond", () => {
    const differ: number[] = [];
    for (let day = Date.UTC(1980, 0, 1); day <= Date.UTC(2100, 0, 1); day += 86_400_000) {
      for (const t of [day, day + 86_399_999, day + 45_296_789]) {
        if (isoString(t) !== new Date(t).toISOString()) differ.push(t);
      }
    }
    expect(differ).toEqual([]);
  });
});
