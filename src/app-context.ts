import type { Context } from "probot";
import { type GitHubApi, octokitApi } from "./github/api.js";
import { openStore, resolveDbPath } from "./store/open-store.js";
import type { Store } from "./store/store.js";

/** The store the app works on: $XEN_TRIAGE_DB, then ./xen-triage.sqlite, as for the command. */
export function appStore(): Promise<Store> {
  return openStore(resolveDbPath(undefined));
}

/** The event's repository, through the event's own (installation) Octokit. */
export function appGitHub(context: Context<"issue_comment.created" | "issues.edited">): GitHubApi {
  return octokitApi(context.octokit as never, context.payload.repository.full_name);
}
