import { z } from "zod";
import type { SoapValue } from "./soap-decode.js";

/** A bug's state as the BTS reports it (`get_status`), in one normalised shape. */
export interface BugStatus {
  bug: number;
  package: string | null;
  source: string | null;
  title: string | null;
  submitter: string | null;
  severity: string | null;
  tags: string[];
  mergedWith: number[];
  /** Closed (`done` names who closed it). */
  done: boolean;
  doneBy: string | null;
  archived: boolean;
  pending: string | null;
  foundVersions: string[];
  fixedVersions: string[];
  forwarded: string | null;
  owner: string | null;
  affects: string[];
  blocks: number[];
  blockedBy: number[];
  summary: string | null;
  outlook: string | null;
  /** ISO 8601. */
  date: string | null;
  lastModified: string | null;
}

// The service's types wander: a field can be a string, an int, a list, a map, empty or nil. Each
// normaliser takes all of them and gives one shape; anything else fails that bug's parse.
const scalar = z.union([z.string(), z.number(), z.null()]);
const anyValue: z.ZodType<SoapValue> = z.lazy(() => z.union([scalar, z.array(anyValue), z.record(z.string(), anyValue)]));

const text = anyValue.transform((v): string | null => {
  if (v === null) return null;
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "number") return String(v);
  return null;
});

/** Words of a string ("help patch", "a,b"), items of a list, or keys of a map (`found`, `fixed`). */
const words = (separators: RegExp) =>
  anyValue.transform((v): string[] => {
    if (v === null) return [];
    if (typeof v === "number") return [String(v)];
    if (typeof v === "string") return v.split(separators).map((s) => s.trim()).filter(Boolean);
    if (Array.isArray(v)) return v.flatMap((x) => (x === null ? [] : typeof x === "object" ? [] : [String(x).trim()])).filter(Boolean);
    return Object.keys(v);
  });

const bugNumbers = words(/[\s,]+/).transform((list) => [...new Set(list.map(Number).filter((n) => Number.isInteger(n) && n > 0))]);

const flag = anyValue.transform((v) => v !== null && v !== "" && v !== 0 && v !== "0");

const epoch = anyValue.transform((v): string | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : null;
});

const statusSchema = z
  .object({
    bug_num: anyValue.optional(),
    id: anyValue.optional(),
    package: text.optional(),
    source: text.optional(),
    subject: text.optional(),
    originator: text.optional(),
    severity: text.optional(),
    tags: words(/[\s,]+/).optional(),
    keywords: words(/[\s,]+/).optional(),
    mergedwith: bugNumbers.optional(),
    done: text.optional(),
    archived: flag.optional(),
    pending: text.optional(),
    found_versions: words(/[\s,]+/).optional(),
    fixed_versions: words(/[\s,]+/).optional(),
    found: words(/[\s,]+/).optional(),
    fixed: words(/[\s,]+/).optional(),
    forwarded: text.optional(),
    owner: text.optional(),
    affects: words(/[\s,]+/).optional(),
    blocks: bugNumbers.optional(),
    blockedby: bugNumbers.optional(),
    summary: text.optional(),
    outlook: text.optional(),
    date: epoch.optional(),
    last_modified: epoch.optional(),
  })
  .passthrough();

export interface StatusProblem {
  bug: number | null;
  reason: string;
}

/**
 * The bugs of a `get_status` answer (a map from bug number to its fields), each normalised. A bug whose
 * fields do not parse, or that was not asked for, is a problem naming the bug; the rest is kept.
 */
export function parseStatusAnswer(answer: SoapValue, asked: number[]): { statuses: BugStatus[]; problems: StatusProblem[] } {
  const statuses: BugStatus[] = [];
  const problems: StatusProblem[] = [];
  if (answer === null) return { statuses, problems };
  if (typeof answer !== "object" || Array.isArray(answer)) {
    return { statuses, problems: [{ bug: null, reason: `get_status: expected a map of bugs, got ${Array.isArray(answer) ? "a list" : typeof answer}` }] };
  }
  const wanted = new Set(asked);
  for (const [key, value] of Object.entries(answer)) {
    const bug = Number(key);
    if (!Number.isInteger(bug) || bug <= 0) {
      problems.push({ bug: null, reason: `get_status: "${key}" is not a bug number` });
      continue;
    }
    if (!wanted.has(bug)) {
      problems.push({ bug, reason: `get_status answered for bug ${bug}, which was not asked for; ignored` });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push({ bug, reason: `get_status: bug ${bug} has no field map` });
      continue;
    }
    const parsed = statusSchema.safeParse(value);
    if (!parsed.success) {
      problems.push({ bug, reason: `get_status: bug ${bug}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` });
      continue;
    }
    const s = parsed.data;
    statuses.push({
      bug,
      package: s.package ?? null,
      source: s.source ?? null,
      title: s.subject ?? null,
      submitter: s.originator ?? null,
      severity: s.severity ?? null,
      tags: s.tags?.length ? s.tags : (s.keywords ?? []),
      mergedWith: (s.mergedwith ?? []).filter((n) => n !== bug),
      done: s.done != null,
      doneBy: s.done ?? null,
      archived: s.archived ?? false,
      pending: s.pending ?? null,
      foundVersions: s.found_versions?.length ? s.found_versions : (s.found ?? []),
      fixedVersions: s.fixed_versions?.length ? s.fixed_versions : (s.fixed ?? []),
      forwarded: s.forwarded ?? null,
      owner: s.owner ?? null,
      affects: s.affects ?? [],
      blocks: s.blocks ?? [],
      blockedBy: s.blockedby ?? [],
      summary: s.summary ?? null,
      outlook: s.outlook ?? null,
      date: s.date ?? null,
      lastModified: s.last_modified ?? null,
    });
  }
  return { statuses: statuses.sort((a, b) => a.bug - b.bug), problems };
}
