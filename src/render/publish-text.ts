import type { PublishResult } from "../pipeline/publish.js";

/** `publish`'s summary: counts, then each write made (or planned, in a dry run). */
export function renderPublish(r: PublishResult): string {
  const i = r.issues;
  const lines = [
    `${r.dryRun ? "Dry run: planned writes to" : "Published to"} ${r.repo}: ` +
      `${i.created} issues created, ${i.updated} updated, ${i.closed} closed, ${i.reopened} reopened, ${i.unchanged} unchanged; ` +
      `dashboard ${r.dashboard}${r.comment ? ", one comment" : ""}` +
      (r.verdicts ? `; ${r.verdicts} ticked boxes ${r.dryRun ? "seen" : "recorded"}` : "") +
      (r.deferred ? `; ${r.deferred} reports wait for the next run (write budget)` : ""),
  ];
  for (const w of r.writes) lines.push(`  ${w.action}${w.issue !== null ? ` #${w.issue < 0 ? "(new)" : w.issue}` : ""}: ${w.title}${w.detail ? ` (${w.detail})` : ""}`);
  return `${lines.join("\n")}\n`;
}
