import type { BugStatus } from "../../src/sources/bts/bug-status.js";
import { planMerge, type MergeCandidate, type MergePlan } from "../../src/duplicates/merge-plan.js";

/** A full BugStatus, open and plain, on src:xen; tests override what they are about. */
function bug(overrides: Partial<BugStatus> & { bug: number }): BugStatus {
  return {
    package: "src:xen",
    source: "xen",
    title: "xen: xendomains does not shut down guests",
    submitter: "Reporter <reporter@example.org>",
    severity: "normal",
    tags: [],
    mergedWith: [],
    done: false,
    doneBy: null,
    archived: false,
    pending: "pending",
    foundVersions: [],
    fixedVersions: [],
    forwarded: null,
    owner: null,
    affects: [],
    blocks: [],
    blockedBy: [],
    summary: null,
    outlook: null,
    date: "2023-01-30T10:00:00.000Z",
    lastModified: null,
    ...overrides,
  };
}

const known = (status: BugStatus): MergeCandidate => ({ bug: status.bug, status });
const unknown = (n: number): MergeCandidate => ({ bug: n, status: null });

const OLD = "2023-01-30T10:00:00.000Z";
const NEW = "2023-06-21T08:30:00.000Z";
const FTP = "Debian FTP Masters <ftpmaster@ftp-master.debian.org>";
const UPSTREAM = "https://lists.xenproject.org/archives/html/xen-devel/2023-06/msg01234.html";
const OLDER_WHY = "#1029998 is master: it is older (reported 2023-01-30, #1039422 2023-06-21) and usually has the fuller history";
const PLAIN_WHY =
  "plain merge: package, severity, done, forwarded, owner, summary, outlook, affects and blocks are the same; tags and versions are unioned by any merge";

