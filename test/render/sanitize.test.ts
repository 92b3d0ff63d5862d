/**
 * Quoting mail on GitHub: every rule of src/render/sanitize.ts as a whole-output table, one mail with all
 * of them together, and properties over strings built from the dangerous pieces. `Z` stands for U+200B
 * (zero-width space) and `N` for U+00A0 (no-break space) in the expected outputs.
 */
import fc from "fast-check";
import { bugLink, inlineText, quoteMail } from "../../src/render/sanitize.js";

const Z = "\u200B";
const N = "\u00A0";
const HIDDEN = "\\[address hidden\\]";

describe("quoteMail", () => {
  const rows: Array<[string, string, string]> = [
    // name, mail text, expected Markdown
    ["plain lines, a blank line", "Hello,\n\nthanks for the patch.", "> Hello,\n>\n> thanks for the patch."],
    ["CRLF and a lone CR", "one\r\ntwo\rthree", "> one\n> two\n> three"],
    ["leading and trailing blank lines dropped", "\n  \nbody\n\n\n", "> body"],
    ["blank text", " \n\t\n", ""],
    ["a whitespace-only line inside is blank", "a\n   \nb", "> a\n>\n> b"],
    ["trailing white space trimmed", "text   \t", "> text"],

    // mentions
    ["@name", "thanks @someone!", `> thanks @${Z}someone!`],
    ["@org/team", "cc @xen-project/maintainers", `> cc @${Z}xen-project/maintainers`],
    ["@Name.With-Dots", "ping @Name.With-Dots", `> ping @${Z}Name.With-Dots`],
    ["@_ and @digit", "@_x @1", `> @${Z}\\_x @${Z}1`],
    ["a lone @ is left alone", "a @ b @", "> a @ b @"],
    ["@ before a URL", "@https://example.org/", `> @${Z}https://example.org/`],

    // mail addresses
    ["bare address", "write to ada@example.org.", `> write to ${HIDDEN}.`],
    ["address with dots, plus and underscore", "first_last+xen@mail.example.co.uk", `> ${HIDDEN}`],
    ["Name <addr> keeps the name", "Ada Lovelace <ada@example.org> wrote:", `> Ada Lovelace ${HIDDEN} wrote:`],
    ["quoted name", '"Engelhardt, Maximilian" <maxi@daemonizer.de>', `> "Engelhardt, Maximilian" ${HIDDEN}`],
    ["<addr> with spaces and mailto", "< ada@example.org > <mailto:ada@example.org>", `> ${HIDDEN} ${HIDDEN}`],
    ["pipermail obfuscation with a name", "maxi at daemonizer.de (Maximilian Engelhardt)", `> ${HIDDEN} (Maximilian Engelhardt)`],
    ["pipermail obfuscation in angle brackets", "Maxi <maxi at daemonizer.de>", `> Maxi ${HIDDEN}`],
    ["pipermail separator line", "From maxi at daemonizer.de  Sun Feb 11 14:00:41 2024", `> From ${HIDDEN}  Sun Feb 11 14:00:41 2024`],
    ["mailto: URL", "mailto:ada@example.org", `> mailto:${HIDDEN}`],
    ["a bug's own address", "1028251@bugs.debian.org", `> ${HIDDEN}`],
    ["Message-ID", "<20240211140041.GA1234@daemonizer.de>", `> ${HIDDEN}`],
    [
      "prose 'at host' is not an address",
      "the tree is at xenbits.xen.org, see xsa at xenbits.xen.org/xsa/, it dies at xl.cfg",
      "> the tree is at xenbits.xen.org, see xsa at xenbits.xen.org/xsa/, it dies at xl.cfg",
    ],
    ["user@host without a dot is no address, still no mention", "root@localhost", `> root@${Z}localhost`],

    // Debian bugs and GitHub references
    [
      "#N and Bug#N link to the BTS",
      "Closes: #1028251, Bug#1039422, bug#1029998 and bug #1029999.",
      "> Closes: [#1028251](https://bugs.debian.org/1028251), [Bug#1039422](https://bugs.debian.org/1039422), " +
        "[bug#1029998](https://bugs.debian.org/1029998) and bug [#1029999](https://bugs.debian.org/1029999).",
    ],
    ["5 digits link", "(#98765)", "> ([#98765](https://bugs.debian.org/98765))"],
    [
      "other #N never link",
      "#12, #1234, #12345678, #01234, #1028251a, foo#1028251, Bug#12",
      `> \\#${Z}12, \\#${Z}1234, \\#${Z}12345678, \\#${Z}01234, \\#${Z}1028251a, foo\\#${Z}1028251, Bug\\#${Z}12`,
    ],
    ["owner/repo#12", "fixed in owner/repo#12", `> fixed in owner/repo\\#${Z}12`],
    ["owner/repo#N with a bug-sized N", "owner/repo#1028251", `> owner/repo\\#${Z}1028251`],
    ["GH-12", "see GH-12 and gh-3", `> see GH-${Z}12 and gh-${Z}3`],
    ["# before a bug link", "##1028251", "> \\#[#1028251](https://bugs.debian.org/1028251)"],
    ["! before a bug link is no image", "!#1028251", "> \\![#1028251](https://bugs.debian.org/1028251)"],
    ["HTML entity &#64;", "&#64;name &amp; &lt;", `> &amp;\\#${Z}64;name &amp;amp; &amp;lt;`],

    // HTML
    ["script", "<script>alert(1)</script>", "> &lt;script&gt;alert(1)&lt;/script&gt;"],
    ["img onerror", "<img src=x onerror=alert(1)>", "> &lt;img src=x onerror=alert(1)&gt;"],
    ["details", "<details><summary>x</summary>", "> &lt;details&gt;&lt;summary&gt;x&lt;/summary&gt;"],
    ["our hidden marker, faked", "<!-- xen-triage:report=bug:1 -->", "> &lt;!-- xen-triage:report=bug:1 --&gt;"],
    ["a < that is not a tag", "a < b && c > d", "> a &lt; b &amp;&amp; c &gt; d"],

    // Markdown links and images
    ["link to javascript:", "[click](javascript:alert(1))", `> \\[click\\]\\(javascript:${Z}alert(1))`],
    ["image", "![x](http://evil.example/x.png)", "> \\!\\[x\\]\\(http://evil.example/x.png)"],
    ["reference link", "[a][ref]\n[ref]: https://evil.example/", "> \\[a\\]\\[ref\\]\n> \\[ref\\]: https://evil.example/"],
    ["footnote and alert", "[^1] > [!NOTE]", "> \\[^1\\] &gt; \\[!NOTE\\]"],
    ["hidden address then (", "<ada@example.org>(javascript:x)", `> ${HIDDEN}\\(javascript:${Z}x)`],
    ["bare javascript: and data:", "javascript:alert(1) DATA:text/html,x xjavascript:", `> javascript:${Z}alert(1) DATA:${Z}text/html,x xjavascript:${Z}`],

    // URLs
    [
      "URLs are copied as they are",
      "https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1028251#59 https://example.org/a_b*c?a=b&c=d#frag",
      "> https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1028251#59 https://example.org/a_b*c?a=b&c=d#frag",
    ],
    ["@ inside a URL", "https://github.com/@someone http://localhost:8080/@admin", "> https://github.com/@someone http://localhost:8080/@admin"],
    ["<URL>", "<https://example.org/x>", "> &lt;https://example.org/x&gt;"],
    [
      "trailing punctuation and parentheses",
      "(see https://en.wikipedia.org/wiki/Xen_(disambiguation)).",
      "> (see https://en.wikipedia.org/wiki/Xen_(disambiguation)).",
    ],
    ["unbalanced closing parentheses", "https://example.org/a(b)) x", "> https://example.org/a(b)) x"],
    ["balanced parentheses stay in the URL", "https://example.org/x_(y_)", "> https://example.org/x_(y_)"],
    ["an entity at the end is not part of the URL", "https://example.org/x&hellip;", "> https://example.org/x&amp;hellip;"],
    ["not a URL: _ in the last two host labels", "https://a.b_c/#12", `> https://a.b\\_c/\\#${Z}12`],
    ["quotes around a URL", '"https://example.org/a"', '> "https://example.org/a"'],
    ["Markdown glued to a URL uses entities", "*https://example.org/x_*", "> \\*https://example.org/x&lowbar;&ast;"],
    ["a URL glued to brackets", "https://example.org/a[#12]", `> https://example.org/a&lsqb;&num;${Z}12&rsqb;`],
    [
      "an address inside a URL is hidden",
      "https://lore.kernel.org/r/20240211.GA1@daemonizer.de/T/#u",
      `> https://lore.kernel.org/r/ ${HIDDEN}/T/\\#u`,
    ],
    ["user@host in a URL", "https://git@salsa.debian.org/xen-team/debian-xen", `> https://${HIDDEN}/xen-team/debian-xen`],
    ["not a URL: scheme glued to a word", "xhttps://example.org/#12", `> xhttps://example.org/\\#${Z}12`],
    ["not a URL: no host", "https://_x/#12", `> https://\\_x/\\#${Z}12`],
    ["www. after a space is a link", "see www.example.org/#12", "> see www.example.org/#12"],
    ["www. at the start of a line is a link", "www.example.org/#12", "> www.example.org/#12"],
    ["www. glued to a word is not", "xwww.example.org/#12", `> xwww.example.org/\\#${Z}12`],
    ["WWW. is not a link", " WWW.example.org/#12", `> ${N}WWW.example.org/\\#${Z}12`],
    ["www. after indentation is not a link", "  www.example.org/#12", `> ${N}${N}www.example.org/\\#${Z}12`],

    // other Markdown
    ["heading", "# not a heading", "> \\# not a heading"],
    ["table row", "| a | b |\n|---|---|", "> \\| a \\| b \\|\n> \\|---\\|---\\|"],
    ["fenced code", "```sh\nx\n```\n~~~", "> \\`\\`\\`sh\n> x\n> \\`\\`\\`\n> \\~\\~\\~"],
    ["emphasis, strike-through, code span", "*a* _b_ ~~c~~ `d`", "> \\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\`d\\`"],
    ["lists, rules, setext underlines", "- a\n+ b\n1. c\n2) d\n---\n===\n-- ", "> \\- a\n> \\+ b\n> 1\\. c\n> 2\\) d\n> \\---\n> \\===\n> \\--"],
    ["math and backslashes", "$HOME \\x C:\\xen\\", "> \\$HOME \\\\x C:\\\\xen\\\\"],
    ["mail quote markers", "> quoted\n>> deeper", "> &gt; quoted\n> &gt;&gt; deeper"],
    ["indentation is kept, never a code block", "    code\n\tindented", `> ${N.repeat(4)}code\n> ${N.repeat(4)}indented`],
    ["indented list marker", "  - a", `> ${N}${N}\\- a`],

    // invisible characters
    [
      "controls and bidi characters removed, tab kept",
      "a\u202Eb\u2066c\u2069d\u0007e\u0000f\tg\u200Fh\uFEFFi\u0085j",
      "> abcdef\tghij",
    ],
    ["a removed control does not hide a mention", "@\u202Esomeone", `> @${Z}someone`],
    ["U+2028 is a line break", "a\u2028b", "> a\n> b"],
  ];

  it.each(rows)("%s", (_name, mail, expected) => {
    expect(quoteMail(mail)).toEqual(expected);
  });

  it("keeps a very long line whole", () => {
    const long = "x".repeat(10_000);
    expect(quoteMail(long)).toEqual(`> ${long}`);
  });

  it("truncates after maxLines with a final > […]", () => {
    expect(quoteMail("1\n2\n3\n4\n5", { maxLines: 3 })).toEqual("> 1\n> 2\n> 3\n> […]");
    expect(quoteMail("1\n2\n3", { maxLines: 3 })).toEqual("> 1\n> 2\n> 3");
    expect(quoteMail("\n\n1\n2\n3\n\n", { maxLines: 3 })).toEqual("> 1\n> 2\n> 3");
  });

  it("keeps 40 lines by default", () => {
    const lines = Array.from({ length: 41 }, (_, k) => `line ${k + 1}`);
    expect(quoteMail(lines.slice(0, 40).join("\n"))).toEqual(lines.slice(0, 40).map((l) => `> ${l}`).join("\n"));
    expect(quoteMail(lines.join("\n"))).toEqual([...lines.slice(0, 40).map((l) => `> ${l}`), "> […]"].join("\n"));
    expect(quoteMail(lines.join("\n"), { maxLines: Infinity })).toEqual(lines.map((l) => `> ${l}`).join("\n"));
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses maxLines %p", (maxLines) => {
    expect(() => quoteMail("x", { maxLines })).toThrow(RangeError);
  });

  it("quotes one mail with everything at once", () => {
    const mail = [
      "Hi @someone, @org/team:",
      "",
      "#123 is not ours, #1028251 is, and so is Bug#1039422.",
      "<script>alert(1)</script> <img src=x onerror=alert(1)>",
      "[click](javascript:alert(1))",
      "<!-- xen-triage:report=bug:1 -->",
      "From: maxi at daemonizer.de (Maximilian Engelhardt)",
      "Ada <ada@example.org> wrote:",
      "> quoted",
      "See https://example.org/xen?a=b&c=d#fragment and owner/repo#12.",
      "# not a heading",
      "| a | b |",
    ].join("\n");
    expect(quoteMail(mail)).toEqual(
      [
        `> Hi @${Z}someone, @${Z}org/team:`,
        ">",
        `> \\#${Z}123 is not ours, [#1028251](https://bugs.debian.org/1028251) is, and so is [Bug#1039422](https://bugs.debian.org/1039422).`,
        "> &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;",
        `> \\[click\\]\\(javascript:${Z}alert(1))`,
        "> &lt;!-- xen-triage:report=bug:1 --&gt;",
        `> From: ${HIDDEN} (Maximilian Engelhardt)`,
        `> Ada ${HIDDEN} wrote:`,
        "> &gt; quoted",
        `> See https://example.org/xen?a=b&c=d#fragment and owner/repo\\#${Z}12.`,
        "> \\# not a heading",
        "> \\| a \\| b \\|",
      ].join("\n"),
    );
  });
});

