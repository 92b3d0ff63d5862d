import type { ReportSummary } from "../store/store.js";
import type { ListedDuplicates } from "../pipeline/list-duplicates.js";
import { inlineText } from "./sanitize.js";
import { reportRef } from "./tracking-issue.js";

/** What a run saw: each report's state, and the suggested pairs. */
export interface RunSnapshot {
  reports: Record<string, string>;
  suggestions: string[];
}

export function snapshotOf(reports: ReportSummary[], suggestions: ListedDuplicates[]): RunSnapshot {
  return {
    reports: Object.fromEntries(reports.map((r) => [r.id, `${r.state ?? "open"}${r.mergedWith.length ? ` merged ${r.mergedWith.join(" ")}` : ""}`])),
    suggestions: suggestions.flatMap((s) => s.candidates.map((c) => `${s.report}|${c.report}`)).sort(),
  };
}

/** A report as the comment names it; one no longer in the store shows as "(gone)". */
function ref(id: string, byId: Map<string, ReportSummary>, issues: Map<string, number>): string {
  return reportRef(id, byId.get(id)?.title ?? "(gone)", issues.get(id));
}

/**
 * The dashboard comment for one run: new reports, new duplicate suggestions, state changes (closed,
 * reopened, merged, archived). Null when nothing changed: no comment then. The first run says only how
 * much it published, not every report.
 */
export function renderRunComment(previous: RunSnapshot | null, now: RunSnapshot, reports: ReportSummary[], issues: Map<string, number>, date: string): string | null {
  const byId = new Map(reports.map((r) => [r.id, r]));
  if (!previous) {
    return `**${date.slice(0, 10)}**: first run. ${reports.length} reports published, ${now.suggestions.length} duplicate suggestions.`;
  }
  const added = Object.keys(now.reports).filter((id) => !(id in previous.reports));
  const changed = Object.keys(now.reports).filter((id) => id in previous.reports && previous.reports[id] !== now.reports[id]);
  const before = new Set(previous.suggestions);
  const suggested = now.suggestions.filter((p) => !before.has(p));
  if (!added.length && !changed.length && !suggested.length) return null;
  const lines = [`**${date.slice(0, 10)}**: what changed since the last run.`, ""];
  if (added.length) lines.push(`New reports (${added.length}):`, ...added.slice(0, 30).map((id) => `- ${ref(id, byId, issues)}`), ...(added.length > 30 ? [`- and ${added.length - 30} more`] : []), "");
  if (suggested.length)
    lines.push(
      `New duplicate suggestions (${suggested.length}):`,
      ...suggested.slice(0, 30).map((p) => {
        const [a, b] = p.split("|") as [string, string];
        return `- ${ref(a, byId, issues)} looks like ${ref(b, byId, issues)}`;
      }),
      "",
    );
  if (changed.length) lines.push(`State changes (${changed.length}):`, ...changed.slice(0, 30).map((id) => `- ${ref(id, byId, issues)}: ${inlineText(previous.reports[id]!)} → ${inlineText(now.reports[id]!)}`), "");
  return lines.join("\n").trimEnd();
}
