import { messageIds } from "../../src/mail/parse-message.js";

/** What messageIds reads, as the one regex it stands for. */
function reference(value: string): string[] {
  const out = [...value.matchAll(/<([^<>\s]+@[^<>\s]+)>/g)].map((m) => m[1]!);
  if (out.length === 0) {
    const bare = /^\s*([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)\s*$/.exec(value);
    if (bare) out.push(bare[1]!);
  }
  return out;
}

describe("messageIds", () => {
  const rows: Array<[string, string[]]> = [
    ["<a@b> <c@d>", ["a@b", "c@d"]],
    ["<a@b><c@d>", ["a@b", "c@d"]],
    ["<@@@>", ["@@@"]],
    ["<x@y@>", ["x@y@"]],
    ["<@b> <a@> <a b@c>", []],
    ["<<a@b>>", ["a@b"]],
    ["<a@\u00a0b> <c@d>", ["c@d"]],
    ["  bare@example.org ", ["bare@example.org"]],
    ["", []],
  ];
  test.each(rows)("%j", (value, expected) => {
    expect(messageIds(value)).toEqual(expected);
  });

  test("reads random strings as the regex does", () => {
    const parts = ["<", ">", "@", "a", "b.c", " ", "\t", "\u00a0", "\u3000", "\ufeff", "\u200b", "<a@b>"];
    let seed = 1;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const differ: string[] = [];
    for (let i = 0; i < 20000; i++) {
      let s = "";
      for (let k = next(9); k > 0; k--) s += parts[next(parts.length)];
      if (JSON.stringify(messageIds(s)) !== JSON.stringify(reference(s))) differ.push(s);
    }
    expect(differ).toEqual([]);
  });
});
