import { createHash } from "node:crypto";
import type { Store } from "../store/store.js";
import type { GitHubApi, IssuePatch, IssueState, PlannedWrite } from "../github/api.js";
import { renderTrackingIssue, reportMarker, type TrackingIssue } from "../render/tracking-issue.js";
import { DASHBOARD_MARKER, renderDashboard, tickedBoxes } from "../render/dashboard.js";
import { renderRunComment, type RunSnapshot, snapshotOf } from "../render/run-comment.js";
import { acceptedPairs, listDuplicates } from "./list-duplicates.js";
import { recordTickedBoxes } from "./dashboard-boxes.js";

export interface PublishOptions {
  repo: string;
  /** Record writes instead of making them; nothing is stored either. */
  dryRun: boolean;
  /** The most writes one run makes; the rest wait for the next run. */
  budget: number;
  dashboardTitle: string;
  /** ISO 8601; the dashboard's date and weeks count from it. */
  now: string;
  /** Label per topic on tracking issues (default `topic:NAME`). */
  topicLabels?: Record<string, string>;
}

export interface PublishResult {
  repo: string;
  dryRun: boolean;
  issues: { created: number; updated: number; closed: number; reopened: number; unchanged: number };
  dashboard: "created" | "updated" | "unchanged" | "deferred";
  comment: boolean;
  /** Boxes ticked on the dashboard, recorded as maintainers' verdicts. */
  verdicts: number;
  /** Reports whose issue waits for the next run: the write budget ran out. */
  deferred: number;
  writes: PlannedWrite[];
}

export const DEFAULT_BUDGET = 500;

/** A result before anything is done. */
function nothingDone(repo: string, dryRun: boolean): PublishResult {
  return {
    repo,
    dryRun,
    issues: { created: 0, updated: 0, closed: 0, reopened: 0, unchanged: 0 },
    dashboard: "unchanged",
    comment: false,
    verdicts: 0,
    deferred: 0,
    writes: [],
  };
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 24);
}

/**
 * Publish the store to a GitHub repository, the same way from `serve` (the app) and `publish`:
 * 1. the dashboard's ticked boxes are read from its live body and recorded as verdicts;
 * 2. each report's tracking issue is rendered; a report whose rendering is what was last published
 *    costs no request at all; otherwise its issue is found (stored number, then hidden marker), created
 *    or updated (only what changed), closed when the bug is done or archived, reopened when it is not;
 * 3. the dashboard is rendered, the live body read again just before writing so a box ticked meanwhile
 *    stays ticked, and written only when it changed;
 * 4. one comment on the dashboard says what changed since the last run, when something did.
 * At most `budget` writes; what is left waits for the next run (and is counted in `deferred`).
 */
export async function publish(store: Store, api: GitHubApi, options: PublishOptions): Promise<PublishResult> {
  const result = nothingDone(options.repo, options.dryRun);
  const spend = (w: PlannedWrite): boolean => {
    if (result.writes.length >= options.budget) return false;
    result.writes.push(w);
    return true;
  };

  // 1. Decisions ticked on the dashboard since the last run.
  const stored = await store.githubDashboard(options.repo);
  // Issues by their marker, read once and only when some number is not stored.
  let marked: Map<string, IssueState> | null = null;
  const byMarker = async (marker: string): Promise<IssueState | null> => {
    if (!marked) {
      marked = new Map();
      for (const i of await api.listMarked()) for (const m of i.body.match(/<!-- xen-triage:[^>]*-->/g) ?? []) if (!marked.has(m)) marked.set(m, i);
    }
    return marked.get(marker) ?? null;
  };
  const liveDashboard = stored ? await api.getIssue(stored.number) : await byMarker(DASHBOARD_MARKER);
  if (liveDashboard) {
    if (options.dryRun) result.verdicts = tickedBoxes(liveDashboard.body).length;
    else result.verdicts = await recordTickedBoxes(store, liveDashboard.body, "dashboard", options.now);
  }

  // 2. Tracking issues.
  const reports = await store.listReports();
  const suggestions = await listDuplicates(store);
  const byReport = new Map(suggestions.map((s) => [s.report, s.candidates]));
  const accepted = await acceptedPairs(store);
  const known = await store.githubIssues(options.repo);
  const published: { reportId: string; number: number; rendered: string }[] = [];
  const numbers = new Map<string, number>([...known].map(([id, v]) => [id, v.number]));
  for (const summary of reports) {
    const full = await store.getReport(summary.id);
    if (!full) continue;
    const issue = renderTrackingIssue({
      report: full.report,
      bugStatus: full.bugStatus,
      messages: full.messages,
      topics: await store.reportTopics(summary.id),
      duplicates: byReport.get(summary.id) ?? [],
      accepted: accepted.get(summary.id) ?? [],
    }, options.topicLabels);
    const rendered = digest(issue);
    const before = known.get(summary.id);
    if (before && before.rendered === rendered) {
      result.issues.unchanged++;
      continue;
    }
    const number = await syncIssue(api, issue, before?.number ?? null, spend, result, byMarker);
    if (number === null) {
      result.deferred++;
      continue;
    }
    numbers.set(summary.id, number);
    published.push({ reportId: summary.id, number, rendered });
  }
  if (!options.dryRun && published.length) await store.setGithubIssues(options.repo, published.filter((p) => p.number > 0));

  // 3. The dashboard.
  const body = renderDashboard({ title: options.dashboardTitle, reports, suggestions, issues: numbers, now: options.now });
  const snapshot = snapshotOf(reports, suggestions);
  let dashboardNumber = stored?.number ?? liveDashboard?.number ?? null;
  const renderedDashboard = digest(body);
  if (!stored || stored.rendered !== renderedDashboard) {
    // Read the live body once more: a box ticked while this run rendered stays ticked.
    const live = dashboardNumber !== null ? await api.getIssue(dashboardNumber) : null;
    const keep = new Set((live ? tickedBoxes(live.body) : []).map((t) => `${t.verdict === "accepted" ? "accept" : "reject"}=${t.report}|${t.candidate}`));
    const final = body.replace(/^(\s*- )\[ \]( (?:accept|reject)\b.*<!-- xen-triage:((?:accept|reject)=[^ ]+) -->)$/gm, (line, pre: string, rest: string, key: string) =>
      keep.has(key) ? `${pre}[x]${rest}` : line,
    );
    if (live && live.body === final) result.dashboard = "unchanged";
    else if (dashboardNumber === null || live === null) {
      if (spend({ action: "create issue", issue: null, title: options.dashboardTitle, detail: `${final.length} characters` })) {
        dashboardNumber = await api.createIssue({ title: options.dashboardTitle, body: final, labels: [] });
        result.dashboard = "created";
      } else result.dashboard = "deferred";
    } else if (spend({ action: "update issue", issue: dashboardNumber, title: options.dashboardTitle, detail: "new body" })) {
      await api.updateIssue(dashboardNumber, { body: final });
      result.dashboard = "updated";
    } else result.dashboard = "deferred";
  }

  // 4. One comment about what changed, when something did.
  if (dashboardNumber !== null && result.dashboard !== "deferred") {
    const previous = stored ? (JSON.parse(stored.snapshot) as RunSnapshot) : null;
    const comment = renderRunComment(previous, snapshot, reports, numbers, options.now);
    if (comment && spend({ action: "comment", issue: dashboardNumber, title: options.dashboardTitle, detail: `${comment.split("\n").length} lines` })) {
      await api.comment(dashboardNumber, comment);
      result.comment = true;
    }
    if (!options.dryRun && dashboardNumber > 0) await store.setGithubDashboard(options.repo, { number: dashboardNumber, rendered: renderedDashboard, snapshot: JSON.stringify(snapshot) });
  }
  return result;
}

