import type { ListedCandidate } from "../pipeline/list-duplicates.js";
import { DUPLICATE_MODEL } from "../duplicates/model.js";
import { renderCandidate } from "./duplicates-text.js";
import type { Message } from "../mail/message.js";
import type { BugStatus } from "../sources/bts/bug-status.js";
import type { ReportSummary } from "../store/store.js";
import type { TopicResult } from "../triage/classify.js";

/** `reports` as a terminal table: id, messages, last activity, title. */
export function renderReportList(reports: ReportSummary[]): string {
  if (reports.length === 0) return "No reports. Ingest some mail first: xen-triage ingest FILE|FOLDER|URL\n";
  const idWidth = Math.min(48, Math.max(...reports.map((r) => r.id.length), 6));
  const lines = [`${"REPORT".padEnd(idWidth)}  MSGS  LAST        STATE     ${"TOPICS".padEnd(20)}  TITLE`];
  for (const r of reports) {
    const id = r.id.length > idWidth ? `${r.id.slice(0, idWidth - 1)}…` : r.id.padEnd(idWidth);
    const topics = r.topics.map((t) => t.topic).join(",") || "-";
    lines.push(
      `${id}  ${String(r.messages).padStart(4)}  ${(r.lastDate ?? "").slice(0, 10).padEnd(10)}  ${(r.state ?? "-").padEnd(8)}  ${topics.padEnd(20)}  ${r.title}`,
    );
  }
  lines.push("", `${reports.length} report${reports.length === 1 ? "" : "s"}`);
  return `${lines.join("\n")}\n`;
}

/** `show ID`: the report's header, then each message with its author's own text. */
export function renderReport(
  report: ReportSummary,
  messages: Message[],
  bugStatus: BugStatus | null = null,
  topics: TopicResult[] = [],
  duplicates: ListedCandidate[] = [],
  threshold = DUPLICATE_MODEL.threshold,
): string {
  const out: string[] = [];
  out.push(`${report.id}  ${report.title}`);
  if (report.bug !== null) out.push(`https://bugs.debian.org/${report.bug}`);
  if (report.stateFrom !== null) {
    const merged = report.mergedWith.length ? `, merged with ${report.mergedWith.map((b) => `#${b}`).join(" ")}` : "";
    const from = report.stateFrom === "mail" ? " (from control mail, not yet confirmed by the BTS)" : "";
    out.push(`${report.package ?? "package ?"}, ${report.severity ?? "severity ?"}, ${report.state ?? "state ?"}${merged}${from}`);
  }
  if (bugStatus) {
    const facts = [
      bugStatus.tags.length ? `tags ${bugStatus.tags.join(" ")}` : "",
      bugStatus.foundVersions.length ? `found in ${bugStatus.foundVersions.join(", ")}` : "",
      bugStatus.fixedVersions.length ? `fixed in ${bugStatus.fixedVersions.join(", ")}` : "",
      bugStatus.forwarded ? `forwarded to ${bugStatus.forwarded}` : "",
      bugStatus.blockedBy.length ? `blocked by ${bugStatus.blockedBy.map((b) => `#${b}`).join(" ")}` : "",
      bugStatus.blocks.length ? `blocks ${bugStatus.blocks.map((b) => `#${b}`).join(" ")}` : "",
    ].filter(Boolean);
    if (facts.length) out.push(facts.join("; "));
  }
  out.push(`${report.messages} message${report.messages === 1 ? "" : "s"}, ${day(report.firstDate)} to ${day(report.lastDate)}`);
  for (const t of topics) {
    out.push(`topic ${t.topic} (${t.score.toFixed(2)})`);
    for (const e of t.evidence) out.push(`    "${e.term}" in ${e.message === 0 ? "the title" : `message ${e.message}, line ${e.line}`}: ${e.text}`);
  }
  const suggested = duplicates.filter((c) => c.score >= threshold);
  if (suggested.length) out.push(`possible duplicate${suggested.length === 1 ? "" : "s"}:`, ...suggested.map((c) => renderCandidate(c, "    ")));
  const others = duplicates.filter((c) => c.score < threshold).slice(0, 3);
  if (others.length) out.push(`closest other reports (below ${threshold}): ${others.map((c) => `${c.report} ${c.score.toFixed(2)}`).join(", ")}`);
  for (const [i, m] of messages.entries()) {
    out.push("", `--- ${i + 1}. ${m.fromName ?? m.fromAddress ?? "unknown"}, ${m.date ?? "no date"}`);
    out.push(`    ${m.subject}`);
    out.push(`    ${m.id}`);
    for (const c of m.controls) out.push(`    control (${c.via}): ${c.line}`);
    const refs = m.bugRefs.filter((r) => !m.bugs.includes(r.bug)).map((r) => `#${r.bug}`);
    if (refs.length) out.push(`    mentions: ${[...new Set(refs)].join(" ")}`);
    for (const w of m.warnings) out.push(`    warning: ${w}`);
    out.push("");
    out.push(indent(m.ownText || "(no text of its own)"));
  }
  return `${out.join("\n")}\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => (l ? `    ${l}` : ""))
    .join("\n");
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "?";
}
