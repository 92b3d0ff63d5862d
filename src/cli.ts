#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { existsSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Config, defaultConfig, loadConfig, taxonomyOf } from "./config/config.js";
import { evalClassify, loadClassifier } from "./pipeline/eval-classify.js";
import { readLabels } from "./pipeline/classifier.js";
import { triage } from "./pipeline/triage.js";
import { STORED_CANDIDATES, findDuplicates } from "./pipeline/find-duplicates.js";
import { listDuplicates } from "./pipeline/list-duplicates.js";
import { evalDuplicates } from "./pipeline/eval-duplicates.js";
import { renderDuplicates, renderDuplicatesEval } from "./render/duplicates-text.js";
import { dryRunApi, octokitApi, octokitFor } from "./github/api.js";
import { publish } from "./pipeline/publish.js";
import { renderPublish } from "./render/publish-text.js";
import { renderClassifyEval, renderDuplicatesRun, renderTriage } from "./render/triage-text.js";
import { type IngestResult, ingest, ingestExitCode } from "./pipeline/ingest.js";
import { collectDigest } from "./pipeline/digest.js";
import { DIGEST_FORMATS, type DigestFormat, renderDigest } from "./render/digest.js";
import { sinceTime } from "./triage/digest.js";
import { hostname, userInfo } from "node:os";
import { DEFAULT_BTS_URL } from "./sources/bts/soap-client.js";
import { progressReporter } from "./render/progress.js";
import { renderReport, renderReportList } from "./render/report-text.js";
import { openStore, resolveDbPath } from "./store/open-store.js";
import type { Store } from "./store/store.js";

class UsageError extends Error {}

/** `$XEN_TRIAGE_THREADS`: worker threads for ingest and triage (0: none); unset, they choose. */
function threadsOption(): { threads?: number } {
  const value = process.env["XEN_TRIAGE_THREADS"];
  if (value === undefined || value === "") return {};
  if (!/^\d{1,2}$/.test(value)) throw new UsageError(`XEN_TRIAGE_THREADS=${value}: give a number of threads, 0 for none`);
  return { threads: Number(value) };
}

/** The digest mail's From when the config names none: the user at this host, as mail(1) sends. */
function defaultFrom(): string {
  let user = "xen-triage";
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (a container's arbitrary uid): keep the program's name.
  }
  return `xen-triage <${user}@${hostname() || "localhost"}>`;
}

