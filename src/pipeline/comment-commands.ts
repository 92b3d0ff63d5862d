import type { Store } from "../store/store.js";
import type { GitHubApi } from "../github/api.js";
import { parseTriageCommands } from "../triage/commands.js";
import { inlineText } from "../render/sanitize.js";
import { applyCommands } from "./maintainer-commands.js";
import { publishReport } from "./publish.js";
import { configSchema } from "../config/config.js";
import { keysToIds } from "../render/tracking-issue.js";

export interface CommentInput {
  repo: string;
  issueNumber: number;
  issueBody: string;
  author: string;
  commentBody: string;
  at: string;
}

const REPORT_MARKER = /<!-- xen-triage:report=([^ ]+) -->/;
const DENIED_MARKER = "<!-- xen-triage:denied -->";

/**
 * A `/triage` comment on a tracking issue: only someone with write access commands the bot; anyone else
 * gets one polite reply to the comment, and nothing is done (the bot does not answer its own or other
 * bots' comments, so replies cannot loop). Commands are applied, the issue re-rendered when they change it,
 * and one reply says what was done and what could not be read.
 */
export async function handleTriageComment(store: Store, api: GitHubApi, c: CommentInput): Promise<{ kind: "not ours" | "denied" | "done" | "nothing" }> {
  const key = REPORT_MARKER.exec(c.issueBody)?.[1];
  const reportId = key ? keysToIds((await store.listReports()).map((r) => r.id)).get(key) : undefined;
  if (!reportId) return { kind: "not ours" };
  const { commands, errors } = parseTriageCommands(c.commentBody);
  if (!commands.length && !errors.length) return { kind: "nothing" };
  if (!(await api.canWrite(c.author))) {
    await api.comment(
      c.issueNumber,
      `${DENIED_MARKER}\nThanks, ${inlineText(c.author)}. Only people with write access to this repository can give xen-triage commands; a maintainer can repeat it if it should be done.`,
    );
    return { kind: "denied" };
  }
  const outcome = await applyCommands(store, reportId, commands, c.author, c.at);
  if (outcome.refresh) {
    // The repository's own labels for topics, as `publish` uses them (a broken file: the defaults).
    const config = configSchema.safeParse((await api.repoConfig()) ?? {});
    await publishReport(store, api, c.repo, reportId, config.success ? config.data.github.topicLabels : {});
  }
  const lines = [...outcome.done.map((d) => `- ${inlineText(d)}`), ...errors.map((e) => `- could not read ${inlineText(e)}`)];
  await api.comment(c.issueNumber, lines.join("\n"));
  return { kind: "done" };
}
