import { type ReportSummary, isOpenReport } from "../store/store.js";
import type { ListedDuplicates } from "../pipeline/list-duplicates.js";
import { inlineText } from "./sanitize.js";
import { BODY_LIMIT, publicKey, reportRef } from "./tracking-issue.js";

export const DASHBOARD_MARKER = "<!-- xen-triage:dashboard -->";

export interface DashboardInput {
  title: string;
  reports: ReportSummary[];
  suggestions: ListedDuplicates[];
  /** Tracking issue number of each report published so far. */
  issues: Map<string, number>;
  /** Today, ISO 8601 (weeks are counted back from it). */
  now: string;
}

/** A pair box ticked on the dashboard: `accept` or `reject`, newer report first (public keys: see publicKey). */
export interface TickedBox {
  verdict: "accepted" | "rejected";
  report: string;
  candidate: string;
}

const BOX = /^\s*- \[[xX]\] (?:accept|reject)\b.*<!-- xen-triage:(accept|reject)=([^ |]+)\|([^ ]+) -->\s*$/gm;

/** The boxes ticked in a dashboard body (read from the live body, so a tick made during a run counts). */
export function tickedBoxes(body: string): TickedBox[] {
  return [...body.matchAll(BOX)].map((m) => ({ verdict: m[1] === "accept" ? "accepted" : "rejected", report: m[2]!, candidate: m[3]! }));
}


/**
 * The dashboard body, most important first: the decisions waiting (a box to accept and one to reject per
 * duplicate suggestion), the needs-a-human queue (open reports no topic fits), open reports by topic with
 * a chart, new and closed reports per week, the newest reports. Under GitHub's limit by dropping the
 * least important sections first, then shortening the lists.
 */
export function renderDashboard(input: DashboardInput): string {
  const { reports, issues } = input;
  const byId = new Map(reports.map((r) => [r.id, r]));
  const open = reports.filter(isOpenReport);

  // Each suggestion is three lines that belong together: the pair, and its two boxes.
  const pairs = input.suggestions.flatMap((s) =>
    s.candidates.map((c) => [
      `- ${reportRef(s.report, byId.get(s.report)?.title ?? s.title, issues.get(s.report))} looks like ${reportRef(c.report, byId.get(c.report)?.title ?? c.title, issues.get(c.report))} (score ${c.score.toFixed(2)})`,
      `  - [ ] accept <!-- xen-triage:accept=${publicKey(s.report)}|${publicKey(c.report)} -->`,
      `  - [ ] reject <!-- xen-triage:reject=${publicKey(s.report)}|${publicKey(c.report)} -->`,
    ]),
  );
  const decisionsHead = [
    "## Decisions waiting",
    "",
    input.suggestions.length
      ? "Duplicate suggestions. Tick **accept** to record that the two are one bug (the tracking issue then shows the control mail to send) or **reject** so the pair is never suggested again; the next run reads the boxes."
      : "No duplicate suggestions above the threshold.",
    "",
  ];
  const decisions = [...decisionsHead, ...pairs.flat()];
  const needsHuman = open.filter((r) => r.topics.length === 0);
  const queue = ["## Needs a human", "", needsHuman.length ? `${needsHuman.length === 1 ? "1 open report" : `${needsHuman.length} open reports`} that no topic fits:` : "Every open report has a topic.", "", ...needsHuman.map((r) => `- ${reportRef(r.id, r.title, issues.get(r.id))}`)];

  const counts = new Map<string, number>();
  for (const r of open) for (const t of r.topics) counts.set(t.topic, (counts.get(t.topic) ?? 0) + 1);
  const topics = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const weeks = weekly(reports, input.now, 8);
  const charts = [
    "## Open reports by topic",
    "",
    "| topic | open reports |",
    "|---|---|",
    ...topics.map(([t, n]) => `| ${t} | ${n} |`),
    "",
    ...(topics.length
      ? ["```mermaid", "xychart-beta", '  title "Open reports per topic"', `  x-axis [${topics.map(([t]) => t).join(", ")}]`, `  bar [${topics.map(([, n]) => n).join(", ")}]`, "```", ""]
      : []),
    "```mermaid",
    "xychart-beta",
    '  title "New (bars) and closed (line) reports per week"',
    `  x-axis [${weeks.map((w) => `"${w.week}"`).join(", ")}]`,
    `  bar [${weeks.map((w) => w.new).join(", ")}]`,
    `  line [${weeks.map((w) => w.closed).join(", ")}]`,
    "```",
  ];
  const newest = [...reports]
    .sort((a, b) => ((b.firstDate ?? "") < (a.firstDate ?? "") ? -1 : (b.firstDate ?? "") > (a.firstDate ?? "") ? 1 : a.id < b.id ? -1 : 1))
    .slice(0, 20);
  const latest = ["## Newest reports", "", ...newest.map((r) => `- ${(r.firstDate ?? "").slice(0, 10)} ${reportRef(r.id, r.title, issues.get(r.id))}`)];

  const head = [DASHBOARD_MARKER, `# ${inlineText(input.title)}`, "", `${reports.length} reports, ${open.length} open. Kept up to date by xen-triage; the BTS is the record.`, ""];
  // Least important last: dropped first when the body is too long, then lists are shortened.
  const sections = [decisions, queue, charts, latest];
  for (let keep = sections.length; keep >= 1; keep--) {
    const body = [...head, ...sections.slice(0, keep).flatMap((s) => [...s, ""])].join("\n");
    if (body.length <= BODY_LIMIT) return body;
  }
  // Even the decisions are too long: as many whole suggestions as fit, then where the rest are.
  const note = "\n\n_(more suggestions than fit here: see `xen-triage duplicates`)_";
  let body = [...head, ...decisionsHead].join("\n");
  for (const p of pairs) {
    const next = `${body}\n${p.join("\n")}`;
    if (next.length + note.length > BODY_LIMIT) break;
    body = next;
  }
  return body + note;
}

/** New reports (by first date) and closed ones (done or archived, by last date) per week, oldest first. */
function weekly(reports: ReportSummary[], now: string, count: number): { week: string; new: number; closed: number }[] {
  const end = Date.parse(now);
  const out = Array.from({ length: count }, (_, k) => ({ week: new Date(end - (count - k) * 7 * 86_400_000).toISOString().slice(5, 10), new: 0, closed: 0 }));
  const slot = (iso: string | null) => {
    if (!iso) return -1;
    const ago = Math.floor((end - Date.parse(iso)) / (7 * 86_400_000));
    return ago >= 0 && ago < count ? count - 1 - ago : -1;
  };
  for (const r of reports) {
    const n = slot(r.firstDate);
    if (n >= 0) out[n]!.new++;
    if (!isOpenReport(r)) {
      const c = slot(r.lastDate);
      if (c >= 0) out[c]!.closed++;
    }
  }
  return out;
}
