import type { ControlCommand } from "./message.js";
import { collapseWhiteSpace } from "./white-space.js";

/** Commands of debbugs' control server (bugs.debian.org/server-control), with the aliases it takes. */
const VERBS = new Set([
  "merge", "forcemerge", "unmerge", "reassign", "severity", "priority", "tags", "tag", "close", "reopen",
  "found", "notfound", "fixed", "notfixed", "retitle", "affects", "affect", "block", "unblock", "submitter",
  "forwarded", "notforwarded", "owner", "noowner", "summary", "outlook", "archive", "unarchive", "clone",
]);
const ALIASES: Record<string, string> = { tag: "tags", affect: "affects", priority: "severity" };
/** Where debbugs stops reading a control mail (its own rule: the whole line, trailing dots allowed). */
const STOP = /^(?:stop|quit|--|thank(?:s|\s*you)?|kthxbye)[.!,]*$/i;

/** How debbugs says in a transcript that a command did not take effect. */
const FAILED = /^(?:Failed to |Unable to |Unknown command|Unknown tag\/s|Bug number \d+ not found|Bug #?\d+ (?:does not exist|not found)|Not altering|Ignoring request)/m;

/** FAILED at the start of a line, for lines that hold no other line break for `^` to follow. */
const FAILED_AT_START = new RegExp(FAILED.source);

/** Whether a result line in [from, to) says the command failed (no such message spans two lines). */
function anyFailed(lines: string[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const line = lines[k]!;
    if (FAILED_AT_START.test(line)) return true;
    if ((line.includes("\r") || line.includes("\u2028") || line.includes("\u2029")) && FAILED.test(line)) return true;
  }
  return false;
}

/** Resolves `-1` (the bug the mail is about) and `-2`, `-3`... (clones) to bug numbers, when known. */
type Resolve = (negative: number, position: number) => number | undefined;

/**
 * Parse one command line: `forcemerge 1039422 1029998`, `tags 1090233 + confirmed`,
 * `block 1090233 by 1090100 1090101`, `reassign 1107480 src:xfsprogs 6.1.0-1`. Null when the line is
 * not a command. `-1` stands for `self`, the bug the mail is about.
 */
export function parseControlLine(line: string, via: ControlCommand["via"], self?: number): ControlCommand | null {
  return parseWith(line, via, (n) => (n === 1 ? self : undefined));
}

function parseWith(line: string, via: ControlCommand["via"], resolve: Resolve): ControlCommand | null {
  const trimmed = line.trim();
  if (!startsWithVerb(trimmed)) return null;
  const text = collapseWhiteSpace(trimmed);
  // `verb rest`: a word of ASCII letters, one space, the rest (text holds no line breaks any more).
  const space = text.indexOf(" ");
  if (space <= 0 || !isAsciiWord(text, space)) return null;
  const raw = text.slice(0, space).toLowerCase();
  if (!VERBS.has(raw)) return null;
  const verb = ALIASES[raw] ?? raw;
  const tokens = text.slice(space + 1).split(" ");
  const bugs: number[] = [];
  let named = 0;
  let i = 0;
  /** Takes bug tokens (`1039422`, `#1039422`, `-1`, `1039422,`) while there are some, at most `max`. */
  const takeBugs = (max: number): void => {
    let taken = 0;
    while (i < tokens.length && taken < max) {
      const t = /^(?:#?(\d{1,7})|#?-(\d{1,2})),?$/.exec(tokens[i]!);
      if (!t) break;
      if (t[1]) {
        if (Number(t[1]) > 0) bugs.push(Number(t[1]));
      } else {
        const n = resolve(Number(t[2]), named);
        if (n) bugs.push(n);
      }
      named++;
      taken++;
      i++;
    }
  };
  // Only merge and forcemerge name several bugs up front; every other command names one, and what
  // follows it (`retitle 1090233 32 bit guests fail`, `close 1090233 4`) is its argument.
  takeBugs(verb === "merge" || verb === "forcemerge" ? Infinity : 1);
  if (named === 0) return null;
  if ((verb === "block" || verb === "unblock") && /^(?:by|with)$/i.test(tokens[i] ?? "")) {
    i++;
    // debbugs splits the blockers at white space and commas.
    const blockers = tokens.slice(i).join(" ").split(/[\s,]+/).filter(Boolean);
    const before = tokens.length;
    tokens.splice(i, before - i, ...blockers);
    takeBugs(Infinity);
  }
  if (bugs.length === 0) return null;
  return { verb, bugs, args: tokens.slice(i).join(" "), line: text, via };
}

/**
 * Whether a trimmed line opens with a verb and white space: most lines of a mail do not, and are known
 * so before their white space is squeezed (white space squeezed is still white space, so the answer is
 * the same for the squeezed line).
 */
function startsWithVerb(trimmed: string): boolean {
  let k = 0;
  while (k < trimmed.length && k <= MAX_VERB && isAsciiLetter(trimmed.charCodeAt(k))) k++;
  return k > 0 && k < trimmed.length && /\s/.test(trimmed[k]!) && VERBS.has(trimmed.slice(0, k).toLowerCase());
}

const MAX_VERB = Math.max(...[...VERBS].map((v) => v.length));

function isAsciiLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}

function isAsciiWord(text: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/** `Control:` pseudo-headers at the top of a mail to a bug (`self`, which `-1` stands for). */
export function controlsFromPseudoHeaders(body: string, self?: number): ControlCommand[] {
  const out: ControlCommand[] = [];
  for (const line of leadingPseudoHeaderLines(body)) {
    const m = /^control:\s*(.*)$/i.exec(line);
    if (!m) continue;
    const cmd = parseControlLine(m[1]!, "pseudo-header", self);
    if (cmd) out.push(cmd);
  }
  return out;
}

/**
 * The lines of the pseudo-header block at a body's start (`Package:`, `Control:`, ...). Like debbugs,
 * an inline PGP clearsign header before them is skipped.
 */
export function leadingPseudoHeaderLines(body: string): string[] {
  const out: string[] = [];
  // Walk line by line and stop at the first line that is not one: no need to split the whole body.
  let pos = 0;
  const next = (): string | null => {
    if (pos > body.length) return null;
    let eol = body.indexOf("\n", pos);
    if (eol < 0) eol = body.length;
    const line = body.slice(pos, eol);
    pos = eol + 1;
    return line;
  };
  let line = next();
  while (line !== null && line.trim() === "") line = next();
  if (line !== null && /^-----BEGIN PGP SIGNED MESSAGE-----\s*$/.test(line)) {
    while (line !== null && line.trim() !== "") line = next();
  }
  for (; line !== null; line = next()) {
    if (line.trim() === "") {
      if (out.length) break;
      continue;
    }
    if (!/^[A-Za-z][A-Za-z-]*:\s/.test(line)) break;
    out.push(line.trim());
  }
  return out;
}

/** Whether a From header is the BTS's own (its notices and "Processed:" transcripts). */
export function isBtsSender(fromHeader: string): boolean {
  return /bugs\.debian\.org|Debian Bug Tracking System/i.test(fromHeader);
}

/**
 * The `close` a mail performs without a command: sent to `N-done@` (or the older `N-close@`) the BTS
 * closes N; and the BTS's own "Bug#N: marked as done" notice says it did. The fixed version, when the
 * mail says: the archive's mail names the upload in its subject (`Bug#N: fixed in xen 4.17.5-1`, as
 * `xen/4.17.5-1`), the notice quotes that subject line, and a person's mail has a `Version:` pseudo-header.
 */
export function controlsFromDoneMail(subject: string, fromHeader: string, recipients: string[], body: string): ControlCommand[] {
  const bugs: number[] = [];
  for (const a of recipients) {
    const m = /^(\d{1,7})-(?:done|close)@bugs\.debian\.org$/i.exec(a.trim());
    if (m && Number(m[1]) > 0 && !bugs.includes(Number(m[1]))) bugs.push(Number(m[1]));
  }
  const line = subject.replace(/\s+/g, " ").trim();
  const notice = /^Bug#(\d{1,7}): marked as done\b/i.exec(line);
  if (notice && isBtsSender(fromHeader) && !bugs.includes(Number(notice[1]))) bugs.push(Number(notice[1]));
  if (!bugs.length) return [];
  const upload = notice ? /^and subject line Bug#\d{1,7}: fixed in (\S+) (\S+)\s*$/im.exec(body.slice(0, 2000)) : /^Bug#\d{1,7}: fixed in (\S+) (\S+)$/i.exec(line);
  const version = upload
    ? `${upload[1]}/${upload[2]}`
    : notice
      ? undefined
      : /^version:\s*(\S+)/i.exec(leadingPseudoHeaderLines(body).find((l) => /^version:/i.test(l)) ?? "")?.[1];
  return bugs.map((bug) => {
    const line = `close ${bug}${version ? ` ${version}` : ""}`;
    return { verb: "close", bugs: [bug], args: version ?? "", line, via: "done-mail" };
  });
}

/** A mail to control@bugs.debian.org: each line a command, until `thanks`, `quit` or a signature. */
export function controlsFromControlMail(body: string): ControlCommand[] {
  const out: ControlCommand[] = [];
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (STOP.test(line)) break;
    if (line === "" || line.startsWith("#")) continue;
    const cmd = parseControlLine(line, "control-mail");
    if (cmd) out.push(cmd);
  }
  return out;
}

/**
 * A BTS "Processed:" transcript echoes each command it ran as `> command`, followed by its result
 * (`Bug #981662 [src:xfsprogs] title`, naming the command's first bug), which tells which bug a `-1` was
 * when it comes first; elsewhere `-1` is `self`. `Bug 1054644 cloned as bug 1059424` tells what a clone's
 * `-2` stands for in the commands after it.
 */
export function controlsFromTranscript(body: string, self?: number): ControlCommand[] {
  const out: ControlCommand[] = [];
  const known = new Map<number, number>();
  if (self) known.set(1, self);
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.charCodeAt(0) !== 62 /* > */) continue;
    const m = /^>\s?(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const line = m[1]!.trim();
    if (STOP.test(line)) break;
    // The result lines up to the next echoed command.
    let end = i + 1;
    while (end < lines.length && lines[end]!.charCodeAt(0) !== 62) end++;
    const first = /^Bug #(\d{1,7})\b/.exec(lines[i + 1] ?? "");
    const cmd = parseWith(line, "transcript", (n, position) =>
      position === 0 && first ? Number(first[1]) : known.get(n),
    );
    if (!cmd) continue;
    // A command the BTS refused ("Processed (with N errors)") changed nothing: it is not state.
    if (anyFailed(lines, i + 1, end)) continue;
    out.push(cmd);
    // What this command's negative ids turned out to be, for the commands after it.
    if (first && line.includes("-")) {
      const firstToken = /^#?-(\d{1,2}),?$/.exec(line.split(/\s+/)[1] ?? "");
      if (firstToken) known.set(Number(firstToken[1]), Number(first[1]));
    }
    if (cmd.verb === "clone") {
      const ids = cmd.args.split(" ").filter((t) => /^-\d{1,2}$/.test(t)).map((t) => -Number(t));
      const made = /cloned as bugs? (\d{1,7})(?:-(\d{1,7}))?/.exec(lines.slice(i + 1, end).join(" "));
      if (made) ids.forEach((n, k) => known.set(n, Number(made[1]) + k));
    }
  }
  return out;
}
