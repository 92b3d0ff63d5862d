/**
 * Mail text made safe to put into a GitHub issue or comment.
 *
 * GitHub renders what we write as GitHub-flavoured Markdown (cmark-gfm) and then runs its own filters over
 * the rendered text: `@name` and `@org/team` notify people, `#12`, `GH-12` and `owner/repo#12` link to
 * issues (and leave a back-reference in them), bare addresses become mailto links. Quoted mail must do none
 * of that, must not carry HTML or Markdown of its own (links, images, headings, tables, fake hidden
 * markers), and must not publish anyone's mail address. How:
 *
 * - Markdown and HTML are neutralised with backslash escapes and `&amp;`, `&lt;`, `&gt;`, so the rendered
 *   text reads exactly as the mail was written.
 * - Mentions and issue references are found after rendering, when the escapes are gone, so they are broken
 *   with U+200B (zero-width space) instead: `@\u200Bname` still reads as @name, but GitHub finds no user
 *   name after the `@` and no number after the `#`.
 * - Addresses (also pipermail's `user at example.org`) become `[address hidden]`; names next to them stay.
 * - `#1028251` and `Bug#1028251` become links to bugs.debian.org rather than to an issue of ours.
 * - http(s)/ftp URLs and `www.` hosts are copied byte for byte, because cmark-gfm links them from the raw
 *   text: an escape inside would end up in the link, and inside a link GitHub neither mentions nor
 *   references. The span copied raw is the span cmark-gfm links (`url_match`, `autolink_delim`), so
 *   nothing raw is left outside a link.
 */

const ZWSP = "\u200B";
const NBSP = "\u00A0";
/** Escaped so that a line starting `[address hidden]:` cannot become a link reference definition. */
const HIDDEN = "\\[address hidden\\]";
const TRUNCATED = "> […]";
const DEFAULT_MAX_LINES = 40;

export interface QuoteOptions {
  /** Mail lines to keep, counted after leading and trailing blank lines are dropped (default 40). */
  maxLines?: number;
}

/**
 * A passage of mail as a Markdown blockquote (`> ` before each line, `>` for a blank one), safe as the
 * module comment says. Leading and trailing blank lines are dropped, leading indentation becomes no-break
 * spaces (four or more spaces would start a code block, where our escapes would show), and text beyond
 * `maxLines` lines is replaced by a final `> […]`. Empty or blank text gives "".
 */
export function quoteMail(text: string, options: QuoteOptions = {}): string {
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  if (!(maxLines === Infinity || (Number.isInteger(maxLines) && maxLines >= 1))) {
    throw new RangeError(`quoteMail: maxLines must be a whole number of at least 1 (or Infinity), not ${maxLines}`);
  }
  const lines = removeInvisible(text.replace(LINE_BREAK, "\n")).split("\n");
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start]!)) start++;
  while (end > start && isBlank(lines[end - 1]!)) end--;
  const kept = lines.slice(start, end);
  const out = kept.slice(0, maxLines).map(quoteLine);
  if (kept.length > maxLines) out.push(TRUNCATED);
  return out.join("\n");
}

/** A title, name or subject, with the same safety as `quoteMail`, on one line (line breaks become spaces). */
export function inlineText(text: string): string {
  const line = removeInvisible(text.replace(LINE_BREAK, "\n"))
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return renderText(line, true);
}

/** `[#N](https://bugs.debian.org/N)`: inside a link GitHub does not read `#N` as one of its issues. */
export function bugLink(n: number): string {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`bugLink: ${n} is not a Debian bug number`);
  return `[#${n}](https://bugs.debian.org/${n})`;
}

/**
 * Plain text (a digest mail, HTML text once escaped) on one line, with the same rules for what is a mail
 * address as Markdown gets: addresses hidden as `[address hidden]`, invisible characters removed, white
 * space collapsed. Nothing is escaped: a plain-text reader shows text as it is.
 */
export function plainLine(text: string): string {
  const s = removeInvisible(text.replace(LINE_BREAK, "\n")).replace(/\s+/g, " ").trim();
  let out = "";
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const hit = c === "<" ? angleAddress(s, i) : isLocalChar(c) && !isLocalChar(i > 0 ? s[i - 1]! : "") ? address(s, i) : null;
    if (!hit) continue;
    out += `${s.slice(from, i)}[address hidden]`;
    i += hit.length - 1;
    from = i + 1;
  }
  return out + s.slice(from);
}

