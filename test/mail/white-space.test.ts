import { collapseWhiteSpace } from "../../src/mail/white-space.js";

describe("collapseWhiteSpace", () => {
  const rows: Array<[string, string]> = [
    ["xen and systemd support", "xen and systemd support"],
    ["xen  and\tsystemd\n support", "xen and systemd support"],
    [" leading and trailing ", " leading and trailing "],
    ["  two leading", " two leading"],
    ["no\u00a0break\u3000space", "no break space"],
    ["\t", " "],
    ["", ""],
  ];
  test.each(rows)("%j", (text, expected) => {
    expect(collapseWhiteSpace(text)).toBe(expected);
    expect(collapseWhiteSpace(text)).toBe(text.replace(/\s+/g, " "));
  });
});
