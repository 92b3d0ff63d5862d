import { WordTable, hashOf } from "../../src/triage/word-table.js";

test("WordTable: finds each word in place in a text, by the hash of its characters; other words are not there", () => {
  const words = ["xen", "xen.service", "grub", "x", "xe", ...Array.from({ length: 40 }, (_, k) => `w${k}`)];
  const table = new WordTable(words.map((w, k): [string, number] => [w, k]));
  expect(words.map((w) => table.get(w))).toEqual(words.map((_, k) => k));
  const text = "a xen.service and grub.cfg";
  const at = (start: number, end: number) => table.find(text, start, end, hashOf(text, start, end));
  expect([at(2, 5), at(2, 13), at(18, 22), at(18, 26), at(0, 1), at(14, 17)]).toEqual([0, 1, 2, undefined, undefined, undefined]);
  expect(table.size).toBe(words.length);
});