describe("inlineText", () => {
  const rows: Array<[string, string, string]> = [
    ["a plain subject", "xen: dom0 boot hangs with 4.17", "xen: dom0 boot hangs with 4.17"],
    [
      "a subject with Markdown, a mention and references",
      "Re: [PATCH] fix #12 for @ada, Bug#1039422",
      `Re: \\[PATCH\\] fix \\#${Z}12 for @${Z}ada, [Bug#1039422](https://bugs.debian.org/1039422)`,
    ],
    ["line breaks collapse to spaces", "first\n  second\r\nthird\n", "first second third"],
    ["leading white space is dropped", "\t    code", "code"],
    ["a heading", "# title", "\\# title"],
    ["a list marker", "- item", "\\- item"],
    ["a number and a dot", "2024. was a year", "2024\\. was a year"],
    ["a pipermail From", "maxi at daemonizer.de (Maximilian Engelhardt)", `${HIDDEN} (Maximilian Engelhardt)`],
    ["a name and an address", "Ada <ada@example.org>", `Ada ${HIDDEN}`],
    ["HTML", "<b>bold</b> & co", "&lt;b&gt;bold&lt;/b&gt; &amp; co"],
    ["a table cell", "a | b", "a \\| b"],
    ["bidi override", "evil\u202Etxt.exe", "eviltxt.exe"],
    ["www. at the start is a link", "www.example.org/#12", "www.example.org/#12"],
    ["empty", "", ""],
  ];

  it.each(rows)("%s", (_name, text, expected) => {
    expect(inlineText(text)).toEqual(expected);
  });
});