const cases: { name: string; a: MergeCandidate; b: MergeCandidate; plan: MergePlan }[] = [
  {
    name: "identical state: plain merge, older bug first",
    a: known(bug({ bug: 1029998, package: "xen-utils-common", date: OLD })),
    b: known(bug({ bug: 1039422, package: "xen-utils-common", date: NEW })),
    plan: {
      kind: "merge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: [],
      why: [OLDER_WHY, PLAIN_WHY],
      effects: [],
      control: "merge 1029998 1039422\nthanks",
      bts: "bts merge 1029998 1039422",
    },
  },
  {
    name: "different severities: forcemerge, the more severe bug is master even when newer",
    a: known(bug({ bug: 1029998, date: OLD })),
    b: known(bug({ bug: 1039422, severity: "important", date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1039422,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: ["severity: #1039422 important, #1029998 normal"],
      why: [
        "#1039422 is master: its severity (important) is higher than #1029998's (normal), and a merge should not lower it",
        "forcemerge: severity differs, and a plain merge refuses any difference there",
      ],
      effects: ["severity of #1029998 would become important"],
      control: "forcemerge 1039422 1029998\nthanks",
      bts: "bts forcemerge 1039422 1029998",
    },
  },
  {
    name: "binary vs other binary, nothing else differs: reassign, then a plain merge; the reassign drops versions",
    a: known(bug({ bug: 1029998, package: "xen-utils-common", date: OLD, foundVersions: ["xen/4.17.1+2-gb773c48e36-4"] })),
    b: known(bug({ bug: 1039422, package: "xen-utils-4.17", date: NEW, foundVersions: ["xen/4.17.1+2-gb773c48e36-7"] })),
    plan: {
      kind: "merge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [{ bug: 1039422, from: "xen-utils-4.17", to: "xen-utils-common" }],
      unblock: [],
      differences: ["package: #1029998 xen-utils-common, #1039422 xen-utils-4.17"],
      why: [
        OLDER_WHY,
        "#1039422 is on xen-utils-4.17 and #1029998 on xen-utils-common; no merge changes a package, so #1039422 is reassigned first",
        "plain merge: after the reassign, package, severity, done, forwarded, owner, summary, outlook, affects and blocks are the same; tags and versions are unioned by any merge",
      ],
      effects: [
        "#1039422 would move from xen-utils-4.17 to xen-utils-common",
        "reassigning clears the versions of #1039422 (found in xen/4.17.1+2-gb773c48e36-7)",
        "found versions of the merged set would be: xen/4.17.1+2-gb773c48e36-4",
      ],
      control: "reassign 1039422 xen-utils-common\nmerge 1029998 1039422\nthanks",
      bts: "bts reassign 1039422 xen-utils-common , merge 1029998 1039422",
    },
  },
  {
    name: "binary vs src:xen with another difference: reassign to the master's src:xen, then forcemerge",
    a: known(bug({ bug: 1029998, package: "xen-hypervisor-4.17-amd64", date: OLD })),
    b: known(bug({ bug: 1039422, package: "src:xen", severity: "important", date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1039422,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [{ bug: 1029998, from: "xen-hypervisor-4.17-amd64", to: "src:xen" }],
      unblock: [],
      differences: ["package: #1039422 src:xen, #1029998 xen-hypervisor-4.17-amd64", "severity: #1039422 important, #1029998 normal"],
      why: [
        "#1039422 is master: its severity (important) is higher than #1029998's (normal), and a merge should not lower it",
        "#1029998 is on xen-hypervisor-4.17-amd64 and #1039422 on src:xen; no merge changes a package, so #1029998 is reassigned first",
        "forcemerge: severity differs, and a plain merge refuses any difference there",
      ],
      effects: ["#1029998 would move from xen-hypervisor-4.17-amd64 to src:xen", "severity of #1029998 would become important"],
      control: "reassign 1029998 src:xen\nforcemerge 1039422 1029998\nthanks",
      bts: "bts reassign 1029998 src:xen , forcemerge 1039422 1029998",
    },
  },
  {
    name: "done bug is master (older): the open duplicate would be closed",
    a: known(bug({ bug: 1028251, done: true, doneBy: FTP, fixedVersions: ["xen/4.17.1+2-gb773c48e36-1"], date: "2023-01-10T09:00:00.000Z" })),
    b: known(bug({ bug: 1040123, date: "2023-06-30T09:00:00.000Z" })),
    plan: {
      kind: "forcemerge",
      master: 1028251,
      bugs: [1028251, 1040123],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: ["done: #1028251 done, #1040123 open"],
      why: [
        "#1028251 is master: it is older (reported 2023-01-10, #1040123 2023-06-30) and usually has the fuller history",
        "forcemerge: done differs, and a plain merge refuses any difference there",
      ],
      effects: [`would close #1040123 (#1028251 is closed by ${FTP})`, "fixed versions of the merged set would be: xen/4.17.1+2-gb773c48e36-1"],
      control: "forcemerge 1028251 1040123\nthanks",
      bts: "bts forcemerge 1028251 1040123",
    },
  },
  {
    name: "open bug is master (more severe): the done one would be reopened",
    a: known(bug({ bug: 1028251, done: true, doneBy: FTP, fixedVersions: ["xen/4.17.1+2-gb773c48e36-1"], date: "2023-01-10T09:00:00.000Z" })),
    b: known(bug({ bug: 1040123, severity: "serious", date: "2023-06-30T09:00:00.000Z" })),
    plan: {
      kind: "forcemerge",
      master: 1040123,
      bugs: [1028251, 1040123],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: ["severity: #1040123 serious, #1028251 normal", "done: #1040123 open, #1028251 done"],
      why: [
        "#1040123 is master: its severity (serious) is higher than #1028251's (normal), and a merge should not lower it",
        "forcemerge: severity and done differ, and a plain merge refuses any difference there",
      ],
      effects: [
        "severity of #1028251 would become serious",
        `would reopen #1028251 (closed by ${FTP})`,
        "fixed versions of the merged set would be: xen/4.17.1+2-gb773c48e36-1",
      ],
      control: "forcemerge 1040123 1028251\nthanks",
      bts: "bts forcemerge 1040123 1028251",
    },
  },
  {
    name: "forwarded differs: the forwarded bug is master, so forcemerge does not clear it",
    a: known(bug({ bug: 1029998, date: OLD })),
    b: known(bug({ bug: 1039422, forwarded: UPSTREAM, date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1039422,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: [`forwarded: #1039422 ${UPSTREAM}, #1029998 (none)`],
      why: [
        "#1039422 is master: it has forwarded set and #1029998 does not, and a forcemerge would otherwise clear it",
        "forcemerge: forwarded differs, and a plain merge refuses any difference there",
      ],
      effects: [`forwarded of #1029998 would become ${UPSTREAM}`],
      control: "forcemerge 1039422 1029998\nthanks",
      bts: "bts forcemerge 1039422 1029998",
    },
  },
  {
    name: "owner set on both, differently: no side is fuller, the older wins",
    a: known(bug({ bug: 1029998, owner: "Xen Team <pkg-xen-devel@lists.alioth.debian.org>", date: OLD })),
    b: known(bug({ bug: 1039422, owner: "Hans <hans@example.org>", date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: ["owner: #1029998 Xen Team <pkg-xen-devel@lists.alioth.debian.org>, #1039422 Hans <hans@example.org>"],
      why: [OLDER_WHY, "forcemerge: owner differs, and a plain merge refuses any difference there"],
      effects: ["owner of #1039422 would become Xen Team <pkg-xen-devel@lists.alioth.debian.org>"],
      control: "forcemerge 1029998 1039422\nthanks",
      bts: "bts forcemerge 1029998 1039422",
    },
  },
  {
    name: "affects, blocks and blockedby differ (blockedby counts too in Control.pm)",
    a: known(bug({ bug: 1029998, affects: ["qemu-system-xen"], blocks: [1051234], date: OLD })),
    b: known(bug({ bug: 1039422, blockedBy: [1012345], date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: [
        "affects: #1029998 qemu-system-xen, #1039422 (none)",
        "blocks: #1029998 1051234, #1039422 (none)",
        "blockedby: #1029998 (none), #1039422 1012345",
      ],
      why: [OLDER_WHY, "forcemerge: affects, blocks and blockedby differ, and a plain merge refuses any difference there"],
      effects: [
        "affects of #1039422 would become qemu-system-xen",
        "blocks of #1039422 would become 1051234",
        "blockedby of #1039422 would be cleared (was 1012345)",
      ],
      control: "forcemerge 1029998 1039422\nthanks",
      bts: "bts forcemerge 1029998 1039422",
    },
  },
  {
    name: "only tags and versions differ: still a plain merge, which unions them (a bare version yields to its qualified twin)",
    a: known(bug({ bug: 1029998, tags: ["upstream"], foundVersions: ["xen/4.17.1+2-gb773c48e36-4"], date: OLD })),
    b: known(
      bug({ bug: 1039422, tags: ["patch", "upstream"], foundVersions: ["4.17.1+2-gb773c48e36-4", "xen/4.17.2+76-ge1f9cb16e2-1"], date: NEW }),
    ),
    plan: {
      kind: "merge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: [],
      why: [OLDER_WHY, PLAIN_WHY],
      effects: [
        "tags of the merged set would be: patch upstream",
        "found versions of the merged set would be: xen/4.17.1+2-gb773c48e36-4 xen/4.17.2+76-ge1f9cb16e2-1",
      ],
      control: "merge 1029998 1039422\nthanks",
      bts: "bts merge 1029998 1039422",
    },
  },
  {
    name: "both done, closed by different people: only done-or-not counts, plain merge",
    a: known(bug({ bug: 1029998, done: true, doneBy: FTP, date: OLD })),
    b: known(bug({ bug: 1039422, done: true, doneBy: "Hans <hans@example.org>", date: NEW })),
    plan: {
      kind: "merge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: [],
      why: [OLDER_WHY, PLAIN_WHY],
      effects: [],
      control: "merge 1029998 1039422\nthanks",
      bts: "bts merge 1029998 1039422",
    },
  },
  {
    name: "an existing merged set gains a member: the whole set is listed, the command names the bug passed in",
    a: known(bug({ bug: 1029998, mergedWith: [1031000], date: OLD })),
    b: known(bug({ bug: 1039422, date: NEW })),
    plan: {
      kind: "merge",
      master: 1029998,
      bugs: [1029998, 1031000, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: [],
      why: [OLDER_WHY, PLAIN_WHY, "#1029998 is already merged with #1031000: the whole set joins"],
      effects: [],
      control: "merge 1029998 1039422\nthanks",
      bts: "bts merge 1029998 1039422",
    },
  },
  {
    name: "two merged sets, forced: every member of the other set takes the master's state",
    a: known(bug({ bug: 1029998, mergedWith: [1031000], date: OLD })),
    b: known(bug({ bug: 1039422, mergedWith: [1040500, 1040501], severity: "minor", date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1029998,
      bugs: [1029998, 1031000, 1039422, 1040500, 1040501],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: ["severity: #1029998 normal, #1039422 minor"],
      why: [
        "#1029998 is master: its severity (normal) is higher than #1039422's (minor), and a merge should not lower it",
        "forcemerge: severity differs, and a plain merge refuses any difference there",
        "#1029998 is already merged with #1031000: the whole set joins",
        "#1039422 is already merged with #1040500, #1040501: the whole set joins",
      ],
      effects: ["severity of #1039422, #1040500, #1040501 would become normal"],
      control: "forcemerge 1029998 1039422\nthanks",
      bts: "bts forcemerge 1029998 1039422",
    },
  },
  {
    name: "an archived bug: unarchive first; being done, it would be reopened",
    a: known(bug({ bug: 1012345, done: true, doneBy: FTP, archived: true, date: "2022-07-01T12:00:00.000Z" })),
    b: known(bug({ bug: 1039422, severity: "important", date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1039422,
      bugs: [1012345, 1039422],
      unarchive: [1012345],
      reassign: [],
      unblock: [],
      differences: ["severity: #1039422 important, #1012345 normal", "done: #1039422 open, #1012345 done"],
      why: [
        "#1039422 is master: its severity (important) is higher than #1012345's (normal), and a merge should not lower it",
        "#1012345 is archived and the BTS alters no archived bug: unarchive it first",
        "forcemerge: severity and done differ, and a plain merge refuses any difference there",
      ],
      effects: [
        "#1012345 would leave the archive",
        "severity of #1012345 would become important",
        `would reopen #1012345 (closed by ${FTP})`,
      ],
      control: "unarchive 1012345\nforcemerge 1039422 1012345\nthanks",
      bts: "bts unarchive 1012345 , forcemerge 1039422 1012345",
    },
  },
  {
    name: "one side blocks the other: unblock first, after which nothing differs",
    a: known(bug({ bug: 1029998, blocks: [1039422], date: OLD })),
    b: known(bug({ bug: 1039422, blockedBy: [1029998], date: NEW })),
    plan: {
      kind: "merge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [{ bug: 1039422, by: 1029998 }],
      differences: [],
      why: [OLDER_WHY, "#1029998 blocks #1039422, and a bug cannot block a merged partner: unblock first", PLAIN_WHY],
      effects: ["#1029998 would no longer block #1039422"],
      control: "unblock 1039422 by 1029998\nmerge 1029998 1039422\nthanks",
      bts: "bts unblock 1039422 by 1029998 , merge 1029998 1039422",
    },
  },
  {
    name: "one state unknown: the known bug is master, even when newer; the other is reassigned to its package",
    a: unknown(1029998),
    b: known(bug({ bug: 1039422, package: "xen-utils-common", date: NEW })),
    plan: {
      kind: "forcemerge",
      master: 1039422,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [{ bug: 1029998, from: null, to: "xen-utils-common" }],
      unblock: [],
      differences: [],
      why: [
        "#1039422 is master: its state is known and #1029998's is not, and the merged set takes the master's state",
        "the package of #1029998 is unknown: it is reassigned to xen-utils-common first, which changes nothing if it is already there",
        "the state of #1029998 is unknown (never synced from the BTS), so a plain merge cannot be checked: forcemerge makes #1039422's state win",
      ],
      effects: [
        "#1029998 would be on xen-utils-common; if that moves it from another package, its found and fixed versions are cleared",
        "whatever differs on #1029998 (severity, done, forwarded, owner, ...) would be overwritten with #1039422's",
      ],
      control: "reassign 1029998 xen-utils-common\nforcemerge 1039422 1029998\nthanks",
      bts: "bts reassign 1029998 xen-utils-common , forcemerge 1039422 1029998",
    },
  },
  {
    name: "both states unknown: forcemerge, lower number first, packages unchecked",
    a: unknown(1039422),
    b: unknown(1029998),
    plan: {
      kind: "forcemerge",
      master: 1029998,
      bugs: [1029998, 1039422],
      unarchive: [],
      reassign: [],
      unblock: [],
      differences: [],
      why: [
        "#1029998 is master: it has the lower number, so it is likely the older report with the fuller history",
        "the packages cannot be checked: if they differ, the BTS refuses the merge until one bug is reassigned",
        "the states of #1029998 and #1039422 are unknown (never synced from the BTS), so a plain merge cannot be checked: forcemerge makes #1029998's state win",
      ],
      effects: ["#1039422 would take #1029998's state, whatever it is"],
      control: "forcemerge 1029998 1039422\nthanks",
      bts: "bts forcemerge 1029998 1039422",
    },
  },
];

describe("planMerge", () => {
  test.each(cases)("$name", ({ a, b, plan }) => {
    expect(planMerge(a, b)).toEqual(plan);
  });

  test.each(cases)("does not depend on argument order: $name", ({ a, b, plan }) => {
    expect(planMerge(b, a)).toEqual(plan);
  });

  test("same date on both: the lower number is master", () => {
    const plan = planMerge(known(bug({ bug: 1039422, date: OLD })), known(bug({ bug: 1029998, date: OLD })));
    expect([plan.master, plan.why[0]]).toEqual([1029998, "#1029998 is master: it has the lower number, so it is likely the older report with the fuller history"]);
  });

  test("a BugStatus with fields merge planning does not read is accepted as is", () => {
    const full = bug({ bug: 1029998, title: "xen-utils-common: xendomains hangs", pending: "done", lastModified: NEW });
    expect(planMerge(known(full), known(bug({ bug: 1039422, date: NEW }))).kind).toBe("merge");
  });
});

describe("planMerge refuses nonsense", () => {
  const ok = known(bug({ bug: 1039422 }));
  test.each([
    ["zero", { bug: 0, status: null }, "planMerge: first bug: 0 is not a bug number (a positive integer)"],
    ["negative", { bug: -1029998, status: null }, "planMerge: first bug: -1029998 is not a bug number (a positive integer)"],
    ["fraction", { bug: 1029998.5, status: null }, "planMerge: first bug: 1029998.5 is not a bug number (a positive integer)"],
    ["NaN", { bug: Number.NaN, status: null }, "planMerge: first bug: NaN is not a bug number (a positive integer)"],
    ["state of another bug", { bug: 1029998, status: bug({ bug: 1028251 }) }, "planMerge: first bug is #1029998 but its state is #1028251's"],
    [
      "a bad number among mergedWith",
      known(bug({ bug: 1029998, mergedWith: [0] })),
      "planMerge: mergedWith of #1029998: 0 is not a bug number (a positive integer)",
    ],
  ] as [string, MergeCandidate, string][])("%s", (_name, first, message) => {
    expect(() => planMerge(first, ok)).toThrow(new Error(message));
  });

  test("a bad second bug is named as such", () => {
    expect(() => planMerge(ok, { bug: 0, status: null })).toThrow(new Error("planMerge: second bug: 0 is not a bug number (a positive integer)"));
  });

  test("a bug against itself", () => {
    expect(() => planMerge(unknown(1039422), ok)).toThrow(new Error("planMerge: cannot merge #1039422 with itself"));
  });

  test("a bug against a member of its own merged set, seen from either side", () => {
    const merged = known(bug({ bug: 1029998, mergedWith: [1039422] }));
    const message = new Error("planMerge: #1029998 and #1039422 are already in one merged set (#1029998, #1039422)");
    expect(() => planMerge(merged, unknown(1039422))).toThrow(message);
    expect(() => planMerge(unknown(1039422), merged)).toThrow(
      new Error("planMerge: #1039422 and #1029998 are already in one merged set (#1029998, #1039422)"),
    );
  });

  test("two bugs merged through a third", () => {
    const a = known(bug({ bug: 1029998, mergedWith: [1031000] }));
    const b = known(bug({ bug: 1039422, mergedWith: [1031000] }));
    expect(() => planMerge(a, b)).toThrow(new Error("planMerge: #1029998 and #1039422 are already in one merged set (#1029998, #1031000, #1039422)"));
  });
});

describe("states never synced, packages as filed", () => {
  test("filed against different packages: the newer bug is reassigned to the master's, and the plan says it goes by what was filed", () => {
    expect(planMerge({ bug: 1096045, status: null, filedPackage: "xen-utils-4.19" }, { bug: 1096051, status: null, filedPackage: "xen-utils-common" })).toEqual({
      kind: "forcemerge",
      master: 1096045,
      bugs: [1096045, 1096051],
      unarchive: [],
      reassign: [{ bug: 1096051, from: "xen-utils-common", to: "xen-utils-4.19" }],
      unblock: [],
      differences: [],
      why: [
        "#1096045 is master: it has the lower number, so it is likely the older report with the fuller history",
        "as filed, #1096051 is on xen-utils-common and #1096045 on xen-utils-4.19 (not yet confirmed by the BTS); no merge changes a package, so #1096051 is reassigned first",
        "the states of #1096045 and #1096051 are unknown (never synced from the BTS), so a plain merge cannot be checked: forcemerge makes #1096045's state win",
      ],
      effects: ["#1096051 would move from xen-utils-common to xen-utils-4.19; its found and fixed versions are cleared", "#1096051 would take #1096045's state, whatever it is"],
      control: "reassign 1096051 xen-utils-4.19\nforcemerge 1096045 1096051\nthanks",
      bts: "bts reassign 1096051 xen-utils-4.19 , forcemerge 1096045 1096051",
    });
  });

  test("filed against the same package: no reassign; one side filed unknown: the plan cannot check", () => {
    expect(planMerge({ bug: 1096024, status: null, filedPackage: "xen-utils-common" }, { bug: 1096025, status: null, filedPackage: "xen-utils-common" }).why[1]).toBe(
      "both were filed against xen-utils-common (not yet confirmed by the BTS)",
    );
    expect(planMerge({ bug: 1096024, status: null, filedPackage: "xen-utils-common" }, { bug: 1096025, status: null }).why[1]).toBe(
      "the packages cannot be checked: if they differ, the BTS refuses the merge until one bug is reassigned",
    );
  });
});
