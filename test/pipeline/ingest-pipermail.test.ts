import nock from "nock";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ingest, ingestExitCode } from "../../src/pipeline/ingest.js";
import { openSqliteStore } from "../../src/store/sqlite.js";

const HOST = "https://lists.example.org";
const ROOT = `${HOST}/pipermail/pkg-xen-devel/`;
const fixture = (name: string): Buffer => readFileSync(join(process.cwd(), "fixtures", "pipermail", name));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

test("a list root: every month ingested (gzip or not); the next run asks with validators and skips unchanged months", async () => {
  const store = openSqliteStore(":memory:");
  const first = nock(HOST)
    .get("/pipermail/pkg-xen-devel/")
    .reply(200, fixture("index.html"), { "Content-Type": "text/html" })
    .get("/pipermail/pkg-xen-devel/2023-November.txt.gz")
    .reply(200, gzipSync(fixture("2023-November.txt")), { ETag: '"nov-1"', "Content-Type": "application/x-gzip" })
    .get("/pipermail/pkg-xen-devel/2023-December.txt.gz")
    .reply(200, gzipSync(fixture("2023-December.txt")), { ETag: '"dec-1"', "Content-Type": "application/x-gzip" })
    .get("/pipermail/pkg-xen-devel/2024-January.txt")
    .reply(200, fixture("2024-January.txt"), { "Last-Modified": "Wed, 31 Jan 2024 23:59:00 GMT", "Content-Type": "text/plain" });
  const r1 = await ingest([ROOT], store);
  expect(first.isDone()).toBe(true);
  expect(r1).toEqual({ messages: 4, new: 4, reports: 3, rejected: [], unreadable: 0, sources: 3 });
  expect(ingestExitCode(r1)).toBe(0);

  const second = nock(HOST)
    .get("/pipermail/pkg-xen-devel/")
    .reply(200, fixture("index.html"), { "Content-Type": "text/html" })
    .get("/pipermail/pkg-xen-devel/2023-November.txt.gz")
    .matchHeader("if-none-match", '"nov-1"')
    .reply(304)
    .get("/pipermail/pkg-xen-devel/2023-December.txt.gz")
    .matchHeader("if-none-match", '"dec-1"')
    .reply(304)
    .get("/pipermail/pkg-xen-devel/2024-January.txt")
    .matchHeader("if-modified-since", "Wed, 31 Jan 2024 23:59:00 GMT")
    .reply(304);
  const r2 = await ingest([ROOT], store);
  expect(second.isDone()).toBe(true);
  expect(r2).toEqual({ ...r1, messages: 0, new: 0 });
  await store.close();
});
