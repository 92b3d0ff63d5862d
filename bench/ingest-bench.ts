import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateArchive } from "./generate-archive.js";

/**
 * `npm run bench`: build an archive of at least 200 MB from our fixtures (never committed), ingest it
 * (parse and store) in a process of its own, and run Python's mailbox + email over the same file in the
 * same run as the baseline (see bench/baseline.py), and its lighter compat32 variant. Prints all three
 * and the ratios. `--mb N` changes the size; `--file MBOX` measures on an mbox of your own instead.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const mbArg = process.argv.indexOf("--mb");
const targetMb = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 200;
const work = join(tmpdir(), "xen-triage-bench");
mkdirSync(work, { recursive: true });
const fileArg = process.argv.indexOf("--file");
const given = fileArg > 0 ? process.argv[fileArg + 1] : undefined;
if (given !== undefined && !existsSync(given)) throw new Error(`--file ${given}: no such file`);
const archive = given ?? join(work, `archive-${targetMb}mb.mbox`);
const db = join(work, "bench.sqlite");

if (!existsSync(archive)) {
  process.stderr.write(`generating ${targetMb} MB archive from fixtures/mbox at ${archive} ...\n`);
  const g = await generateArchive(join(root, "fixtures", "mbox"), archive, targetMb * 1e6);
  process.stderr.write(`  ${g.messages} messages, ${(g.bytes / 1e6).toFixed(1)} MB\n`);
}
const mb = statSync(archive).size / 1e6;

interface Run {
  messages: number;
  seconds: number;
  peakRssMb: number;
}

function run(cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Run;
}

for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
process.stderr.write("running xen-triage ingest ...\n");
const ours = run(process.execPath, [join(root, "dist", "bench", "ingest-run.js"), archive, db]);
process.stderr.write("running the Python baseline (mailbox + email, email.policy.default) ...\n");
const python = run("python3", [join(root, "bench", "baseline.py"), archive]);
process.stderr.write("running the lighter Python variant (mailbox + email, compat32) ...\n");
const compat32 = run("python3", [join(root, "bench", "baseline.py"), "--compat32", archive]);
for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });

const row = (name: string, r: Run): string =>
  `${name.padEnd(34)} ${String(r.messages).padStart(8)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.messages / r.seconds)
    .toString()
    .padStart(10)} ${(mb / r.seconds).toFixed(1).padStart(8)} ${r.peakRssMb.toFixed(0).padStart(9)}`;

const ratio = (r: Run): string => (ours.messages / ours.seconds / (r.messages / r.seconds)).toFixed(2);

process.stdout.write(
  [
    `archive: ${archive} (${mb.toFixed(1)} MB${given ? "" : ", generated from fixtures/mbox"})`,
    "",
    `${"".padEnd(34)} ${"messages".padStart(8)} ${"seconds".padStart(8)} ${"msg/s".padStart(10)} ${"MB/s".padStart(8)} ${"peak RSS".padStart(9)}`,
    row("xen-triage ingest (parse + store)", ours),
    row("python3 mailbox + email (baseline)", python),
    row("python3, compat32 variant", compat32),
    "",
    `messages/s ratio: ${ratio(python)}x the baseline (target: 5x); ${ratio(compat32)}x the compat32 variant`,
    `peak RSS: ${ours.peakRssMb.toFixed(0)} MB (target: under 250 MB)`,
    "",
  ].join("\n"),
);
