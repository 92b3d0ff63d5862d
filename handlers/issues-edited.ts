import type { Context } from "probot";
import { recordTickedBoxes } from "../src/pipeline/dashboard-boxes.js";
import { appStore } from "../src/app-context.js";

/** A box ticked on the dashboard: record the verdict now (the next run acts on it). */
export async function onIssueEdited(context: Context<"issues.edited">): Promise<void> {
  const { issue, sender } = context.payload;
  if (!(issue.body ?? "").includes("<!-- xen-triage:dashboard -->") || sender.type === "Bot") return;
  const store = await appStore();
  try {
    const recorded = await recordTickedBoxes(store, issue.body ?? "", sender.login, issue.updated_at);
    context.log.info({ issue: issue.number, recorded }, "dashboard boxes");
  } finally {
    await store.close();
  }
}
