import { CsvError, csvObjects } from "./csv.js";

/**
 * The gitbugs duplicate-labelled bug sets (Patil 2025): `*_bugs.csv` with Summary, Issue id, Created,
 * Description (Bugzilla and Jira exports), and pair files with Issue id, Duplicate id. The duplicate
 * finder is measured on them by making each bug one `Bug#ID: Summary` mail, dated by Created.
 */
export interface GitbugsReport {
  id: number;
  summary: string;
  /** ISO 8601. */
  created: string;
  description: string;
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** Bugzilla's `2020-01-02 17:14:21+00:00` or Jira's `30/Sep/21 17:20` (no zone: taken as UTC). */
export function parseCreated(text: string): string | null {
  const s = text.trim();
  const jira = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}) (\d{1,2}):(\d{2})$/.exec(s);
  if (jira) {
    const month = MONTHS[jira[2]!.toLowerCase()];
    if (month === undefined) return null;
    const [day, hour, minute] = [Number(jira[1]), Number(jira[4]), Number(jira[5])];
    const d = new Date(Date.UTC(2000 + Number(jira[3]), month, day, hour, minute));
    // Date.UTC rolls 31 February into March: a date that does not come back as written is not a date.
    return d.getUTCDate() === day && d.getUTCMonth() === month && d.getUTCHours() === hour && d.getUTCMinutes() === minute ? d.toISOString() : null;
  }
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (iso) {
    const d = new Date(`${iso[1]}T${iso[2]}${iso[3] ?? "Z"}`);
    const [y, m, day] = iso[1]!.split("-").map(Number);
    // 2021-02-30 parses as 2 March; check the calendar date on its own, where no zone can move it.
    const calendar = new Date(Date.UTC(y!, m! - 1, day!));
    return Number.isNaN(d.getTime()) || calendar.getUTCDate() !== day || calendar.getUTCMonth() !== m! - 1 ? null : d.toISOString();
  }
  return null;
}

/** The bugs of a `*_bugs.csv`; a row without a numeric id or a readable Created date is an error naming its line. */
export function readGitbugsReports(text: string, source: string): GitbugsReport[] {
  return csvObjects(text, source, ["Summary", "Issue id", "Created", "Description"]).map(({ line, row }) => {
    const id = Number(row["Issue id"]);
    if (!Number.isInteger(id) || id <= 0) throw new CsvError(`${source}, line ${line}: Issue id "${row["Issue id"]}" is not a number`);
    const created = parseCreated(row["Created"]!);
    if (!created) throw new CsvError(`${source}, line ${line}: Created "${row["Created"]}" is not a date`);
    return { id, summary: row["Summary"]!, created, description: row["Description"]! };
  });
}

/** Pairs of a `*-combined.csv` (Issue id, Duplicate id: one id or a list "1, 2"), each pair once whatever its direction. */
export function readGitbugsPairs(text: string, source: string): [number, number][] {
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (const { line, row } of csvObjects(text, source, ["Issue id", "Duplicate id"])) {
    const a = Number(row["Issue id"]);
    const others = row["Duplicate id"]!.split(/[\s,]+/).filter(Boolean).map(Number);
    if (!Number.isInteger(a) || a <= 0 || others.length === 0 || others.some((b) => !Number.isInteger(b) || b <= 0)) {
      throw new CsvError(`${source}, line ${line}: expected an issue id and one or more duplicate ids`);
    }
    for (const b of others) {
      const key = a < b ? `${a} ${b}` : `${b} ${a}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      out.push([a, b]);
    }
  }
  return out;
}

/** One bug as the mail a tracker would send: `Bug#ID: Summary`, dated by Created, the description as body. */
export function gitbugsMail(r: GitbugsReport): string {
  const date = new Date(r.created);
  const subject = encodeHeader(`Bug#${r.id}: ${r.summary.replace(/\s+/g, " ").trim()}`);
  const body = r.description.replace(/\r\n?/g, "\n").replace(/^(>*From )/gm, ">$1");
  return [
    `From gitbugs@example.invalid ${asctime(date)}`,
    `From: Reporter ${r.id} <reporter-${r.id}@example.invalid>`,
    `To: ${r.id}@bugs.example.invalid`,
    `Subject: ${subject}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <gitbugs-${r.id}@example.invalid>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    body,
    "",
    "",
  ].join("\n");
}

function asctime(d: Date): string {
  const [wd, , , , time] = d.toUTCString().split(" ");
  const mon = d.toUTCString().split(" ")[2];
  return `${wd!.slice(0, 3)} ${mon} ${String(d.getUTCDate()).padStart(2, " ")} ${time} ${d.getUTCFullYear()}`;
}

/** RFC 2047 for a header with non-ASCII text (base64, in words short enough for one line each). */
function encodeHeader(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = "";
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?utf-8?b?${Buffer.from(w).toString("base64")}?=`).join("\n ");
}