// ---------------------------------------------------------------------------------------------------
// Lines

const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;
/** C0 and C1 controls but tab and line feed, bidi embeddings, overrides, isolates and marks, BOM. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

function isBlank(line: string): boolean {
  return /^\s*$/.test(line);
}

function quoteLine(line: string): string {
  if (isBlank(line)) return ">";
  const body = line.replace(/[ \t]+$/, "");
  const indent = /^[ \t]*/.exec(body)![0];
  const lead = indent.replace(/\t/g, NBSP.repeat(4)).replace(/ /g, NBSP);
  return `> ${lead}${renderText(body.slice(indent.length), indent === "")}`;
}

// ---------------------------------------------------------------------------------------------------
// Pieces: what is copied as it is (URLs), what we write ourselves (bug links, hidden addresses), and the
// plain text around them, which is escaped.

interface Piece {
  kind: "plain" | "url" | "ours";
  /** Raw text for "plain", output text otherwise. */
  text: string;
}

/** `flush`: the text starts a Markdown line (no indentation before it), which matters to `www.` links. */
function renderText(text: string, flush: boolean): string {
  const pieces = scan(text, flush);
  const out: string[] = [];
  pieces.forEach((p, k) => {
    out.push(
      p.kind !== "plain"
        ? p.text
        : escapePlain(p.text, {
            lineStart: k === 0,
            afterUrl: pieces[k - 1]?.kind === "url",
            prevOut: out[k - 1]?.slice(-1) ?? "",
            nextOut: pieces[k + 1]?.text[0] ?? "",
          }),
    );
  });
  return out.join("");
}

function scan(s: string, flush: boolean): Piece[] {
  const pieces: Piece[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < s.length) {
    const hit = matchAt(s, i, flush);
    if (!hit) {
      i++;
      continue;
    }
    if (plainFrom < i) pieces.push({ kind: "plain", text: s.slice(plainFrom, i) });
    pieces.push(hit.piece);
    i += hit.length;
    plainFrom = i;
  }
  if (plainFrom < s.length) pieces.push({ kind: "plain", text: s.slice(plainFrom) });
  return pieces;
}

interface Hit {
  piece: Piece;
  length: number;
}

