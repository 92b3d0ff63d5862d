import type { Probot } from "probot";
import { onInstallation } from "../handlers/installation.js";
import { onIssueComment } from "../handlers/issue-comment.js";
import { onIssueEdited } from "../handlers/issues-edited.js";

/** The GitHub App: registers the handlers, nothing else (`xen-triage serve` runs it). */
export default function app(probot: Probot): void {
  probot.on("issue_comment.created", onIssueComment);
  probot.on("issues.edited", onIssueEdited);
  probot.on("installation.created", onInstallation);
}