describe("bugLink", () => {
  it("links to the BTS", () => {
    expect(bugLink(1028251)).toEqual("[#1028251](https://bugs.debian.org/1028251)");
    expect(bugLink(12)).toEqual("[#12](https://bugs.debian.org/12)");
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses %p", (n) => {
    expect(() => bugLink(n)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

/** FC_RUNS=<n> runs the properties longer; FC_SEED=<seed> FC_PATH=<path> replays a counterexample. */
const NUM_RUNS = Number(process.env.FC_RUNS ?? 300);
const replay = process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) } : {};

/**
 * URLs that must come out as written. Each is followed by a space, and no other piece can start a URL,
 * because GitHub links a URL up to the next white space: whatever ran into it would be inside the link
 * (harmless there, but the checks below could not tell).
 */
const URLS = [
  "https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=1028251#59",
  "https://example.org/xen?a=b&c=d#fragment",
  "https://github.com/@someone",
  "http://localhost:8080/#12",
  "https://en.wikipedia.org/wiki/Xen_(disambiguation)",
  "www.example.org/#12",
];

const PIECES = [
  "@someone", "@org/team", "@Name.With-Dots", "@", "@_", "#", "#123", "#12", "#1028251", "#98765", "#12345678",
  "Bug#1039422", "bug#1029998", "Bug#", "GH-12", "owner/repo#12", "&#64;", "&#35;1", "&amp;", "&", ";",
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<details>", "<!-- xen-triage:report=bug:1 -->",
  "</", "<", ">", "<!", "[click](javascript:alert(1))", "![x](http://evil.example/x.png) ", "[a][ref]",
  "[ref]: javascript:alert(1)", "](", "javascript:alert(1)", "JavaScript:", "data:text/html,x",
  "maxi at daemonizer.de (Maximilian Engelhardt)", "Ada <ada@example.org>", "user@example.org", "ada",
  "a.b+c@mail.example.co.uk", "<ada at example.org>", "mailto:ada@example.org", "x@y.z1", "example.org",
  " at ", "@example.org", "https://@", "https:// ", "www.@", "# not a heading", "| a | b |",
  "```", "~~~", "*", "_", "~", "`", "$", "\\", "!", "[", "]", "(", ")", ".", ":", "/", "-", "+", "=", "1.",
  "\u202E", "\u2066", "\u200F", "\u0007", "\u0000", "\u007F", "\u0085", "\t", "\n", "\r\n", "\r", " ", "    ",
  "> quoted", "x", "1", "12345",
];

const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...PIECES), weight: 8 },
  { arbitrary: fc.constantFrom(...URLS).map((u) => `${u} `), weight: 1 },
  { arbitrary: fc.string({ unit: fc.constantFrom(..."ab1 @#<>[]!()_*.:/&-\n"), maxLength: 8 }), weight: 2 },
);
const dangerous = fc.array(piece, { maxLength: 30 }).map((ps) => ps.join(""));

