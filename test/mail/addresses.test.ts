import { type Address, deobfuscate, parseAddress, parseAddressList } from "../../src/mail/addresses.js";

const a = (name: string | null, address: string | null): Address => ({ name, address });

describe("parseAddress", () => {
  const rows: Array<[string | undefined, Address]> = [
    ["Ada Greenhill <ada.greenhill@example.org>", a("Ada Greenhill", "ada.greenhill@example.org")],
    ['"Greenhill, Ada" <Ada.Greenhill@Example.ORG>', a("Greenhill, Ada", "ada.greenhill@example.org")],
    ['"Ada \\"xen\\" Greenhill" <ada@example.org>', a('Ada "xen" Greenhill', "ada@example.org")],
    ["ada.greenhill@example.org (Ada Greenhill)", a("Ada Greenhill", "ada.greenhill@example.org")],
    ["ada.greenhill@example.org", a(null, "ada.greenhill@example.org")],
    ["<ada.greenhill@example.org>", a(null, "ada.greenhill@example.org")],
    ["maxi at daemonizer.de (Maximilian Engelhardt)", a("Maximilian Engelhardt", "maxi@daemonizer.de")],
    ["Hans.van.Kranenburg at Example.NET (Hans van Kranenburg)", a("Hans van Kranenburg", "hans.van.kranenburg@example.net")],
    ["maxi at daemonizer.de", a(null, "maxi@daemonizer.de")],
    ["Maximilian Engelhardt <maxi at daemonizer.de>", a("Maximilian Engelhardt", "maxi@daemonizer.de")],
    ['"Debian Bug Tracking System" <owner@bugs.debian.org>', a("Debian Bug Tracking System", "owner@bugs.debian.org")],
    ["owner@bugs.debian.org (Debian Bug Tracking System)", a("Debian Bug Tracking System", "owner@bugs.debian.org")],
    ["<mailto:Ada@Example.org>", a(null, "ada@example.org")],
    ["=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>", a("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=", "joerg@example.de")],
    ["  Ada Greenhill   <ada@example.org>  ", a("Ada Greenhill", "ada@example.org")],
    ["Ada Greenhill", a("Ada Greenhill", null)],
    ["<>", a(null, null)],
    ["", a(null, null)],
    [undefined, a(null, null)],
  ];
  test.each(rows)("%j", (value, expected) => {
    expect(parseAddress(value)).toEqual(expected);
  });
});

describe("parseAddressList", () => {
  const rows: Array<[string | undefined, Address[]]> = [
    [
      "1039422@bugs.debian.org, Ada Greenhill <ada@example.org>",
      [a(null, "1039422@bugs.debian.org"), a("Ada Greenhill", "ada@example.org")],
    ],
    [
      '"Greenhill, Ada" <ada@example.org>, "Kranenburg, Hans van" <hans@example.net>',
      [a("Greenhill, Ada", "ada@example.org"), a("Kranenburg, Hans van", "hans@example.net")],
    ],
    [
      "maxi at daemonizer.de (Engelhardt, Maximilian), pkg-xen-devel at alioth-lists.debian.net",
      [a("Engelhardt, Maximilian", "maxi@daemonizer.de"), a(null, "pkg-xen-devel@alioth-lists.debian.net")],
    ],
    [
      "Ada <ada@example.org>;\n Hans <hans@example.net>,",
      [a("Ada", "ada@example.org"), a("Hans", "hans@example.net")],
    ],
    ['"a, b <c@d>" <real@example.org>', [a("a, b <c@d>", "real@example.org")]],
    ["undisclosed-recipients:;", []],
    [
      "Xen team: ada@example.org, Hans <hans@example.net>;, control@bugs.debian.org",
      [a(null, "ada@example.org"), a("Hans", "hans@example.net"), a(null, "control@bugs.debian.org")],
    ],
    [",, ,", []],
    [undefined, []],
  ];
  test.each(rows)("%j", (value, expected) => {
    expect(parseAddressList(value)).toEqual(expected);
  });
});

describe("deobfuscate", () => {
  const rows: Array<[string, string]> = [
    ["maxi at daemonizer.de", "maxi@daemonizer.de"],
    ["From maxi at daemonizer.de  Sun Feb 11 14:00:41 2024", "From maxi@daemonizer.de  Sun Feb 11 14:00:41 2024"],
    ["Write to 1028251 at bugs.debian.org or pkg-xen-devel at alioth-lists.debian.net.", "Write to 1028251@bugs.debian.org or pkg-xen-devel@alioth-lists.debian.net."],
    ["<ada.greenhill+xen at mail.example.co.uk>", "<ada.greenhill+xen@mail.example.co.uk>"],
    ["Advisory at xenbits.xen.org/xsa/advisory-450.html", "Advisory at xenbits.xen.org/xsa/advisory-450.html"],
    ["We met at 10:15 at the sprint.", "We met at 10:15 at the sprint."],
    ["ada@example.org stays", "ada@example.org stays"],
  ];
  test.each(rows)("%j", (text, expected) => {
    expect(deobfuscate(text)).toEqual(expected);
  });
});
