import type { ControlCommand } from "./message.js";

/** Commands of debbugs' control server (bugs.debian.org/server-control), with the aliases it takes. */
const VERBS = new Set([
  "merge", "forcemerge", "unmerge", "reassign", "severity", "tags", "tag", "close", "reopen", "found",
  "notfound", "fixed", "notfixed", "retitle", "affects", "block", "unblock", "submitter", "forwarded",
  "notforwarded", "owner", "noowner", "summary", "outlook", "archive", "unarchive", "clone", "reportbug",
]);
const STOP = /^(?:thanks?|thank\s+you|quit|stop|--)\b/i;

/**
 * Parse one command line: `forcemerge 1039422 1029998`, `tags 1090233 + confirmed`,
 * `block 1090233 by 1090100 1090101`, `reassign 1107480 src:xfsprogs 6.1.0-1`. Null when the line is
 * not a command.
 */
export function parseControlLine(line: string, via: ControlCommand["via"], self?: number): ControlCommand | null {
  const text = line.trim().replace(/\s+/g, " ");
  const m = /^([a-z]+) (.*)$/i.exec(text);
  if (!m) return null;
  const verb = m[1]!.toLowerCase();
  if (!VERBS.has(verb)) return null;
  const tokens = m[2]!.split(" ");
  const bugs: number[] = [];
  let i = 0;
  const takeBugs = (): void => {
    while (i < tokens.length) {
      const t = /^(?:#?(\d{1,7})|(-\d{1,2})),?$/.exec(tokens[i]!);
      if (!t) break;
      // `-1` is "the bug this mail is about" (and -2, -3 clones): resolved when we know that bug.
      if (t[1]) bugs.push(Number(t[1]));
      else if (t[2] === "-1" && self) bugs.push(self);
      i++;
    }
  };
  takeBugs();
  if (bugs.length === 0) return null;
  if ((verb === "block" || verb === "unblock") && tokens[i]?.toLowerCase() === "by") {
    i++;
    takeBugs();
  }
  return { verb: verb === "tag" ? "tags" : verb, bugs, args: tokens.slice(i).join(" "), line: text, via };
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

/** The lines of the pseudo-header block at a body's start (`Package:`, `Control:`, ...). */
export function leadingPseudoHeaderLines(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split("\n", 60)) {
    if (line.trim() === "") {
      if (out.length) break;
      continue;
    }
    if (!/^[A-Za-z][A-Za-z-]*:\s/.test(line)) break;
    out.push(line.trim());
  }
  return out;
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
 * (`Bug #981662 [src:xfsprogs] title`), which tells which bug a `-1` was.
 */
export function controlsFromTranscript(body: string, self?: number): ControlCommand[] {
  const out: ControlCommand[] = [];
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^>\s?(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const line = m[1]!.trim();
    if (STOP.test(line)) break;
    let bug = self;
    if (/(?:^|\s)-1(?:\s|$)/.test(line)) {
      const result = /^Bug #(\d{1,7}) \[/.exec(lines[i + 1] ?? "");
      if (result) bug = Number(result[1]);
    }
    const cmd = parseControlLine(line, "transcript", bug);
    if (cmd) out.push(cmd);
  }
  return out;
}
