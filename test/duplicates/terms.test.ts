import { stem, termsOf } from "../../src/duplicates/terms.js";

describe("termsOf", () => {
  const rows: Array<[string, string, string[]]> = [
    // name, text, expected terms (in order, repeats kept)
    ["camelCase: whole, acronym of 3+ humps, each hump", "JavaKeyStoreProvider", ["javakeystoreprovider", "jksp", "java", "key", "stor", "provider"]],
    ["two humps: no acronym", "XenStore", ["xenstore", "xen", "stor"]],
    ["an upper-case run before a hump is one word", "HVMLoader", ["hvmloader", "hvm", "loader"]],
    ["a dotted unit: whole, then its words", "xendomains.service", ["xendomains.service", "xendomain", "servic"]],
    [
      "a path: whole (from its first word), its named segments, its words; short numbers dropped",
      "/usr/lib/xen-4.17/bin/xl",
      ["usr/lib/xen-4.17/bin/xl", "xen-4.17", "usr", "lib", "xen", "bin", "xl"],
    ],
    ["a library with a version: whole and its name", "libxenctrl.so.4.17", ["libxenctrl.so.4.17", "libxenctrl"]],
    [
      "a Debian version: whole; of its pieces only what is long enough",
      "4.17.3+10-g091466ba55-1",
      ["4.17.3+10-g091466ba55-1", "091466", "ba"],
    ],
    ["three dotted numbers are kept whole", "SeaMonkey 2.53.1", ["seamonkey", "sea", "monkey", "2.53.1"]],
    ["two dotted numbers are nothing", "xen 4.17", ["xen"]],
    [
      "a C source position: whole, the file, its words",
      "libxl: error: libxl_create.c:1234: cannot create",
      ["libxl", "error", "libxl_create.c:1234", "libxl_create.c", "libxl", "creat", "1234", "cannot", "creat"],
    ],
    [
      "a URL: the scheme alone, the rest whole, the host, the words",
      "https://bugs.debian.org/1028251",
      ["http", "bugs.debian.org/1028251", "bugs.debian.org", "bugs", "debian", "org", "1028251"],
    ],
    ["stop words and courtesy are dropped", "Dear Maintainer, please help: it is not working with the guests", ["help", "work", "guest"]],
    ["numbers under 3 digits are dropped, longer ones kept", "a ab 7 12 123 1234 domain 42", ["ab", "123", "1234", "domain"]],
    ["letters against digits", "dom0 x86_64 amd64", ["dom0", "dom", "x86_64", "amd64", "amd"]],
    ["stems: plural, -ies, -sses, -ing, -ed, final e", "guests queries classes booting crashed resume", ["guest", "query", "class", "boot", "crash", "resum"]],
    ["pause, paused, pausing, pauses meet", "pause paused pausing pauses", ["paus", "paus", "paus", "paus"]],
    ["non-ASCII letters are letters", "Grüße über Straße", ["grüß", "über", "straß"]],
    ["nothing", "", []],
    ["only punctuation and stop words", "-- (I am, you are) ...", []],
  ];
  test.each(rows)("%s", (_name, text, expected) => {
    expect(termsOf(text)).toEqual(expected);
  });

  test("appends to the array given and returns it", () => {
    const out = ["xen"];
    expect([termsOf("xendomains hangs", out) === out, out]).toEqual([true, ["xen", "xendomain", "hang"]]);
  });

  test("an identifier over 80 characters is not kept whole, its words are", () => {
    const long = `${"a".repeat(41)}.${"b".repeat(39)}`; // 81 characters
    expect(termsOf(long)).toEqual(["b".repeat(39)]);
  });

  // BUG: the stop list has "dont", "doesnt", "didnt", "wont", "isnt", but CHUNK splits at the apostrophe,
  // so "don't" gives "don" and "t" and the contraction's stem survives as a term ("doesn", "won", "isn").
  test("contractions are stop words, with a straight or a typographic apostrophe", () => {
    expect(termsOf("It doesn't boot, I don't know why, it won’t save and isn't paused")).toEqual(["boot", "know", "sav", "paus"]);
  });

  // BUG: an acronym's plural splits before its last capital ("CPUs" is "CP" + "Us", "VMs" is "V" +
  // "Ms"; "vCPUs" gives "vcpus", "cp", "us"), so "4 VMs" and "a VM" share no term, though plurals are
  // meant to meet their singular.
  test("an acronym's plural meets its singular", () => {
    expect({ vms: termsOf("VMs"), cpus: termsOf("vCPUs") }).toEqual({ vms: expect.arrayContaining(["vm"]), cpus: expect.arrayContaining(["cpu"]) });
  });
});

describe("stem", () => {
  const rows: Array<[string, string]> = [
    ["guests", "guest"],
    ["pages", "pag"],
    ["queries", "query"],
    ["classes", "class"],
    ["status", "status"],
    ["analysis", "analysis"],
    ["address", "address"],
    ["booting", "boot"],
    ["running", "run"],
    ["shipping", "ship"],
    ["installing", "install"],
    ["stopped", "stop"],
    ["crashed", "crash"],
    ["needed", "need"],
    ["agreed", "agreed"],
    ["configure", "configur"],
    ["configured", "configur"],
    ["configuring", "configur"],
    ["free", "free"],
    ["boot", "boot"],
    ["xen4", "xen4"],
    ["x86_64s", "x86_64s"],
  ];
  test.each(rows)("%s → %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  // BUG: the length guards (-ed only past 5 letters, -ing past 6, final e only past 4) keep four-letter
  // verbs from meeting their tenses: save, saved, saving stay three terms, though stem() is meant to
  // "meet plural and tense". xendomains' "save" is among the commonest verbs in Xen reports.
  test("a four-letter verb ending in e meets its -s, -ed and -ing forms", () => {
    const forms = ["save", "saves", "saved", "saving"];
    expect(forms.map(stem)).toEqual(forms.map(() => stem("save")));
  });
});

test("the words behind stems: the first form seen, or the stem itself once it is seen as a word", () => {
  const surface = new Map<string, string>();
  termsOf("Two bookworms upgraded; the upgrade saved nothing", [], surface);
  termsOf("back on bookworm, saving again", [], surface);
  // "two" and "again" are stop words; "nothing" is stemmed as a verb would be, and shown as written.
  expect(Object.fromEntries(surface)).toEqual({ bookworm: "bookworm", upgrad: "upgraded", sav: "saved", noth: "nothing", back: "back" });
});
