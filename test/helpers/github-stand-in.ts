import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  comments: string[];
}

/**
 * A stand-in for the part of GitHub's REST API that publishing uses, on loopback: issues (get, create,
 * update, list), comments, issue search (by body text), and collaborator permissions. It keeps the
 * issues in memory and logs every request, so tests count reads and writes.
 */
export async function startGitHubStandIn(options: { writers?: string[]; noListing?: boolean } = {}) {
  const issues = new Map<number, StandInIssue>();
  const requests: { method: string; path: string }[] = [];
  let next = 1;
  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
  };
  const view = (i: StandInIssue) => ({ number: i.number, title: i.title, body: i.body, state: i.state, labels: i.labels.map((name) => ({ name })) });
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    requests.push({ method, path: url.pathname });
    let m: RegExpExecArray | null;
    if (method === "GET" && url.pathname === "/search/issues") {
      const q = url.searchParams.get("q") ?? "";
      const phrase = /"([^"]+)"/.exec(q)?.[1] ?? "";
      const items = [...issues.values()].filter((i) => i.body.includes(phrase)).map(view);
      return json(res, 200, { total_count: items.length, incomplete_results: false, items });
    }
    if (method === "GET" && /^\/repos\/[^/]+\/[^/]+\/issues$/.test(url.pathname) && !options.noListing) {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const all = [...issues.values()].sort((a, b) => b.number - a.number);
      const items = all.slice((page - 1) * perPage, page * perPage).map(view);
      if (page * perPage < all.length) {
        const nextUrl = new URL(url.toString().replace("http://x", `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
        nextUrl.searchParams.set("page", String(page + 1));
        res.setHeader("link", `<${nextUrl.toString()}>; rel="next"`);
      }
      return json(res, 200, items);
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/collaborators\/([^/]+)\/permission$/.exec(url.pathname))) {
      return json(res, 200, { permission: (options.writers ?? []).includes(m[1]!) ? "write" : "read", user: { login: m[1] } });
    }
    if (method === "POST" && /^\/repos\/[^/]+\/[^/]+\/issues$/.test(url.pathname)) {
      const issue: StandInIssue = { number: next++, title: String(body["title"]), body: String(body["body"] ?? ""), state: "open", labels: (body["labels"] as string[]) ?? [], comments: [] };
      issues.set(issue.number, issue);
      return json(res, 201, view(issue));
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname))) {
      const issue = issues.get(Number(m[1]));
      if (!issue) return json(res, 404, { message: "Not Found" });
      if (method === "PATCH") {
        if (typeof body["title"] === "string") issue.title = body["title"];
        if (typeof body["body"] === "string") issue.body = body["body"];
        if (Array.isArray(body["labels"])) issue.labels = body["labels"] as string[];
        if (body["state"] === "open" || body["state"] === "closed") issue.state = body["state"];
      }
      return json(res, 200, view(issue));
    }
    if (method === "POST" && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const issue = issues.get(Number(m[1]));
      if (!issue) return json(res, 404, { message: "Not Found" });
      issue.comments.push(String(body["body"]));
      return json(res, 201, { id: issue.comments.length, body: body["body"] });
    }
    return json(res, 404, { message: `stand-in: no route for ${method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    issues,
    requests,
    writes: () => requests.filter((r) => r.method !== "GET").length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
