import type { Context } from "probot";

/** Installed: nothing to do until the first run publishes; say so in the log. */
export async function onInstallation(context: Context<"installation.created">): Promise<void> {
  const repos = (context.payload.repositories ?? []).map((r) => r.full_name);
  context.log.info({ repos }, "installed: `xen-triage run` (cron) or the next event publishes");
}
