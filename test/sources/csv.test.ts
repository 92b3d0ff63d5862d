import { CsvError, csvObjects, parseCsv } from "../../src/sources/csv.js";

/** What a call threw, as [is a CsvError, message]: the class and the whole text in one assertion. */
function thrown(fn: () => unknown): [boolean, string] {
  try {
    fn();
  } catch (err) {
    return [err instanceof CsvError, (err as Error).message];
  }
  throw new Error("expected a throw");
}

type Records = { line: number; fields: string[] }[];

describe("parseCsv", () => {
  const rows: Array<[string, string, Records]> = [
    // name, text, expected
    [
      "plain records, trailing newline",
      "a,b\nc,d\n",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["c", "d"] },
      ],
    ],
    [
      "no trailing newline",
      "a,b\nc,d",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["c", "d"] },
      ],
    ],
    [
      "CRLF record ends",
      "a,b\r\nc,d\r\n",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["c", "d"] },
      ],
    ],
    ["a byte order mark is not part of the first field", "\uFEFFIssue id,Summary\n", [{ line: 1, fields: ["Issue id", "Summary"] }]],
    ["a quoted field holds commas", '"xl create, then xl save",1\n', [{ line: 1, fields: ["xl create, then xl save", "1"] }]],
    ["a doubled quote is one quote", '"says ""no"" twice","""",x\n', [{ line: 1, fields: ['says "no" twice', '"', "x"] }]],
    ["a quoted empty field", '"",x\n', [{ line: 1, fields: ["", "x"] }]],
    [
      "embedded LF: the next record starts on a later line",
      '"first line\nsecond line",b\nc,d\n',
      [
        { line: 1, fields: ["first line\nsecond line", "b"] },
        { line: 3, fields: ["c", "d"] },
      ],
    ],
    [
      "embedded CRLF is kept verbatim and counted as one line",
      '"first line\r\nsecond line",b\r\nc,d\r\n',
      [
        { line: 1, fields: ["first line\r\nsecond line", "b"] },
        { line: 3, fields: ["c", "d"] },
      ],
    ],
    [
      "several multi-line fields in one record",
      '"a\nb","c\n\nd"\ne\n',
      [
        { line: 1, fields: ["a\nb", "c\n\nd"] },
        { line: 5, fields: ["e"] },
      ],
    ],
    ["a lone CR in a quoted field is kept", '"a\rb",c\n', [{ line: 1, fields: ["a\rb", "c"] }]],
    [
      "empty lines are skipped but counted",
      "a\n\nb\r\n\r\n\nc",
      [
        { line: 1, fields: ["a"] },
        { line: 3, fields: ["b"] },
        { line: 6, fields: ["c"] },
      ],
    ],
    [
      "empty fields, a trailing comma",
      ",,\na,\n",
      [
        { line: 1, fields: ["", "", ""] },
        { line: 2, fields: ["a", ""] },
      ],
    ],
    ["a quote inside an unquoted field is literal", 'xen "4.17",b\n', [{ line: 1, fields: ['xen "4.17"', "b"] }]],
    ["nothing", "", []],
    ["only a byte order mark and newlines", "\uFEFF\n\n", []],
  ];
  test.each(rows)("%s", (_name, text, expected) => {
    expect(parseCsv(text, "bugs.csv")).toEqual(expected);
  });

  const unterminated: Array<[string, string, string]> = [
    ["on the first line", '"never ends,a\nb\n', "bugs.csv, line 1: quoted field never ends"],
    ["after a multi-line field", 'a,"x\ny"\nb,"never\nends\n', "bugs.csv, line 3: quoted field never ends"],
    ["opening on the second line of its record", 'a,"x\ny","never\nends\n', "bugs.csv, line 2: quoted field never ends"],
    ["after CRLF lines and a BOM", '\uFEFFa,b\r\n\r\nc,"unterminated', "bugs.csv, line 3: quoted field never ends"],
    ["whose closing quote is doubled (an escaped quote)", 'a,"ends here""\n', "bugs.csv, line 1: quoted field never ends"],
  ];
  test.each(unterminated)("an unterminated quote %s names the source and the line it opens on", (_name, text, message) => {
    expect(thrown(() => parseCsv(text, "bugs.csv"))).toEqual([true, message]);
  });
});

describe("csvObjects", () => {
  test("rows keyed by the trimmed header; a short row gets empty strings, extra fields are ignored", () => {
    const text = 'Issue id, Summary ,Created\n1606681,"xl: save fails,\nagain",2020-01-02\n1606682\n1606683,b,c,surplus\n';
    expect(csvObjects(text, "bugs.csv", ["Issue id", "Summary"])).toEqual([
      { line: 2, row: { "Issue id": "1606681", Summary: "xl: save fails,\nagain", Created: "2020-01-02" } },
      { line: 4, row: { "Issue id": "1606682", Summary: "", Created: "" } },
      { line: 5, row: { "Issue id": "1606683", Summary: "b", Created: "c" } },
    ]);
  });

  test("a header alone gives no rows", () => {
    expect(csvObjects("Issue id,Duplicate id\r\n", "pairs.csv", ["Issue id"])).toEqual([]);
  });

  const errors: Array<[string, string, string[], string]> = [
    [
      "one missing column",
      "Issue id,Summary\n1,x\n",
      ["Issue id", "Created"],
      'bugs.csv, line 1: no column "Created" (columns: Issue id, Summary)',
    ],
    [
      "two missing columns, named in the order asked",
      "Summary,Issue id,Status\n",
      ["Summary", "Issue id", "Created", "Description"],
      'bugs.csv, line 1: no column "Created", "Description" (columns: Summary, Issue id, Status)',
    ],
    ["column names are case-sensitive", "issue id\n", ["Issue id"], 'bugs.csv, line 1: no column "Issue id" (columns: issue id)'],
    ["an empty file", "", ["Issue id"], "bugs.csv: empty"],
    ["only empty lines", "\n\r\n", ["Issue id"], "bugs.csv: empty"],
  ];
  test.each(errors)("%s", (_name, text, required, message) => {
    expect(thrown(() => csvObjects(text, "bugs.csv", required))).toEqual([true, message]);
  });
});
