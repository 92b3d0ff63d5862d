import type { Store } from "./store.js";
import { openSqliteStore } from "./sqlite.js";

/** `--db`, then XEN_TRIAGE_DB, then ./xen-triage.sqlite. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env["XEN_TRIAGE_DB"] ?? "./xen-triage.sqlite";
}

export async function openStore(location: string): Promise<Store> {
  if (/^postgres(?:ql)?:\/\//.test(location)) {
    throw new Error(`${location.replace(/\/\/[^@/]*@/, "//***@")}: the PostgreSQL store is not available in this version; use a SQLite path`);
  }
  return openSqliteStore(location);
}
