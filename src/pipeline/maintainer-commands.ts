import type { Store } from "../store/store.js";
import type { TriageCommand } from "../triage/commands.js";
import { judgePair } from "./list-duplicates.js";
import { corrected } from "./triage.js";

export interface CommandOutcome {
  /** One line per command, for the bot's reply. */
  done: string[];
  /** The report's tracking issue should be re-rendered now. */
  refresh: boolean;
}

/**
 * Apply a maintainer's `/triage` commands to a report: topic corrections (stored, and applied to the
 * report's topics at once; `triage` keeps them), duplicate verdicts (stored; a rejected pair is never
 * suggested again, an accepted one shows its control block), refresh. The caller has checked that the
 * author may write to the repository.
 */
export async function applyCommands(store: Store, reportId: string, commands: TriageCommand[], by: string, at: string): Promise<CommandOutcome> {
  const done: string[] = [];
  let refresh = false;
  for (const c of commands) {
    switch (c.kind) {
      case "topic": {
        for (const topic of c.add) await store.setTopicCorrection({ reportId, topic, present: true, by, at });
        for (const topic of c.remove) await store.setTopicCorrection({ reportId, topic, present: false, by, at });
        const mine = (await store.topicCorrections()).filter((x) => x.reportId === reportId);
        const key = (await store.topicKeys()).get(reportId) ?? "";
        await store.setTopics(reportId, corrected(await store.reportTopics(reportId), mine), key);
        done.push(`topics: ${[...c.add.map((t) => `+${t}`), ...c.remove.map((t) => `-${t}`)].join(" ")}`);
        refresh = true;
        break;
      }
      case "duplicate-of":
      case "not-duplicate":
        try {
          await judgePair(store, reportId, `bug:${c.bug}`, c.kind === "duplicate-of" ? "accepted" : "rejected", by, at);
        } catch (err) {
          // A bug the store does not hold (or the report itself): say so; the other commands still count.
          done.push(`not recorded: ${(err as Error).message} (#${c.bug})`);
          break;
        }
        done.push(c.kind === "duplicate-of" ? `recorded: duplicate of #${c.bug}` : `recorded: not a duplicate of #${c.bug}; never suggested again`);
        refresh = true;
        break;
      case "refresh":
        done.push("refreshed");
        refresh = true;
        break;
    }
  }
  return { done, refresh };
}
