import type { SoapValue } from "./soap-decode.js";

/** One entry of a bug's log as `get_bug_log` gives it, made back into a raw mail. */
export interface BugLogEntry {
  bug: number;
  /** The BTS's message number (`bugreport.cgi?bug=N#59`), null when the answer lacks it. */
  msgNum: number | null;
  raw: Buffer;
}

/**
 * Turn a `get_bug_log` answer into raw mails for the one mail parser. The service sends each mail's
 * header as text (with the mbox envelope line `From x@y Mon Dec 08 12:22:26 2003` inside it, which is
 * no header) and the body already decoded to text, so the MIME headers that described the original
 * encoding are replaced by a plain UTF-8 text type.
 */
export function bugLogEntries(answer: SoapValue, bug: number): { entries: BugLogEntry[]; problems: string[] } {
  const entries: BugLogEntry[] = [];
  const problems: string[] = [];
  if (answer === null) return { entries, problems };
  if (!Array.isArray(answer)) return { entries, problems: [`get_bug_log ${bug}: expected a list of messages`] };
  answer.forEach((item, k) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      problems.push(`get_bug_log ${bug}: entry ${k + 1} is not a message`);
      return;
    }
    const header = typeof item["header"] === "string" ? item["header"] : "";
    const body = typeof item["body"] === "string" ? item["body"] : "";
    const msgNum = typeof item["msg_num"] === "number" ? item["msg_num"] : Number(item["msg_num"]) || null;
    if (header.trim() === "" && body.trim() === "") {
      problems.push(`get_bug_log ${bug}: message ${msgNum ?? k + 1} is empty`);
      return;
    }
    entries.push({ bug, msgNum, raw: Buffer.from(`${cleanHeader(header)}\n\n${body}`, "utf8") });
  });
  return { entries, problems };
}

const MIME_FIELD = /^(?:content-type|content-transfer-encoding|mime-version)\s*:/i;

function cleanHeader(header: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of header.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n")) {
    if (/^[ \t]/.test(line)) {
      if (!skipping) out.push(line);
      continue;
    }
    skipping = /^From \S+ /.test(line) || MIME_FIELD.test(line);
    if (!skipping) out.push(line);
  }
  out.push("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8");
  return out.join("\n");
}
