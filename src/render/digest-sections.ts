import type { Digest, DigestReport } from "../triage/digest.js";

/**
 * The digest as a document that does not know its format: a heading, a summary, then sections of items.
 * The Markdown, plain-text and HTML renderers each write this one structure, so the three say the same.
 */
export interface DigestDocument {
  /** The title, summary, headings and intros are our own words (dates, counts), not mail: shown as they are. */
  title: string;
  summary: string;
  sections: DigestSection[];
}

/** Inline text: words, a report (bug link and title, or a list thread's title), or a code span. */
export type Piece = { text: string } | { report: { bug: number | null; title: string } } | { code: string };

export interface DigestItem {
  line: Piece[];
  /** Lines under the item, smaller. */
  details: string[];
  /** Preformatted lines (a control block), shown as they are. */
  block?: string[];
}

export interface DigestSection {
  heading: string;
  intro?: string;
  items: DigestItem[];
  /** Items left out to keep the digest readable. */
  more: number;
  table?: { head: string[]; rows: string[][] };
}

/** `rendered` with the one space `raw` had at either end (renderers trim; spaces join pieces). */
export function keepEdgeSpaces(raw: string, rendered: string): string {
  return `${/^\s/.test(raw) ? " " : ""}${rendered}${/\s$/.test(raw) ? " " : ""}`;
}

/** The most items a section lists; the rest are counted. */
export const SECTION_LIMIT = 50;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "?");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const ref = (r: { bug: number | null; title: string }): Piece => ({ report: { bug: r.bug, title: r.title } });

/** "xen-utils-4.17, important; systemd, init; 3 messages" */
function facts(r: DigestReport, messages: string): string {
  const what = [r.package, r.severity].filter(Boolean).join(", ");
  return [what, r.topics.join(", "), messages].filter(Boolean).join("; ");
}

/** ", from Ada Greenhill and Tomas Varga" (three at most, then how many more). */
function by(writers: string[]): string {
  if (!writers.length) return "";
  const shown = writers.slice(0, 3);
  const rest = writers.length - shown.length;
  const names = rest ? `${shown.join(", ")} and ${rest} more` : shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
  return `, from ${names}`;
}

function section(heading: string, items: DigestItem[], intro?: string): DigestSection {
  return { heading: `${heading} (${items.length})`, ...(intro ? { intro } : {}), items: items.slice(0, SECTION_LIMIT), more: Math.max(0, items.length - SECTION_LIMIT) };
}

export function digestDocument(d: Digest): DigestDocument {
  const period = `${day(d.window.since)} to ${day(previousMoment(d.window.until))}`;
  const title = `Xen triage digest, ${period}`;
  const waiting = d.suggestions.reduce((n, s) => n + s.candidates.length, 0);
  if (d.quiet) {
    return {
      title,
      summary: `Nothing new from ${period}: no new mail, no control commands, no duplicate suggestion waiting. ${plural(d.totals.reports, "report")} in all, ${d.totals.open} open.`,
      sections: [],
    };
  }
  const summary =
    `${plural(d.newReports.length, "new report")}, ${d.closed.length} closed` +
    (d.discussed.length ? `, ${plural(d.discussed.length, "other report")} discussed` : "") +
    (d.controls.length ? `, ${plural(d.controls.length, "control command")} sent` : "") +
    `; ${waiting === 0 ? "no duplicate suggestion waits" : `${plural(waiting, "duplicate suggestion")} ${waiting === 1 ? "waits" : "wait"}`} for a decision. ` +
    `${plural(d.totals.reports, "report")} in all, ${d.totals.open} open.`;

  const sections: DigestSection[] = [];
  if (waiting) {
    const items = d.suggestions.flatMap((s) =>
      s.candidates.map((c): DigestItem => ({
        line: [ref({ bug: bugOf(s.report), title: s.title }), { text: " looks like " }, ref({ bug: bugOf(c.report), title: c.title }), { text: ` (score ${c.score.toFixed(2)})` }],
        details: [...c.why, ...c.effects, ...(c.bts ? [`or: ${c.bts}`] : [])],
        ...(c.control ? { block: c.control.split("\n") } : {}),
      })),
    );
    sections.push(section("Decisions waiting", items, "Duplicate suggestions. The control block merges the pair when sent to control@bugs.debian.org; the bot never sends it."));
  }
  if (d.newReports.length) {
    sections.push(section("New reports", d.newReports.map((r) => ({ line: [ref(r)], details: [facts(r, plural(r.messages, "message"))] }))));
  }
  if (d.closed.length) {
    sections.push(section("Closed", d.closed.map((r) => ({ line: [ref(r)], details: [`closed ${day(r.closedAt)}${r.fixedIn ? `, fixed in ${r.fixedIn}` : ""}${r.state === "archived" ? ", archived" : ""}`] }))));
  }
  if (d.discussed.length) {
    sections.push(
      section(
        "Discussed",
        d.discussed.map((r) => ({
          line: [ref(r)],
          details: [facts(r, `${plural(r.messagesInPeriod, "new message")} (${r.messages} in all)${by(r.writers)}${r.state === "open" ? "" : `, ${r.state}`}`)],
        })),
        "Older reports with new mail.",
      ),
    );
  }
  if (d.controls.length) {
    sections.push(section("Control commands", d.controls.map((c) => ({ line: [{ text: `${day(c.date)} ` }, { code: c.line }], details: [] })), "As seen in mail; the BTS has the final word."));
  }
  if (d.needsHuman.length) {
    sections.push(section("Needs a human", d.needsHuman.map((r) => ({ line: [ref(r)], details: [] })), "Open reports of the period that no topic fits."));
  }
  if (d.topics.length) {
    sections.push({
      heading: "Open reports by topic",
      items: [],
      more: 0,
      table: { head: ["topic", "open", "new"], rows: d.topics.map((t) => [t.topic, String(t.open), String(t.new)]) },
    });
  }
  return { title, summary, sections };
}

function bugOf(id: string): number | null {
  const m = /^bug:(\d+)$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** The last moment before `until` (the period leaves `until` out: a week to midnight ends the day before). */
function previousMoment(until: string): string {
  return new Date(Date.parse(until) - 1).toISOString();
}
