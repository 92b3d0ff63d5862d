import { XMLParser } from "fast-xml-parser";
import { decodeHeaderBytes } from "../../mail/decode-text.js";

/**
 * A SOAP-encoded value as debbugs sends it: a string, a number, a list (soapenc:Array), a map
 * (apachens:Map of key/value items, or a struct of named members), or null (empty or nil). Types are
 * taken from `xsi:type` where there is one and guessed from the shape where there is not: the service
 * sends `mergedwith` as `xsd:string` "1 2" in one answer and `xsd:int` in the next.
 */
export type SoapValue = string | number | null | SoapValue[] | { [key: string]: SoapValue };

export class SoapError extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === "item",
  preserveOrder: true,
});

type Node = Record<string, unknown> & { ":@"?: Record<string, string> };

/**
 * Decode a SOAP response: the value the `<methodResponse>` element carries. Throws SoapError for a
 * SOAP Fault (with its faultstring) or an envelope without a body.
 */
export function decodeSoapResponse(xml: string, method: string): SoapValue {
  let doc: Node[];
  try {
    doc = parser.parse(xml) as Node[];
  } catch (err) {
    throw new SoapError(`${method}: not XML (${(err as Error).message})`);
  }
  const envelope = child(doc, "Envelope");
  const body = envelope ? child(children(envelope), "Body") : undefined;
  if (!body) throw new SoapError(`${method}: no SOAP body in the answer`);
  const fault = child(children(body), "Fault");
  if (fault) {
    const text = textOf(child(children(fault), "faultstring")) ?? "SOAP fault";
    throw new SoapError(`${method}: ${text.trim()}`);
  }
  const response = child(children(body), `${method}Response`);
  if (!response) throw new SoapError(`${method}: no ${method}Response in the answer`);
  const values = elements(children(response));
  if (values.length === 0) return null;
  return decodeValue(values[0]!);
}

function decodeValue(node: Node): SoapValue {
  const attrs = node[":@"] ?? {};
  const type = (attrs["@type"] ?? "").replace(/^.*:/, "");
  if (attrs["@nil"] === "true" || attrs["@nil"] === "1") return null;
  const kids = elements(children(node));
  const text = textOf(node);
  if (type === "Array" || (kids.length > 0 && kids.every((k) => nameOf(k) === "item") && !kids.some((k) => hasKey(k)))) {
    return kids.map(decodeValue);
  }
  if (type === "Map" || (kids.length > 0 && kids.every((k) => nameOf(k) === "item"))) {
    const out: { [key: string]: SoapValue } = {};
    for (const item of kids) {
      const ik = elements(children(item));
      const key = ik.find((k) => nameOf(k) === "key");
      const value = ik.find((k) => nameOf(k) === "value");
      if (!key) continue;
      out[String(textOf(key) ?? "")] = value ? decodeValue(value) : null;
    }
    return out;
  }
  if (kids.length > 0) {
    const out: { [key: string]: SoapValue } = {};
    for (const k of kids) out[nameOf(k)] = decodeValue(k);
    return out;
  }
  if (text === undefined || text === "") return type === "string" ? "" : null;
  if (type === "base64Binary") return decodeHeaderBytes(Buffer.from(text, "base64"));
  if (type === "int" || type === "integer" || type === "long" || type === "short") {
    const n = Number(text.trim());
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

function hasKey(item: Node): boolean {
  return elements(children(item)).some((k) => nameOf(k) === "key");
}

function nameOf(node: Node): string {
  return Object.keys(node).find((k) => k !== ":@") ?? "";
}

function children(node: Node): Node[] {
  const v = node[nameOf(node)];
  return Array.isArray(v) ? (v as Node[]) : [];
}

function elements(nodes: Node[]): Node[] {
  return nodes.filter((n) => nameOf(n) !== "#text");
}

function child(nodes: Node[], name: string): Node | undefined {
  return nodes.find((n) => nameOf(n) === name);
}

function textOf(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const texts = children(node).filter((n) => nameOf(n) === "#text");
  if (texts.length === 0) return undefined;
  return texts.map((t) => String(t["#text"])).join("");
}
