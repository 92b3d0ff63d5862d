import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "./cli.js";
import { loadRecordedAnswers, startReplayServer } from "./sources/bts/replay-server.js";

/**
 * `npm start`: the main job on the bundled sample, offline and without credentials:
 * 1. start a stand-in BTS on loopback that answers from our recorded answers (fixtures/bts);
 * 2. ingest a pkg-xen-devel month and a BTS bug log (fixtures/mbox), then sync `bts:src:xen` from it;
 * 3. classify the reports by topic (the taxonomy, and the model trained on fixtures/labelled);
 * 4. list the reports, with the state the BTS gave and their topics;
 * 5. print the digest of the sample's month (March 2025), as the team would read it in their mail;
 * 6. plan the GitHub writes (`publish --dry-run`, no token: nothing is read from or written to GitHub).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const db = join(root, ".sample", "xen-triage.sqlite");
for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
const sample = ["pkg-xen-devel-2025-March.txt", "bts-bug-1090233.mbox"].map((f) => join(root, "fixtures", "mbox", f));

const bts = await startReplayServer(loadRecordedAnswers(join(root, "fixtures", "bts")));
process.env["XEN_TRIAGE_BTS_URL"] = bts.url;
let status: number;
try {
  const steps = [
    ["ingest", ...sample, "bts:src:xen"],
    ["triage"],
    ["reports"],
    ["digest", "--since", "2025-03-01", "--until", "2025-04-01", "--format", "text"],
    ["publish", "--dry-run", "--repo", "debian-xen-team/triage"],
  ];
  status = 0;
  for (const [k, step] of steps.entries()) {
    if (k > 0) process.stdout.write("\n");
    const code = await main(["node", "xen-triage", "--db", db, ...step]);
    if (code !== 0 && status === 0) status = code;
  }
} finally {
  await bts.close();
}
process.stdout.write(`\nTry: node dist/src/cli.js --db ${join(".sample", "xen-triage.sqlite")} show 1090233\n`);
process.exitCode = status;
