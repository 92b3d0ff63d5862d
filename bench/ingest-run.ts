import { ingest } from "../src/pipeline/ingest.js";
import { openSqliteStore } from "../src/store/sqlite.js";

/** One measured ingestion in a process of its own, so its peak RSS is its own: prints one JSON line. */
const [file, db] = process.argv.slice(2);
if (!file || !db) throw new Error("usage: ingest-run FILE DB");
const store = openSqliteStore(db);
const start = performance.now();
const result = await ingest([file], store, { db, workers: process.env["XEN_TRIAGE_WORKERS"] !== "0" });
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage();
await store.close();
process.stdout.write(
  `${JSON.stringify({ messages: result.messages, stored: result.new, reports: result.reports, rejected: result.rejected.length, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
