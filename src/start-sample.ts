import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "./cli.js";

/**
 * `npm start`: ingest the bundled sample (a pkg-xen-devel month and a BTS bug log, both ours) into a
 * fresh database under .sample/, then list the reports. No network, no credentials.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const db = join(root, ".sample", "xen-triage.sqlite");
for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
const sample = ["pkg-xen-devel-2025-March.txt", "bts-bug-1090233.mbox"].map((f) => join(root, "fixtures", "mbox", f));

const ingested = await main(["node", "xen-triage", "--db", db, "ingest", ...sample]);
const listed = await main(["node", "xen-triage", "--db", db, "reports"]);
process.stdout.write(`\nTry: node dist/src/cli.js --db ${join(".sample", "xen-triage.sqlite")} show 1090233\n`);
process.exitCode = ingested !== 0 ? ingested : listed;
