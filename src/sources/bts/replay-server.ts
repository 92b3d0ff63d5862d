import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** One recorded answer of the BTS's SOAP service: the method, its arguments as a key, the XML. */
export interface RecordedAnswer {
  method: string;
  /** The request's arguments in order, joined with "-": `1090233-1090417`, `src-xen`. */
  args: string;
  body: string;
}

/**
 * Recorded answers from a folder of `<method>-<args>.xml` files (`get_status-1090233-1090417.xml`,
 * `get_bugs-src-xen.xml`, `get_bug_log-1090417.xml`).
 */
export function loadRecordedAnswers(dir: string): RecordedAnswer[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".xml"))
    .sort()
    .map((f) => {
      const m = /^([a-z_]+?)(?:-(.+))?\.xml$/.exec(f)!;
      return { method: m[1]!, args: m[2] ?? "", body: readFileSync(join(dir, f), "utf8") };
    });
}

/** The method and the argument key of a SOAP request as the client sends it. */
export function requestKey(xml: string): { method: string; args: string } {
  const body = /<(?:\w+:)?Body>([\s\S]*)<\/(?:\w+:)?Body>/.exec(xml)?.[1] ?? "";
  const method = /<(\w+)[\s>]/.exec(body)?.[1] ?? "";
  const values = [...body.matchAll(/<(?:item|arg\d+)(?:\s[^>]*)?>([^<]*)(?=<)/g)].map((m) => m[1]!.trim()).filter(Boolean);
  return { method, args: values.join("-") };
}

/**
 * A get_status answer for bugs recorded in other get_status answers (each bug's `<item><key>N</key>...`
 * taken from the recording that has it), or null when one of them was never recorded.
 */
function composeStatus(answers: RecordedAnswer[], args: string): string | null {
  const items: string[] = [];
  for (const bug of args.split("-")) {
    const found = answers.filter((a) => a.method === "get_status").map((a) => statusItem(a.body, bug)).find((x) => x !== null);
    if (!found) return null;
    items.push(found);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" ' +
    'xmlns:apachens="http://xml.apache.org/xml-soap" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><get_statusResponse xmlns="Debbugs/SOAP">' +
    `<s-gensym3 xsi:type="apachens:Map">${items.join("")}</s-gensym3></get_statusResponse></soap:Body></soap:Envelope>`
  );
}

/** One bug's `<item>` of a recorded get_status map: from its key to the next bug's key or the map's end. */
function statusItem(body: string, bug: string): string | null {
  const starts = [...body.matchAll(/<item><key[^>]*>(\d+)<\/key>/g)];
  const k = starts.findIndex((m) => m[1] === bug);
  if (k < 0) return null;
  const start = starts[k]!.index!;
  const end = k + 1 < starts.length ? starts[k + 1]!.index! : body.search(/<\/(?:\w+:)?s-gensym\d*>|<\/get_statusResponse>/);
  return end > start ? body.slice(start, end) : null;
}

export interface ReplayServer {
  /** The SOAP endpoint to point XEN_TRIAGE_BTS_URL at. */
  url: string;
  /** Requests answered, by method. */
  requests: Record<string, number>;
  close(): Promise<void>;
}

/**
 * A stand-in for the BTS on loopback that answers SOAP requests from recorded answers: the answer
 * recorded for the same method and arguments, else a SOAP fault. `failEvery: 3` answers every third
 * request with a 503 first, for fault tests. Used by `npm start` (offline) and by tests.
 */
export async function startReplayServer(answers: RecordedAnswer[], options: { failEvery?: number } = {}): Promise<ReplayServer> {
  const requests: Record<string, number> = {};
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      count++;
      if (options.failEvery && count % options.failEvery === 0) {
        res.writeHead(503, { "Content-Type": "text/plain", "Retry-After": "0" }).end("busy");
        return;
      }
      const { method, args } = requestKey(Buffer.concat(chunks).toString("utf8"));
      requests[method] = (requests[method] ?? 0) + 1;
      const answer = answers.find((a) => a.method === method && a.args === args)?.body ?? (method === "get_status" ? composeStatus(answers, args) : null);
      if (answer) {
        res.writeHead(200, { "Content-Type": "text/xml; charset=utf-8" }).end(answer);
        return;
      }
      res
        .writeHead(500, { "Content-Type": "text/xml; charset=utf-8" })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>` +
            `<faultcode>soap:Server</faultcode><faultstring>no recorded answer for ${method}(${args})</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cgi-bin/soap.cgi`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
