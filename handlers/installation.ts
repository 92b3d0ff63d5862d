import type { Context } from "probot";
import { octokitApi } from "../src/github/api.js";
import { publishFromApp } from "../src/pipeline/app-publish.js";
import { appStore } from "../src/app-context.js";

/** Installed on repositories: publish the store to each (the same pipeline as `xen-triage publish`). */
export async function onInstallation(context: Context<"installation.created">): Promise<void> {
  const store = await appStore();
  try {
    for (const r of context.payload.repositories ?? []) {
      const result = await publishFromApp(store, octokitApi(context.octokit as never, r.full_name), r.full_name, new Date().toISOString());
      context.log.info({ repo: r.full_name, issues: result.issues, dashboard: result.dashboard }, "published");
    }
  } finally {
    await store.close();
  }
}