/** Find, create or update one report's issue; null when the budget is spent. */
async function syncIssue(
  api: GitHubApi,
  issue: TrackingIssue,
  storedNumber: number | null,
  spend: (w: PlannedWrite) => boolean,
  result: PublishResult,
  byMarker: (marker: string) => Promise<IssueState | null>,
): Promise<number | null> {
  const live = (storedNumber !== null ? await api.getIssue(storedNumber) : null) ?? (await byMarker(reportMarker(issue.reportId)));
  if (!live) {
    if (!spend({ action: "create issue", issue: null, title: issue.title, detail: `labels ${issue.labels.join(", ")}` })) return null;
    const number = await api.createIssue({ title: issue.title, body: issue.body, labels: issue.labels });
    result.issues.created++;
    if (!issue.open) {
      if (spend({ action: "close issue", issue: number, title: issue.title, detail: "the bug is done" })) {
        await api.updateIssue(number, { open: false });
        result.issues.closed++;
      }
    }
    return number;
  }
  const patch: IssuePatch = {};
  if (live.title !== issue.title) patch.title = issue.title;
  if (live.body !== issue.body) patch.body = issue.body;
  if ([...live.labels].sort().join("\n") !== [...issue.labels].sort().join("\n")) patch.labels = issue.labels;
  if (live.open !== issue.open) patch.open = issue.open;
  if (Object.keys(patch).length === 0) {
    result.issues.unchanged++;
    return live.number;
  }
  const action = patch.open === false ? "close issue" : patch.open === true ? "reopen issue" : "update issue";
  if (!spend({ action, issue: live.number, title: issue.title, detail: `new ${Object.keys(patch).join(", ")}` })) return null;
  await api.updateIssue(live.number, patch);
  if (patch.open === false) result.issues.closed++;
  else if (patch.open === true) result.issues.reopened++;
  else result.issues.updated++;
  return live.number;
}

/** Re-render and sync one report's tracking issue (after a maintainer's command); returns its number. */
export async function publishReport(store: Store, api: GitHubApi, repo: string, reportId: string, topicLabels: Record<string, string> = {}): Promise<number | null> {
  const full = await store.getReport(reportId);
  if (!full) return null;
  const suggestions = await listDuplicates(store, { report: reportId });
  const issue = renderTrackingIssue({
    report: full.report,
    bugStatus: full.bugStatus,
    messages: full.messages,
    topics: await store.reportTopics(reportId),
    duplicates: suggestions[0]?.candidates ?? [],
    accepted: (await acceptedPairs(store)).get(reportId) ?? [],
  }, topicLabels);
  const known = (await store.githubIssues(repo)).get(reportId);
  const result = nothingDone(repo, false);
  const number = await syncIssue(api, issue, known?.number ?? null, () => true, result, async (marker) => (await api.listMarked()).find((i) => i.body.includes(marker)) ?? null);
  if (number !== null && number > 0) await store.setGithubIssues(repo, [{ reportId, number, rendered: digest(issue) }]);
  return number;
}