/** The `xen-triage` command: parse arguments, call one pipeline function, print. No logic here. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name("xen-triage")
    .description("Triage pkg-xen-devel mail and Debian BTS bugs into reports.")
    .option("--db <path>", "SQLite file or postgres:// URL (default: $XEN_TRIAGE_DB, then ./xen-triage.sqlite)")
    .option("--config <file>", "configuration file (YAML; see README)")
    .option("--json", "print only JSON on stdout")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  let config: Config = defaultConfig();
  program.hook("preAction", () => {
    const file = program.opts().config as string | undefined;
    if (file === undefined) return;
    if (!existsSync(file)) throw new UsageError(`--config ${file}: no such file`);
    try {
      config = loadConfig(file);
    } catch (err) {
      throw new UsageError(`--config ${(err as Error).message}`);
    }
  });

  const withStore = async <T>(fn: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore(resolveDbPath(program.opts().db));
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  const json = (): boolean => Boolean(program.opts().json);

  /** Ingest sources into an open store, with progress on stderr unless --json. */
  const ingestInto = async (store: Store, sources: string[]) => {
    const progress = json() ? { update: () => {}, grouping: () => {}, stop: () => {} } : progressReporter();
    const result = await ingest(sources, store, {
      // XEN_TRIAGE_BTS_URL, then the configuration file, then the Debian BTS.
      btsUrl: process.env["XEN_TRIAGE_BTS_URL"] || config.bts.url || DEFAULT_BTS_URL,
      btsArchived: config.bts.archived,
      db: resolveDbPath(program.opts().db),
      ...threadsOption(),
      onProgress: progress.update,
      onGrouping: progress.grouping,
      onReject: (r) => {
        if (!json()) process.stderr.write(`rejected: ${r.source}, ${r.position}: ${r.reason}\n`);
      },
    });
    progress.stop();
    return result;
  };
  const ingestSummary = (result: IngestResult) =>
    `${result.messages} messages read (${result.new} new) from ${result.sources} source${result.sources === 1 ? "" : "s"}; ` +
    `${result.reports} reports; ${result.rejected.length} rejected\n`;
  const ingestJson = ({ messages, new: added, reports, rejected }: IngestResult) => ({ messages, new: added, reports, rejected });

  program
    .command("ingest")
    .description("read mail from files, folders (mbox, .gz, .eml, pipermail .txt) and pipermail URLs")
    .argument("[source...]", "file, folder, http(s) URL of a pipermail archive, bts:src:NAME, ... (default: `sources` in the config)")
    .action(async (given: string[]) => {
      const sources = given.length ? given : config.sources;
      if (!sources.length) throw new UsageError("ingest: no source given, and no `sources` in the config file");
      const result = await withStore((store) => ingestInto(store, sources));
      process.stdout.write(json() ? `${JSON.stringify(ingestJson(result))}\n` : ingestSummary(result));
      exitCode = ingestExitCode(result);
    });

  const triageIn = async (store: Store, all: boolean) => ({
    ...(await triage(store, await loadClassifier(taxonomyOf(config), store), { all, ...threadsOption() })),
    duplicates: await findDuplicates(store, { all }),
  });

  program
    .command("triage")
    .description("classify the reports that changed since they were last classified")
    .option("--all", "classify every report again")
    .action(async (opts: { all?: boolean }) => {
      const result = await withStore((store) => triageIn(store, Boolean(opts.all)));
      process.stdout.write(json() ? `${JSON.stringify(result)}\n` : renderTriage(result) + renderDuplicatesRun(result.duplicates));
    });

  program
    .command("reports")
    .description("list reports")
    .option("--topic <name>", "only reports with this topic")
    .action(async (opts: { topic?: string }) => {
      const all = await withStore((store) => store.listReports());
      const reports = opts.topic ? all.filter((r) => r.topics.some((t) => t.topic === opts.topic)) : all;
      process.stdout.write(json() ? `${JSON.stringify(reports, null, 2)}\n` : renderReportList(reports));
    });

  program
    .command("duplicates")
    .description("duplicate suggestions above the threshold, with the control block that merges each pair")
    .option("--top <k>", "the K best candidates of every report, whatever their score")
    .action(async (opts: { top?: string }) => {
      const top = opts.top === undefined ? undefined : Number(opts.top);
      if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw new UsageError(`--top ${opts.top}: expected a positive whole number`);
      const list = await withStore((store) => listDuplicates(store, { top }));
      process.stdout.write(json() ? `${JSON.stringify(list, null, 2)}\n` : renderDuplicates(list, top));
    });

  /**
   * Where and how to publish: the repository (--repo, then GITHUB_REPOSITORY, then the config), dry run
   * or a token. Without a repository: a usage error when `required`, else null (nothing to publish to).
   */
  const publishTarget = (opts: { dryRun?: boolean; repo?: string }, required: boolean) => {
    const repo = opts.repo ?? process.env["GITHUB_REPOSITORY"] ?? config.github.repo;
    if (!repo && !required) return null;
    if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError(`publish: ${repo ? `--repo ${repo}: expected OWNER/NAME` : "no repository: give --repo OWNER/NAME or set GITHUB_REPOSITORY"}`);
    const dryRun = Boolean(opts.dryRun) || config.github.dryRun;
    const token = process.env["GITHUB_TOKEN"];
    if (!dryRun && !token) throw new UsageError("publish: GITHUB_TOKEN is not set (or use --dry-run)");
    const reader = token ? octokitApi(octokitFor(token, process.env["GITHUB_API_URL"] || undefined), repo) : null;
    return { repo, dryRun, api: dryRun ? dryRunApi(reader) : reader! };
  };
  const publishFrom = (store: Store, target: NonNullable<ReturnType<typeof publishTarget>>) =>
    publish(store, target.api, {
      repo: target.repo,
      dryRun: target.dryRun,
      budget: config.github.budget,
      dashboardTitle: config.github.dashboardTitle,
      topicLabels: config.github.topicLabels,
      now: new Date().toISOString(),
    });

  /** The digest's period and format from --since, --until, --format and the config. */
  const digestSetup = (opts: { since?: string; until?: string; format?: string }) => {
    const now = new Date().toISOString();
    const sinceValue = opts.since ?? config.digest.since;
    const since = sinceTime(sinceValue, now);
    if (since === null) throw new UsageError(`--since ${sinceValue}: give a span (7d, 2w, 36h) or a date (2024-02-01)`);
    const until = opts.until === undefined ? now : sinceTime(opts.until, now);
    if (until === null) throw new UsageError(`--until ${opts.until}: give a date (2024-03-01) or a span back from now (1d)`);
    if (until <= since) {
      throw new UsageError(
        opts.until === undefined ? `--since ${sinceValue}: the period would start after it ends (now)` : `--until ${opts.until}: the period would end before it starts (${since.slice(0, 10)})`,
      );
    }
    const format = (opts.format ?? config.digest.format) as DigestFormat;
    if (!DIGEST_FORMATS.includes(format)) throw new UsageError(`--format ${opts.format}: expected one of ${DIGEST_FORMATS.join(", ")}`);
    const mail = { from: config.digest.from ?? defaultFrom(), to: config.digest.to, date: now };
    return { window: { since, until }, format, mail };
  };

  program
    .command("digest")
    .description("what happened in a period (default: the last 7 days): new, closed and discussed reports, decisions waiting")
    .option("--since <when>", "a span back from now (7d, 2w, 36h) or a date (2024-02-01); default: digest.since in the config, then 7d")
    .option("--until <date>", "end of the period, left out (default: now)")
    .option("--format <format>", `${DIGEST_FORMATS.join(", ")} (default: digest.format in the config, then md)`)
    .action(async (opts: { since?: string; until?: string; format?: string }) => {
      const { window, format, mail } = digestSetup(opts);
      const digest = await withStore((store) => collectDigest(store, window));
      process.stdout.write(json() ? `${JSON.stringify(digest, null, 2)}\n` : renderDigest(digest, format, mail));
    });

  program
    .command("run")
    .description("the whole job, as cron runs it: ingest the configured sources, triage, print the digest, publish")
    .option("--since <when>", "the digest's period (default: digest.since in the config, then 7d)")
    .option("--format <format>", `the digest's format: ${DIGEST_FORMATS.join(", ")}`)
    .option("--dry-run", "plan the GitHub writes without making them")
    .option("--repo <owner/name>", "publish to this repository (default: $GITHUB_REPOSITORY, then github.repo; none: no publishing)")
    .action(async (opts: { since?: string; format?: string; dryRun?: boolean; repo?: string }) => {
      if (!config.sources.length) throw new UsageError("run: no `sources` in the config file (give --config FILE)");
      const { window, format, mail } = digestSetup(opts);
      const target = publishTarget(opts, false);
      const say = (line: string) => {
        if (!json()) process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
      };
      const result = await withStore(async (store) => {
        const ingested = await ingestInto(store, config.sources);
        say(ingestSummary(ingested));
        const triaged = await triageIn(store, false);
        say(renderTriage(triaged) + renderDuplicatesRun(triaged.duplicates));
        const digest = await collectDigest(store, window);
        const published = target ? await publishFrom(store, target) : null;
        say(published ? renderPublish(published) : "publish: no repository (--repo, GITHUB_REPOSITORY or github.repo), nothing published");
        return { ingested, triaged, digest, published };
      });
      // The digest is the only thing on stdout, and only when it has something to say: cron mails it.
      if (json()) process.stdout.write(`${JSON.stringify({ ingest: ingestJson(result.ingested), triage: result.triaged, digest: result.digest, publish: result.published }, null, 2)}\n`);
      else if (!result.digest.quiet) process.stdout.write(renderDigest(result.digest, format, mail));
      exitCode = ingestExitCode(result.ingested);
    });

  program
    .command("publish")
    .description("tracking issues, the dashboard and its run comment on GitHub (GITHUB_TOKEN, GITHUB_API_URL)")
    .option("--dry-run", "plan the writes without making them (no token needed)")
    .option("--repo <owner/name>", "the repository (default: $GITHUB_REPOSITORY, then github.repo in the config)")
    .action(async (opts: { dryRun?: boolean; repo?: string }) => {
      const target = publishTarget(opts, true)!;
      const result = await withStore((store) => publishFrom(store, target));
      process.stdout.write(json() ? `${JSON.stringify(result, null, 2)}\n` : renderPublish(result));
    });

  program
    .command("serve")
    .description("run the GitHub App (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET; see .env.example)")
    .action(async () => {
      const { run } = await import("probot");
      const { default: app } = await import("./app.js");
      await run(app);
      await new Promise(() => {});
    });

  program
    .command("show")
    .description("one report in full")
    .argument("<id>", "bug:N, a bug number, or thread:<message-id>")
    .action(async (rawId: string) => {
      const id = /^\d+$/.test(rawId) ? `bug:${rawId}` : rawId;
      const found = await withStore(async (store) => {
        const report = await store.getReport(id);
        return report ? { ...report, topics: await store.reportTopics(id), duplicates: (await listDuplicates(store, { top: STORED_CANDIDATES, report: id }))[0]?.candidates ?? [] } : null;
      });
      if (!found) {
        process.stderr.write(`xen-triage: no report ${id} (see \`xen-triage reports\`)\n`);
        exitCode = 1;
        return;
      }
      process.stdout.write(json() ? `${JSON.stringify(found, null, 2)}\n` : renderReport(found.report, found.messages, found.bugStatus, found.topics, found.duplicates));
    });

  const evalCommand = program.command("eval").description("measure the classifier or the duplicate finder on labelled data");
  evalCommand
    .command("classify")
    .description("per-topic precision, recall and F1 over labelled reports in the store")
    .requiredOption("--labels <file>", 'JSON lines {"id": "bug:N", "topics": [...]}')
    .action(async (opts: { labels: string }) => {
      const labels = readLabels(opts.labels);
      const classifier = await loadClassifier(taxonomyOf(config));
      const result = await withStore((store) => evalClassify(store, classifier, labels));
      process.stdout.write(json() ? `${JSON.stringify(result)}\n` : renderClassifyEval(result));
    });

  evalCommand
    .command("duplicates")
    .description("RR@1/5/10, MAP, and precision and recall of the default suggestions on a labelled set")
    .requiredOption("--reports <file>", "gitbugs bugs CSV (Summary, Issue id, Created, Description), or an mbox")
    .requiredOption("--pairs <file>", "gitbugs pairs CSV (Issue id, Duplicate id), or report,duplicate_of,kind")
    .action(async (opts: { reports: string; pairs: string }) => {
      for (const f of [opts.reports, opts.pairs]) if (!existsSync(f)) throw new UsageError(`${f}: no such file`);
      const result = await evalDuplicates(opts.reports, opts.pairs);
      process.stdout.write(json() ? `${JSON.stringify(result)}\n` : renderDuplicatesEval(result));
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`xen-triage: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
      return 2;
    }
    process.stderr.write(`xen-triage: ${(err as Error).message}\n`);
    return 1;
  }
  return exitCode;
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : "";
if (invoked === fileURLToPath(import.meta.url)) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`xen-triage: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
