import fc from "fast-check";
import { decodeQuotedPrintable, decodeText } from "../../src/mail/decode-text.js";

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
const latin1 = (s: string): Buffer => Buffer.from(s, "latin1");

describe("decodeText", () => {
  const rows: Array<[string, Buffer, string | undefined, { text: string; warnings: string[] }]> = [
    ["ASCII, any label", bytes("xl list shows no domains\n"), "x-klingon", { text: "xl list shows no domains\n", warnings: [] }],
    ["iso-8859-1", latin1("Grüße von Jörg, Müller & Søn\n"), "iso-8859-1", { text: "Grüße von Jörg, Müller & Søn\n", warnings: [] }],
    ["ISO-8859-1 in upper case and quotes", latin1("Jörg"), '"ISO-8859-1"', { text: "Jörg", warnings: [] }],
    ["iso-8859-15 has the euro sign at A4", bytes("Preis: 5 ", [0xa4]), "iso-8859-15", { text: "Preis: 5 €", warnings: [] }],
    [
      "iso-8859-1 as Windows mailers write it (0x80-0x9F are Windows-1252)",
      bytes("don", [0x92], "t ", [0x96], " 5 ", [0x80]),
      "iso-8859-1",
      { text: "don’t – 5 €", warnings: [] },
    ],
    ["latin1 label", latin1("café"), "latin1", { text: "café", warnings: [] }],
    [
      "windows-1252 quotes and euro",
      bytes([0x93], "xl", [0x94], " costs 5 ", [0x80], " ", [0x96], " no"),
      "windows-1252",
      { text: "“xl” costs 5 € – no", warnings: [] },
    ],
    ["koi8-r", bytes([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4], ", Xen"), "koi8-r", { text: "Привет, Xen", warnings: [] }],
    ["utf-8", bytes("Grüße, “xl” – Привет\n"), "utf-8", { text: "Grüße, “xl” – Привет\n", warnings: [] }],
    ["UTF8 spelled without the dash", bytes("Jörg"), "UTF8", { text: "Jörg", warnings: [] }],
    [
      "declared utf-8 but not valid",
      latin1("Grüße von Jörg"),
      "utf-8",
      { text: "Grüße von Jörg", warnings: ["body declared UTF-8 but is not valid UTF-8; decoded as Windows-1252"] },
    ],
    [
      "unknown charset, bytes are UTF-8",
      bytes("Jörg"),
      "x-user-defined-foo",
      { text: "Jörg", warnings: ['unknown charset "x-user-defined-foo"; decoded as UTF-8'] },
    ],
    [
      "unknown charset, bytes are not UTF-8",
      bytes("5 ", [0x80], " f", [0xfc], "r Jens"),
      "x-unknown-charset",
      { text: "5 € für Jens", warnings: ['unknown charset "x-unknown-charset"; decoded as Windows-1252'] },
    ],
    ["no charset, UTF-8 bytes", bytes("Jörg Müller"), undefined, { text: "Jörg Müller", warnings: [] }],
    ["no charset, Latin-1 bytes", latin1("Jörg Müller"), undefined, { text: "Jörg Müller", warnings: [] }],
    ["us-ascii declared, 8-bit Latin-1 bytes", latin1("Müller"), "us-ascii", { text: "Müller", warnings: [] }],
    ["unknown-8bit, UTF-8 bytes", bytes("Müller"), "unknown-8bit", { text: "Müller", warnings: [] }],
    ["empty", Buffer.alloc(0), "utf-8", { text: "", warnings: [] }],
  ];
  test.each(rows)("%s", (_name, input, charset, expected) => {
    const warnings: string[] = [];
    const text = decodeText(input, charset, warnings);
    expect({ text, warnings }).toEqual(expected);
  });

  test("appends to the warnings it is given", () => {
    const warnings = ["earlier problem"];
    decodeText(latin1("Jörg"), "utf-8", warnings);
    expect(warnings).toEqual(["earlier problem", "body declared UTF-8 but is not valid UTF-8; decoded as Windows-1252"]);
  });
});

describe("decodeQuotedPrintable", () => {
  const rows: Array<[string, string, number[] | string]> = [
    // name, input (Latin-1), expected bytes (or a Latin-1 string)
    ["soft break LF", "xendomains does not save=\n guests", "xendomains does not save guests"],
    ["soft break CRLF", "xendomains does not save=\r\n guests", "xendomains does not save guests"],
    ["hard line breaks kept", "one\ntwo\r\nthree", "one\ntwo\r\nthree"],
    ["=3D", "https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=3D1028251", "https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1028251"],
    ["upper-case hex", "J=C3=B6rg", [0x4a, 0xc3, 0xb6, 0x72, 0x67]],
    ["lower-case hex", "J=c3=b6rg", [0x4a, 0xc3, 0xb6, 0x72, 0x67]],
    ["=20 keeps a signature's space", "--=20\nAda", "-- \nAda"],
    ["bad escapes kept as written", "100=% sure, =ZZ and =G1 and =4", "100=% sure, =ZZ and =G1 and =4"],
    ["white space after = before a soft break", "long line =  \nwrapped =\t\r\nhere", "long line wrapped here"],
    ["trailing white space on a line dropped (added in transport)", "line one   \nline two\t\r\nend  ", "line one\nline two\r\nend"],
    ["white space inside a line kept", "a  b\tc", "a  b\tc"],
    ["= at the very end", "last line=", "last line"],
    ["soft breaks and escapes together", "a=\n=3D=\nb", "a=b"],
    ["escapes forming UTF-8", "=E2=80=98fallthrough=E2=80=99", [0xe2, 0x80, 0x98, ...Buffer.from("fallthrough"), 0xe2, 0x80, 0x99]],
    ["empty", "", ""],
  ];
  test.each(rows)("%s", (_name, input, expected) => {
    const want = typeof expected === "string" ? latin1(expected) : Buffer.from(expected);
    expect(Buffer.from(decodeQuotedPrintable(latin1(input)))).toEqual(want);
  });
});

describe("decodeQuotedPrintable against a plain reference", () => {
  // The rules in one regex pass over Latin-1 text: slow, but easy to read.
  const reference = (input: Buffer): Buffer =>
    Buffer.from(
      input
        .toString("latin1")
        .replace(/=([0-9A-Fa-f]{2})|=[ \t]*(?:\r?\n|$)|[ \t]+(?=\r?\n|$)/g, (_m, hex: string | undefined) =>
          hex ? String.fromCharCode(parseInt(hex, 16)) : "",
        ),
      "latin1",
    );
  const qpChars = fc.constantFrom(..."ab =\t\r\n3Dfz0F9".split(""), "=3D", "=20", "=\n", "=\r\n", " \n", "\t\r\n", "=ZZ", "=");

  test("gives the same bytes for any mix of escapes, soft breaks and line-end white space", () => {
    fc.assert(
      fc.property(fc.array(qpChars, { maxLength: 80 }), (parts) => {
        const input = Buffer.from(parts.join(""), "latin1");
        expect(decodeQuotedPrintable(input).toString("latin1")).toBe(reference(input).toString("latin1"));
      }),
      { numRuns: 2000 },
    );
  });
});
