import { readFileSync } from "node:fs";
import YAML from "yaml";
import { z } from "zod";
import { DEFAULT_TAXONOMY, type Taxonomy, topicSchema } from "../triage/taxonomy.js";

/**
 * The configuration file (`--config FILE`, YAML). Every field is optional; the defaults are what the
 * Xen team runs with. Later settings (topics, GitHub) join this schema.
 */
export const configSchema = z
  .object({
    /** The Debian BTS. */
    bts: z
      .object({
        /** SOAP endpoint; XEN_TRIAGE_BTS_URL overrides it. Point it at a mirror or a stand-in. */
        url: z.string().url().optional(),
        /** Also sync archived bugs for `bts:src:` and `bts:package:` sources (get_bugs archive=both). */
        archived: z.boolean().default(false),
      })
      .strict()
      .default({ archived: false }),
    /**
     * Topics over the default taxonomy: a topic given here replaces (or adds) the one of that name;
     * `null` removes it.
     */
    topics: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), topicSchema.nullable()).optional(),
    /** What `ingest` reads when given no source: files, folders, pipermail URLs, bts:src:NAME, ... */
    sources: z.array(z.string().min(1)).default([]),
    /** The digest (`digest`, `run`). */
    digest: z
      .object({
        /** The period `digest` and `run` cover when not given `--since`: a span (`7d`, `2w`, `36h`) or a date. */
        since: z
          .string()
          .regex(/^(?:\d{1,5}[hdw]|\d{4}-\d{2}-\d{2})$/, "expected a span (7d, 2w, 36h) or a date (2024-02-01)")
          .default("7d"),
        /** The format when not given `--format`. */
        format: z.enum(["md", "text", "html", "email"]).default("md"),
        /** The digest mail's To (`--format email`). */
        to: z.string().min(3).max(200).default("pkg-xen-devel@alioth-lists.debian.net"),
        /** The digest mail's From; unset, `xen-triage <USER@HOST>` of the machine, as mail(1) would. */
        from: z.string().min(3).max(200).optional(),
      })
      .strict()
      .default({ since: "7d", format: "md", to: "pkg-xen-devel@alioth-lists.debian.net" }),
    /** Publishing to GitHub (`publish`, `serve`). */
    github: z
      .object({
        /** OWNER/NAME; `publish --repo` and GITHUB_REPOSITORY come first. */
        repo: z
          .string()
          .regex(/^[\w.-]+\/[\w.-]+$/, "expected OWNER/NAME")
          .optional(),
        /** The dashboard issue's title. */
        dashboardTitle: z.string().min(1).max(200).default("Xen triage dashboard"),
        /** The most writes (issues created, updated, closed, comments) one run makes; the rest wait. */
        budget: z.number().int().positive().default(500),
        /** Plan the writes without making them (as `publish --dry-run`). */
        dryRun: z.boolean().default(false),
        /** The label a topic gets on tracking issues (default `topic:NAME`), e.g. `systemd: area/systemd`. */
        topicLabels: z.record(z.string(), z.string().min(1).max(50)).default({}),
      })
      .strict()
      .default({ dashboardTitle: "Xen triage dashboard", budget: 500, dryRun: false, topicLabels: {} }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** The defaults, when no file is given. */
export const defaultConfig = (): Config => configSchema.parse({});

/** Read and check a configuration file; errors name the file and the field. */
export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = YAML.parse(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${path}: not YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${path}: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** The default taxonomy with the config's topics laid over it. */
export function taxonomyOf(config: Config): Taxonomy {
  const out: Taxonomy = { ...DEFAULT_TAXONOMY };
  for (const [name, topic] of Object.entries(config.topics ?? {})) {
    if (topic === null) delete out[name];
    else out[name] = topic;
  }
  return out;
}

/** The configuration's JSON schema, for editors (`npm run schema` writes schema/xen-triage.schema.json). */
export function configJsonSchema(): unknown {
  return { ...(z.toJSONSchema(configSchema, { io: "input" }) as object), title: "xen-triage configuration" };
}
