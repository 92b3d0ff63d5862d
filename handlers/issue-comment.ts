import type { Context } from "probot";
import { handleTriageComment } from "../src/pipeline/comment-commands.js";
import { appGitHub, appStore } from "../src/app-context.js";

/** `/triage ...` in a comment on a tracking issue: read ids, call the pipeline, log. */
export async function onIssueComment(context: Context<"issue_comment.created">): Promise<void> {
  const { comment, issue, repository } = context.payload;
  const author = comment.user?.login;
  if (!author || comment.user?.type === "Bot" || !/^\s*\/triage\b/im.test(comment.body)) return;
  const store = await appStore();
  try {
    const outcome = await handleTriageComment(store, appGitHub(context), {
      repo: repository.full_name,
      issueBody: issue.body ?? "",
      issueNumber: issue.number,
      author,
      commentBody: comment.body,
      at: comment.created_at,
    });
    context.log.info({ issue: issue.number, outcome: outcome.kind }, "triage command");
  } finally {
    await store.close();
  }
}