const BUG_LINK = /\[(?:bug)?#([1-9]\d{4,6})\]\(https:\/\/bugs\.debian\.org\/\1\)/gi;

/** The output without the URLs we meant to copy as they are and without our own bug links. */
function outsideLinks(out: string): string {
  let rest = out.replace(BUG_LINK, "");
  for (const u of URLS) rest = rest.split(u).join("");
  return rest;
}

/** Every `[`, `]` left is escaped (an odd number of backslashes before it). */
function unescapedBrackets(text: string): string[] {
  return [...text.matchAll(/(\\*)([[\]])/g)].filter((m) => m[1]!.length % 2 === 0).map((m) => m[0]);
}

function checkSafe(out: string): void {
  expect(out).not.toMatch(/<[A-Za-z!/]/);
  expect(out).not.toMatch(/\]\(javascript:/i);
  expect(out).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
  expect(out).not.toMatch(/javascript:(?!\u200B)/i);
  const rest = outsideLinks(out);
  expect(rest).not.toMatch(/@\w/);
  expect(rest).not.toMatch(/#\d/);
  expect(unescapedBrackets(rest.replace(/^> \[…\]$/m, ""))).toEqual([]);
}

describe("properties", () => {
  it("quoteMail never mentions, links wrongly, injects markup or shows an address", () => {
    fc.assert(
      fc.property(dangerous, fc.integer({ min: 1, max: 50 }), (mail, maxLines) => {
        const out = quoteMail(mail, { maxLines });
        checkSafe(out);
        const lines = out === "" ? [] : out.split("\n");
        for (const line of lines) expect(line === ">" || line.startsWith("> ")).toBe(true);
        expect(lines.length).toBeLessThanOrEqual(maxLines + 1);
      }),
      { numRuns: NUM_RUNS, ...replay },
    );
  });

  it("inlineText is just as safe and stays on one line", () => {
    fc.assert(
      fc.property(dangerous, (text) => {
        const out = inlineText(text);
        checkSafe(out);
        expect(out).not.toMatch(/[\n\r]/);
      }),
      { numRuns: NUM_RUNS, ...replay },
    );
  });

  it("the URLs come out as written", () => {
    for (const u of URLS) expect(quoteMail(`see ${u} and ${u}.`)).toEqual(`> see ${u} and ${u}.`);
  });
});
