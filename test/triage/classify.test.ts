import { type Classifier, classify, compileTaxonomy, modelProbability, pairsOf, patternScores, requiredTexts, tokens, trainModel } from "../../src/triage/classify.js";
import { evaluateTopics } from "../../src/triage/eval-classify.js";
import type { Taxonomy } from "../../src/triage/taxonomy.js";

const taxonomy: Taxonomy = {
  systemd: { description: "units", patterns: [["systemd", 2], ["/\\b[\\w@.-]+\\.service\\b/", 2.5], ["systemd-boot", -3]] },
  init: { description: "sysvinit", patterns: [["/etc/init.d/xendomains", 3], ["init script", 3]] },
  boot: { description: "boot", patterns: [["grub", 2.5], ["systemd-boot", 2.5]] },
};
const ct = compileTaxonomy(taxonomy);

test("patterns: phrases on word boundaries, regular expressions, negative weights; evidence names message and line", () => {
  const doc = {
    title: "xendomains.service stops too early",
    messages: ["Hi,\n\nthe init script /etc/init.d/xendomains is fine,\nbut the unit is not.", "> quoted is gone already\nI boot with systemd-boot, not grub."],
  };
  expect(Object.fromEntries(patternScores(ct, doc))).toEqual({
    systemd: {
      // .service in the title (2.5 x 1.5); "systemd" and the negative "systemd-boot" in a later message (x 0.35).
      raw: 2.5 * 1.5 + 2 * 0.35 - 3 * 0.35,
      evidence: [
        { term: "/\\b[\\w@.-]+\\.service\\b/", message: 0, line: 0, text: "xendomains.service stops too early" },
        { term: "systemd", message: 2, line: 2, text: "I boot with systemd-boot, not grub." },
      ],
    },
    init: {
      raw: 3 + 3,
      // Equal weights: in reading order.
      evidence: [
        { term: "init script", message: 1, line: 3, text: "the init script /etc/init.d/xendomains is fine," },
        { term: "/etc/init.d/xendomains", message: 1, line: 3, text: "the init script /etc/init.d/xendomains is fine," },
      ],
    },
    boot: {
      raw: 2.5 * 0.35 + 2.5 * 0.35,
      evidence: [
        { term: "systemd-boot", message: 2, line: 2, text: "I boot with systemd-boot, not grub." },
        { term: "grub", message: 2, line: 2, text: "I boot with systemd-boot, not grub." },
      ],
    },
  });
});

test("classify: topics at or over their threshold, best first; nothing over a threshold means needs a human", () => {
  const c: Classifier = { taxonomy: ct, model: null, combiners: {}, thresholds: { systemd: 0.5, init: 0.5, boot: 0.5 } };
  expect(classify(c, { title: "xendomains.service and /etc/init.d/xendomains both run", messages: ["systemd starts both."] }).map((t) => t.topic)).toEqual([
    "systemd",
    "init",
  ]);
  expect(classify(c, { title: "thanks for the new upload", messages: ["All good here."] })).toEqual([]);
});

test("the learned layer leans towards words seen with a topic", () => {
  const model = trainModel(
    [
      { doc: { title: "domU hangs after save", messages: ["xl save hangs, restore works"] }, topics: ["toolstack"] },
      { doc: { title: "xl migrate fails", messages: ["migration to the other host hangs"] }, topics: ["toolstack"] },
      { doc: { title: "grub entry missing", messages: ["update-grub lost the Xen entry"] }, topics: ["boot"] },
      { doc: { title: "EFI boot loops", messages: ["xen.efi restarts the machine"] }, topics: ["boot"] },
    ],
    ["toolstack", "boot", "docs"],
  );
  const toolstack = modelProbability(model, "toolstack", tokens("xl save hangs on this host"))!;
  const boot = modelProbability(model, "boot", tokens("xl save hangs on this host"))!;
  expect(toolstack).toBeGreaterThan(0.5);
  expect(boot).toBeLessThan(0.5);
  expect(modelProbability(model, "docs", tokens("anything"))).toBeNull();
});

test("evaluateTopics: per-topic precision, recall, F1; macro-F1 over labelled topics; wrong-topic and abstain rates", () => {
  const labels = new Map([
    ["bug:1", ["systemd", "init"]],
    ["bug:2", ["boot"]],
    ["bug:3", []],
    ["bug:4", ["systemd"]],
  ]);
  const predicted = new Map([
    ["bug:1", ["systemd"]],
    ["bug:2", ["boot", "systemd"]],
    ["bug:3", []],
    ["bug:4", ["systemd"]],
  ]);
  expect(evaluateTopics(predicted, labels, ["systemd", "init", "boot", "docs"])).toEqual({
    reports: 4,
    macroF1: 0.6,
    wrongTopicRate: 0.25,
    abstained: 0.25,
    topics: {
      systemd: { precision: 0.667, recall: 1, f1: 0.8, support: 2 },
      init: { precision: 0, recall: 0, f1: 0, support: 1 },
      boot: { precision: 1, recall: 1, f1: 1, support: 1 },
    },
  });
});

test.each([
  ["\\b[\\w@.-]+\\.service\\b", [".service"]],
  ["\\/usr\\/lib\\/xen-\\d+\\.\\d+", ["/usr/lib/xen-"]],
  ["\\bXSA-?\\d+\\b", ["xsa"]],
  ["\\b(?:After|Before)=", ["after=", "before="]],
  ["\\b[\\w@.-]+\\.(?:socket|target|timer)\\b", [".socket", ".target", ".timer"]],
  ["\\b(?:5|6)\\.\\d+-(?:amd64|arm64)\\b", ["-amd64", "-arm64"]],
  ["(?:ab|cd)?xyz", ["xyz"]],
  ["(?:a|bc)(d[ef])", null],
  ["\\bLVs?\\b", null],
  ["foo|barbaz", null],
  ["\\bxl\\b", null],
])("requiredTexts(%j) = %j: every match contains one of them", (source, expected) => {
  expect(requiredTexts(source)).toEqual(expected);
});

test("regular expressions' required texts: a text lacking a pair of their characters skips the search, one having them all still matches", () => {
  const ct = compileTaxonomy({ t: { description: "t", patterns: [["/\\bvif\\d+\\.\\d+\\b/", 2], ["/\\bxl\\s+(?:create|list)\\b/", 1]] } });
  const raw = (text: string) => patternScores(ct, { title: "", messages: [text] }).get("t")!.raw;
  // Each text has some characters of the required ones, in other pairs.
  expect(["fiv 1", "vi f", "vif1.0 up", "run xl  list now", "the lx list"].map(raw)).toEqual([0, 0, 2, 1, 0]);
  expect(pairsOf("abc")).toEqual(Int32Array.from([(97 << 7) | 98, (98 << 7) | 99]));
});
