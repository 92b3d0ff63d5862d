import type { Store } from "../store/store.js";
import type { GitHubApi } from "../github/api.js";
import { ConfigError, configSchema } from "../config/config.js";
import { type PublishResult, publish } from "./publish.js";

/**
 * The app's publish: the same pipeline as `xen-triage publish`, with the settings of the repository's
 * own `.github/xen-triage.yml` (dashboard title, write budget, dry run, topic labels). A file that does
 * not validate stops the run with the field named, rather than publishing with settings nobody chose.
 */
export async function publishFromApp(store: Store, api: GitHubApi, repo: string, now: string): Promise<PublishResult> {
  const parsed = configSchema.safeParse((await api.repoConfig()) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${repo}: .github/xen-triage.yml: ${issue.path.join(".")}: ${issue.message}`);
  }
  const { github } = parsed.data;
  return publish(store, api, { repo, dryRun: github.dryRun, budget: github.budget, dashboardTitle: github.dashboardTitle, topicLabels: github.topicLabels, now });
}
