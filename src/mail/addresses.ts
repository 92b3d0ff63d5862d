export interface Address {
  name: string | null;
  address: string | null;
}

/**
 * Parse an address header: `Name <a@b>`, `"Name" <a@b>`, `a@b (Name)`, a bare `a@b`, and pipermail's
 * obfuscated `maxi at daemonizer.de (Maximilian Engelhardt)`, which gives the real address back.
 */
export function parseAddressList(value: string | undefined): Address[] {
  if (!value) return [];
  return splitTopLevel(value)
    .map(parseOne)
    .filter((a) => a.address !== null || a.name !== null);
}

export function parseAddress(value: string | undefined): Address {
  return parseAddressList(value)[0] ?? { name: null, address: null };
}

/** `user at example.org` (pipermail, also in bodies) back to `user@example.org`. */
export function deobfuscate(text: string): string {
  // Not "at xenbits.xen.org/xsa/": a host followed by a path is a web address, not a mailbox.
  return text.replace(/([A-Za-z0-9._%+=-]+) at ((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})\b(?![\w.-]*\/)/g, "$1@$2");
}

const ANGLE = /^(.*?)<([^<>]*)>\s*(?:\((.*)\))?\s*$/s;
const COMMENT = /^([^()\s]+(?: at [^()\s]+)?)\s*\((.*)\)\s*$/s;

function parseOne(raw: string): Address {
  const s = raw.trim();
  if (s === "") return { name: null, address: null };
  const a = ANGLE.exec(s);
  if (a) {
    const name = cleanName(a[1]!) ?? cleanName(a[3] ?? "");
    return { name, address: cleanAddress(a[2]!) };
  }
  const c = COMMENT.exec(s);
  if (c) return { name: cleanName(c[2]!), address: cleanAddress(c[1]!) };
  if (/^\S+@\S+$/.test(s) || /^\S+ at \S+\.\S+$/.test(s)) return { name: null, address: cleanAddress(s) };
  return { name: cleanName(s), address: null };
}

function cleanName(s: string): string | null {
  let n = s.trim();
  if (n.startsWith('"') && n.endsWith('"') && n.length >= 2) n = n.slice(1, -1).replace(/\\(.)/g, "$1");
  n = n.trim();
  return n === "" ? null : n;
}

function cleanAddress(s: string): string | null {
  const a = s.trim().replace(/^mailto:/i, "");
  if (a === "") return null;
  const d = /^(\S+) at (\S+\.\S+)$/.exec(a);
  return (d ? `${d[1]}@${d[2]}` : a).toLowerCase();
}

function splitTopLevel(value: string): string[] {
  // Without quotes, comments or groups a comma is always a separator (most headers are like that).
  if (!/["(:;]/.test(value)) return value.split(",");
  const out: string[] = [];
  let depthAngle = 0;
  let depthParen = 0;
  let quoted = false;
  let cur = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      cur += ch;
      if (ch === "\\" && i + 1 < value.length) cur += value[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ":" && depthAngle === 0 && depthParen === 0 && /^[^@<>]*$/.test(cur) && cur.trim() !== "") {
      // A group's display name (`undisclosed-recipients:;`, `Xen team: a@b, c@d;`): not an address.
      cur = "";
      continue;
    }
    else if (ch === "<") depthAngle++;
    else if (ch === ">") depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === "(") depthParen++;
    else if (ch === ")") depthParen = Math.max(0, depthParen - 1);
    else if ((ch === "," || ch === ";") && depthAngle === 0 && depthParen === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}
