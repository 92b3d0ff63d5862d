import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { ConfigError, configJsonSchema, defaultConfig, loadConfig, taxonomyOf } from "../../src/config/config.js";
import { DEFAULT_TAXONOMY } from "../../src/triage/taxonomy.js";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "xen-triage-config-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (text: string): string => {
  const path = join(dir, "xen-triage.yml");
  writeFileSync(path, text);
  return path;
};

const github = { dashboardTitle: "Xen triage dashboard", budget: 500, dryRun: false, topicLabels: {} };
const digest = { since: "7d", format: "md", to: "pkg-xen-devel@alioth-lists.debian.net" };

test("defaults", () => {
  expect(defaultConfig()).toEqual({ bts: { archived: false }, sources: [], digest, github });
});

test.each([
  ["", { bts: { archived: false }, sources: [], digest, github }],
  ["bts:\n  archived: true\n", { bts: { archived: true }, sources: [], digest, github }],
  ["bts:\n  url: http://127.0.0.1:8080/cgi-bin/soap.cgi\n", { bts: { url: "http://127.0.0.1:8080/cgi-bin/soap.cgi", archived: false }, sources: [], digest, github }],
  [
    "digest:\n  since: 2w\n  format: email\n  to: xen-team@example.org\n  from: Xen triage <triage@example.org>\n",
    { bts: { archived: false }, sources: [], digest: { since: "2w", format: "email", to: "xen-team@example.org", from: "Xen triage <triage@example.org>" }, github },
  ],
  [
    "sources: [bts:src:xen, https://lists.alioth.debian.org/pipermail/pkg-xen-devel/]\ngithub:\n  repo: debian-xen-team/triage\n  dashboardTitle: Xen bugs\n  budget: 50\n  topicLabels: {systemd: area/systemd}\n",
    {
      bts: { archived: false },
      sources: ["bts:src:xen", "https://lists.alioth.debian.org/pipermail/pkg-xen-devel/"],
      digest,
      github: { repo: "debian-xen-team/triage", dashboardTitle: "Xen bugs", budget: 50, dryRun: false, topicLabels: { systemd: "area/systemd" } },
    },
  ],
])("valid: %j", (text, expected) => {
  expect(loadConfig(file(text))).toEqual(expected);
});

test.each([
  ["bts:\n  url: not a url\n", "bts.url: Invalid URL"],
  ["bts:\n  archived: yes please\n", "bts.archived: Invalid input: expected boolean, received string"],
  ["bts:\n  mirror: x\n", 'bts: Unrecognized key: "mirror"'],
  ["topics: [\n", "not YAML"],
  ["github:\n  repo: just-a-name\n", "github.repo: expected OWNER/NAME"],
  ["github:\n  budget: 0\n", "github.budget: Too small: expected number to be >0"],
  ["digest:\n  since: last week\n", "digest.since: expected a span (7d, 2w, 36h) or a date (2024-02-01)"],
  ["digest:\n  format: pdf\n", "digest.format: Invalid option"],
])("invalid: %j names the file and the field", (text, reason) => {
  const path = file(text);
  expect(() => loadConfig(path)).toThrow(ConfigError);
  expect(() => loadConfig(path)).toThrow(`${path}: ${reason}`);
});

test("a file that is not there", () => {
  expect(() => loadConfig(join(dir, "nope.yml"))).toThrow(new ConfigError(`${join(dir, "nope.yml")}: no such file`));
});

test("topics in the config add, replace and remove topics of the default taxonomy", () => {
  const path = file('topics:\n  livepatch:\n    description: live patching\n    patterns: [["livepatch", 3]]\n    threshold: 0.6\n  docs: null\n');
  const taxonomy = taxonomyOf(loadConfig(path));
  expect(taxonomy["livepatch"]).toEqual({ description: "live patching", patterns: [["livepatch", 3]], threshold: 0.6 });
  expect(taxonomy["docs"]).toBeUndefined();
  expect(Object.keys(taxonomy)).toEqual([...Object.keys(DEFAULT_TAXONOMY).filter((t) => t !== "docs"), "livepatch"]);
});

test("the committed JSON schema is the one the config schema gives (npm run schema)", () => {
  const committed = JSON.parse(readFileSync(join(process.cwd(), "schema", "xen-triage.schema.json"), "utf8"));
  expect(committed).toEqual(configJsonSchema());
});
