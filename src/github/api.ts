import { ProbotOctokit } from "probot";

/** An issue as the publish pipeline reads it. */
export interface IssueState {
  number: number;
  title: string;
  body: string;
  open: boolean;
  labels: string[];
}

export interface IssuePatch {
  title?: string;
  body?: string;
  labels?: string[];
  open?: boolean;
}

/**
 * What publishing needs of GitHub, and nothing else. The Octokit implementation below is the only code
 * that talks to GitHub; the dry run records writes instead of making them.
 */
export interface GitHubApi {
  getIssue(number: number): Promise<IssueState | null>;
  /**
   * Every issue of the repository whose body holds one of our hidden markers: read once per run when
   * some report's issue number is not stored (a new store, a lost one), in pages of 100, instead of a
   * search per report (search is rate-limited to a request every two seconds).
   */
  listMarked(): Promise<IssueState[]>;
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<number>;
  updateIssue(number: number, patch: IssuePatch): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  /** Whether a user may write to the repository (admin, maintain or write): only they command the bot. */
  canWrite(login: string): Promise<boolean>;
  /** The repository's `.github/xen-triage.yml`, parsed YAML (null when there is none). */
  repoConfig(): Promise<unknown>;
}

/** A write the pipeline made, or would make in a dry run. */
export interface PlannedWrite {
  action: "create issue" | "update issue" | "close issue" | "reopen issue" | "comment";
  issue: number | null;
  title: string;
  detail: string;
}

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The one Octokit: probot's (retries, waits out primary and secondary rate limits, paginates).
 * `patient: false` turns the waiting off, for a stand-in on loopback that has no limits to respect.
 */
export function octokitFor(token: string, baseUrl = "https://api.github.com", options: { patient?: boolean } = {}): Octokit {
  const patient = options.patient ?? true;
  return new ProbotOctokit({ auth: { token }, baseUrl, ...(patient ? {} : { throttle: { enabled: false }, retry: { enabled: false } }) });
}

function toState(i: { number: number; title: string; body?: string | null; state: string; labels: (string | { name?: string })[] }): IssueState {
  return {
    number: i.number,
    title: i.title,
    body: i.body ?? "",
    open: i.state === "open",
    labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
  };
}

export function octokitApi(octokit: Octokit, repo: string): GitHubApi {
  const [owner, name] = repo.split("/") as [string, string];
  const base = { owner, repo: name };
  return {
    async getIssue(number) {
      try {
        return toState((await octokit.rest.issues.get({ ...base, issue_number: number })).data);
      } catch (err) {
        if ((err as { status?: number }).status === 404 || (err as { status?: number }).status === 410) return null;
        throw err;
      }
    },
    async listMarked() {
      try {
        const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...base, state: "all", per_page: 100 });
        return all.filter((i) => !i.pull_request && (i.body ?? "").includes("<!-- xen-triage:")).map(toState);
      } catch (err) {
        // No issues to list (an empty repository on some servers answers 404): nothing of ours exists yet.
        if ((err as { status?: number }).status === 404) return [];
        throw err;
      }
    },
    async createIssue({ title, body, labels }) {
      return (await octokit.rest.issues.create({ ...base, title, body, labels })).data.number;
    },
    async updateIssue(number, patch) {
      await octokit.rest.issues.update({
        ...base,
        issue_number: number,
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.body !== undefined ? { body: patch.body } : {}),
        ...(patch.labels !== undefined ? { labels: patch.labels } : {}),
        ...(patch.open !== undefined ? { state: patch.open ? ("open" as const) : ("closed" as const) } : {}),
      });
    },
    async comment(number, body) {
      await octokit.rest.issues.createComment({ ...base, issue_number: number, body });
    },
    async repoConfig() {
      const { config } = await octokit.config.get({ ...base, path: ".github/xen-triage.yml" });
      return Object.keys(config ?? {}).length ? config : null;
    },
    async canWrite(login) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...base, username: login });
        return data.permission === "admin" || data.permission === "maintain" || data.permission === "write";
      } catch (err) {
        if ((err as { status?: number }).status === 404) return false;
        throw err;
      }
    },
  };
}

/**
 * A dry run: reads go to `reader` when there is one (a token was given); otherwise issues the store
 * knows by number exist with unknown content, and nothing else is found. Writes are only recorded. Planned issues get numbers counting down from -1, so nothing mistakes them
 * for real ones.
 */
export function dryRunApi(reader: GitHubApi | null): GitHubApi & { planned: PlannedWrite[] } {
  const planned: PlannedWrite[] = [];
  let next = -1;
  return {
    planned,
    // Without a reader, an issue the store knows by number is taken to exist, its content unknown:
    // the plan says "update #N", not "create".
    getIssue: (n) =>
      n <= 0 ? Promise.resolve(null) : reader ? reader.getIssue(n) : Promise.resolve({ number: n, title: "", body: "", open: true, labels: [] }),
    listMarked: () => (reader ? reader.listMarked() : Promise.resolve([])),
    async createIssue({ title, body, labels }) {
      planned.push({ action: "create issue", issue: null, title, detail: `${body.length} characters; labels ${labels.join(", ") || "none"}` });
      return next--;
    },
    async updateIssue(number, patch) {
      const what = Object.keys(patch).filter((k) => k !== "open");
      if (what.length) planned.push({ action: "update issue", issue: number, title: patch.title ?? "", detail: `new ${what.join(", ")}` });
      if (patch.open !== undefined) planned.push({ action: patch.open ? "reopen issue" : "close issue", issue: number, title: patch.title ?? "", detail: "" });
    },
    async comment(number, body) {
      planned.push({ action: "comment", issue: number, title: "", detail: `${body.split("\n").length} lines` });
    },
    canWrite: (login) => (reader ? reader.canWrite(login) : Promise.resolve(false)),
    repoConfig: () => (reader ? reader.repoConfig() : Promise.resolve(null)),
  };
}