function matchAt(s: string, i: number, flush: boolean): Hit | null {
  const c = s[i]!;
  const prev = i > 0 ? s[i - 1]! : "";
  if (c === "<") return angleAddress(s, i);
  if (isAsciiLetter(c) && !isAsciiLetter(prev)) {
    const u = url(s, i, prev, flush);
    if (u) return u;
  }
  // Only where a run of address characters starts: keeps the scan linear on long words.
  if (isLocalChar(c) && !isLocalChar(prev)) {
    const a = address(s, i);
    if (a) return a;
  }
  // `foo#N`, `owner/repo#N` are GitHub's cross-repository form and `&#N;` an entity, not Debian bugs.
  if (c === "#" && !/[\w/&]/.test(prev)) return bug(BUG_HASH, s, i);
  if ((c === "B" || c === "b") && !/\w/.test(prev)) return bug(BUG_WORD, s, i);
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Bug references

/** 5 to 7 digits: the Debian bug numbers of this century; shorter or longer numbers are left unlinked. */
const BUG_HASH = /#([1-9]\d{4,6})(?!\w)/y;
const BUG_WORD = /bug#([1-9]\d{4,6})(?!\w)/iy;

function bug(re: RegExp, s: string, i: number): Hit | null {
  re.lastIndex = i;
  const m = re.exec(s);
  if (!m) return null;
  return { piece: { kind: "ours", text: `[${m[0]}](https://bugs.debian.org/${m[1]})` }, length: m[0].length };
}

// ---------------------------------------------------------------------------------------------------
// Mail addresses

const LOCAL = "[A-Za-z0-9_.%+-]+";
const DOMAIN = "(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}(?![A-Za-z0-9-])";
const ADDRESS = new RegExp(`${LOCAL}@${DOMAIN}`, "y");
/** pipermail's `user at example.org`; not `at example.org/path`, which is a web address. */
const OBFUSCATED = new RegExp(`(${LOCAL}) at (${DOMAIN})(?![\\w.-]*/)`, "y");
const ANGLE = new RegExp(`<\\s*(?:mailto:)?(?:${LOCAL}@${DOMAIN}|${LOCAL} at ${DOMAIN})\\s*>`, "iy");

/**
 * Words that precede "at host.tld" in prose ("the tree is at xenbits.xen.org") and are not mailboxes.
 * Hiding them would lose the host name; missing one only leaves a host name visible.
 */
const PROSE_BEFORE_AT = new Set(
  (
    "a an the is are was were be been it its this that here there look looking looked available hosted located " +
    "found published online live lives me us him her them you we one also and or not now still mirrored stored " +
    "kept posted uploaded archived error errors failed fails fail failure crash crashed crashes stops stopped hangs " +
    "hung line offset"
  ).split(" "),
);
/** File names read as "error at xl.cfg": these endings are not top-level domains. */
const FILE_ENDINGS = new Set(
  "cfg conf log txt patch diff gz xz bz2 deb dsc changes json yaml yml xml html service target socket mount img iso efi ini lock pid qcow2".split(
    " ",
  ),
);

function angleAddress(s: string, i: number): Hit | null {
  ANGLE.lastIndex = i;
  const m = ANGLE.exec(s);
  return m ? { piece: { kind: "ours", text: HIDDEN }, length: m[0].length } : null;
}

function address(s: string, i: number): Hit | null {
  ADDRESS.lastIndex = i;
  const m = ADDRESS.exec(s);
  if (m) return { piece: { kind: "ours", text: HIDDEN }, length: m[0].length };
  OBFUSCATED.lastIndex = i;
  const o = OBFUSCATED.exec(s);
  if (!o) return null;
  const tld = o[2]!.slice(o[2]!.lastIndexOf(".") + 1).toLowerCase();
  if (PROSE_BEFORE_AT.has(o[1]!.toLowerCase()) || FILE_ENDINGS.has(tld)) return null;
  return { piece: { kind: "ours", text: HIDDEN }, length: o[0].length };
}

// ---------------------------------------------------------------------------------------------------
// URLs, as cmark-gfm's autolink extension finds them

/** cmark-gfm runs a link on to white space; `<>` we stop at (they become `&lt;` `&gt;`), `[]\` too. */
const URL_RUN = /(?:https?|ftp):\/\/[^ \t<>[\]\\]*/iy;
/** `www.` is matched case-sensitively by cmark-gfm. */
const WWW_RUN = /www\.[^ \t<>[\]\\]*/y;
/** Wider than `ADDRESS` on purpose: nothing shaped like an address may stay inside a URL. */
const ADDRESS_IN_URL = /[A-Za-z0-9_.%+-]+@[A-Za-z0-9_-]+\.[A-Za-z0-9_]/;

function url(s: string, i: number, prev: string, flush: boolean): Hit | null {
  URL_RUN.lastIndex = i;
  WWW_RUN.lastIndex = i;
  let m = URL_RUN.exec(s);
  const www = !m;
  if (!m) {
    // cmark-gfm links `www.` only at the start of a line or after white space, `*`, `_`, `~` or `(`.
    if (i === 0 ? !flush : !/[ \t*_~(]/.test(prev)) return null;
    m = WWW_RUN.exec(s);
    if (!m) return null;
  }
  let run = trimAutolink(m[0]);
  const cut = run.search(ADDRESS_IN_URL);
  if (cut >= 0) run = trimAutolink(run.slice(0, cut));
  if (!validHost(run, www)) return null;
  // A URL cut short at an address ends with a space, or GitHub would run its link into the hidden text.
  if (cut >= 0) return { piece: { kind: "ours", text: `${run} ` }, length: run.length };
  return { piece: { kind: "url", text: run }, length: run.length };
}

/** cmark-gfm's `autolink_delim`: trailing punctuation, an unbalanced `)` and an entity are not linked. */
function trimAutolink(run: string): string {
  let end = run.length;
  const opening = count(run, "(");
  let closing = count(run, ")");
  while (end > 0) {
    const c = run[end - 1]!;
    if ("?!.,:*_~'\"".includes(c)) {
      end--;
    } else if (c === ";") {
      let k = end - 2;
      while (k > 0 && isAsciiLetter(run[k]!)) k--;
      end = k < end - 2 && run[k] === "&" ? k : end - 1;
    } else if (c === ")") {
      // Trimming never removes a `(`, so its count holds.
      if (closing <= opening) break;
      closing--;
      end--;
    } else {
      break;
    }
  }
  return run.slice(0, end);
}

/**
 * cmark-gfm's `check_domain`: the host starts with a letter or digit, and its last two labels have no `_`.
 * A one-label host (`http://localhost/`) is linked too.
 */
function validHost(run: string, www: boolean): boolean {
  // After `www.` cmark-gfm would even link `www.@x`; we ask for a host character, to stay on the safe side.
  const rest = run.slice(www ? 4 : run.indexOf("//") + 2);
  // Letters, digits and anything beyond ASCII count as host characters (cmark-gfm: not space, not punctuation).
  const host = /^[A-Za-z0-9_.\-\u0080-\uFFFF]*/.exec(rest)![0];
  if (!/^[A-Za-z0-9\u0080-\uFFFF]/.test(host)) return false;
  return !host
    .split(".")
    .slice(-2)
    .some((label) => label.includes("_"));
}

// ---------------------------------------------------------------------------------------------------
// Plain text

interface PlainContext {
  /** At the start of a Markdown line: `-`, `+`, `=` and `1.` would make a list or a heading there. */
  lineStart: boolean;
  /** Right after a URL: GitHub runs its link on to the next white space. */
  afterUrl: boolean;
  prevOut: string;
  nextOut: string;
}

/** Never clickable, even inside a word: a zero-width space after the colon stops any linkifier reading a scheme. */
const UNSAFE_SCHEME = /(?:javascript|vbscript|data):/gi;
const GH_REF = /\bGH-(?=\d)/gi;
const BACKSLASHED = new Set(["\\", "`", "*", "_", "~", "[", "]", "|", "$", "#"]);
/**
 * Named entities for the text glued to a URL. cmark-gfm would take a backslash there into the link and
 * then read the character after it as Markdown; a trailing `&name;` it leaves out of the link instead.
 * `~` has no entity and stays as it is (at worst a strike-through).
 */
const ENTITY: Record<string, string> = {
  "\\": "&bsol;",
  "`": "&grave;",
  "*": "&ast;",
  _: "&lowbar;",
  "[": "&lsqb;",
  "]": "&rsqb;",
  "|": "&verbar;",
  $: "&dollar;",
  "#": "&num;",
  "!": "&excl;",
  "(": "&lpar;",
  "~": "~",
};

function escapePlain(raw: string, ctx: PlainContext): string {
  const s = raw.replace(UNSAFE_SCHEME, `$&${ZWSP}`).replace(GH_REF, `$&${ZWSP}`);
  let glued = ctx.afterUrl;
  let out = "";
  let i = 0;
  if (ctx.lineStart) {
    const list = /^(?:[-+=]|\d{1,9}[.)])/.exec(s);
    if (list) {
      out = `${list[0].slice(0, -1)}\\${list[0].slice(-1)}`;
      i = list[0].length;
    }
  }
  const esc = (c: string): string => (glued ? ENTITY[c]! : `\\${c}`);
  for (; i < s.length; i++) {
    const c = s[i]!;
    const after = i + 1 < s.length ? s[i + 1]! : ctx.nextOut;
    if (c === " " || c === "\t") glued = false;
    switch (c) {
      case "&":
        out += "&amp;";
        break;
      case "<":
        out += "&lt;";
        break;
      case ">":
        out += "&gt;";
        break;
      case "@":
        out += after !== "" && !/\s/.test(after) ? `@${ZWSP}` : "@";
        break;
      case "#":
        out += esc("#") + (/\d/.test(after) ? ZWSP : "");
        break;
      case "!":
        out += after === "[" ? esc("!") : "!";
        break;
      case "(":
        // `](` closes no link once `]` is escaped, but a literal `](javascript:` should not even appear.
        out += (i === 0 ? ctx.prevOut : s[i - 1]) === "]" ? esc("(") : "(";
        break;
      default:
        out += BACKSLASHED.has(c) ? esc(c) : c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

function isAsciiLetter(c: string): boolean {
  return /^[A-Za-z]$/.test(c);
}

function isLocalChar(c: string): boolean {
  return /^[A-Za-z0-9_.%+-]$/.test(c);
}

function count(s: string, c: string): number {
  let n = 0;
  for (const ch of s) if (ch === c) n++;
  return n;
}
