import { join } from "node:path";
import { buildClassifier } from "../../src/pipeline/classifier.js";
import { ingest } from "../../src/pipeline/ingest.js";
import { triage } from "../../src/pipeline/triage.js";
import { applyCommands } from "../../src/pipeline/maintainer-commands.js";
import { correctedExamples } from "../../src/pipeline/eval-classify.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import type { Taxonomy } from "../../src/triage/taxonomy.js";

const mbox = (f: string): string => join(process.cwd(), "fixtures", "mbox", f);

// Patterns only (no examples): the outcome follows from the taxonomy and the mail alone.
const taxonomy: Taxonomy = {
  systemd: { description: "units", patterns: [["systemd", 2], ["/\\b[\\w@.-]+\\.service\\b/", 2.5]] },
  init: { description: "sysvinit scripts", patterns: [["init script", 3], ["init scripts", 3], ["/etc/init.d/xendomains", 3]] },
  qemu: { description: "device model", patterns: [["qemu-system-xen", 3], ["device model", 3]] },
};

test("triage classifies every report once, stores topics with evidence, and only classifies again what changed", async () => {
  const store = openSqliteStore(":memory:");
  const classifier = buildClassifier(taxonomy, []);
  await ingest([mbox("pkg-xen-devel-2025-March.txt")], store);
  expect(await triage(store, classifier)).toEqual({ reports: 5, classified: 5, needsHuman: 2, topics: { systemd: 2, init: 1, qemu: 1 } });
  expect(await triage(store, classifier)).toEqual({ reports: 5, classified: 0, needsHuman: 2, topics: { systemd: 2, init: 1, qemu: 1 } });

  const qemu = await store.reportTopics("thread:8c1e4f0a-2d7b-4b9e-9f51-3a6d0c7e2b14@example.org");
  expect(qemu.map((t) => [t.topic, t.evidence[0]])).toEqual([
    ["qemu", { term: "qemu-system-xen", message: 0, line: 0, text: "qemu-system-xen in trixie pulls libraries from unstable" }],
  ]);

  // The BTS log brings bug 1090233 (a new report) and the merge transcript, which joins bug 1090417's
  // report too: those two are classified again, the four threads are not.
  await ingest([mbox("bts-bug-1090233.mbox")], store);
  expect(await triage(store, classifier)).toEqual({ reports: 6, classified: 2, needsHuman: 2, topics: { systemd: 3, init: 2, qemu: 1 } });
  expect((await triage(store, classifier, { all: true })).classified).toBe(6);
  await store.close();
});

test("a maintainer's correction is kept over the classifier, and becomes a labelled example for the next model", async () => {
  const store = openSqliteStore(":memory:");
  await ingest([mbox("pkg-xen-devel-2025-March.txt")], store);
  await triage(store, buildClassifier(taxonomy, []));
  const [target] = (await store.listReports()).filter((r) => r.topics.some((t) => t.topic === "systemd"));
  await applyCommands(store, target!.id, [{ kind: "topic", add: ["qemu"], remove: ["systemd"] }], "maint", "2026-11-01T00:00:00.000Z");
  const after = async () => (await store.reportTopics(target!.id)).map((t) => t.topic);
  expect(await after()).toEqual(expect.arrayContaining(["qemu"]));
  expect(await after()).not.toContain("systemd");
  await triage(store, buildClassifier(taxonomy, []), { all: true });
  expect(await after()).toEqual(expect.arrayContaining(["qemu"]));
  expect(await after()).not.toContain("systemd");
  expect((await correctedExamples(store)).map((e) => ({ id: e.id, topics: e.topics }))).toEqual([{ id: target!.id, topics: await after() }]);
  await store.close();
});
