import { readFileSync } from "node:fs";
import type { Message } from "../mail/message.js";
import { titleFromSubject } from "../mail/subjects.js";
import { messagesByBug } from "./mail-by-bug.js";
import { byDate } from "../triage/report-doc.js";
import { CsvError, csvObjects } from "../sources/csv.js";
import { gitbugsMail, readGitbugsPairs, readGitbugsReports } from "../sources/gitbugs.js";
import { type DupDoc, dupDoc } from "../duplicates/dup-doc.js";

/**
 * Labelled duplicate sets read straight from files, for fitting and measuring the duplicate finder
 * without a store: our Xen sets (an mbox and a pairs CSV) and gitbugs (CSV). Reports are grouped by
 * bug and made documents exactly as `triage` makes them from the store.
 */

export interface LabelledPair {
  /** The newer report. */
  report: string;
  /** The earlier report it duplicates, or resembles without being the same bug. */
  other: string;
  kind: "duplicate" | "near-miss";
}


function docOfBug(bug: number, messages: Message[]): DupDoc {
  const sorted = [...messages].sort(byDate);
  const first = sorted[0]!;
  return dupDoc({ id: `bug:${bug}`, bug, title: titleFromSubject(first.subject), package: null, mergedWith: [], firstDate: first.date, messages: sorted });
}

/** One document per bug of an mbox (mail filed under no bug is left out). */
export async function dupDocsOfMbox(path: string): Promise<DupDoc[]> {
  return dupDocsOfMboxBytes(readFileSync(path), path);
}

async function dupDocsOfMboxBytes(mbox: Buffer, path: string): Promise<DupDoc[]> {
  return [...(await messagesByBug(mbox, path, { skipBroken: false }))].map(([bug, messages]) => docOfBug(bug, messages));
}

/** One document per gitbugs bug, through the same `Bug#ID: Summary` mail (and mbox) the eval ingests. */
export async function dupDocsOfGitbugs(path: string): Promise<DupDoc[]> {
  return dupDocsOfMboxBytes(Buffer.from(readGitbugsReports(readFileSync(path, "utf8"), path).map(gitbugsMail).join("")), path);
}

/** Our pairs CSV: `report,duplicate_of,kind` (kind `duplicate` or `near-miss`), bug numbers. */
export function readLabelledPairs(path: string): LabelledPair[] {
  return csvObjects(readFileSync(path, "utf8"), path, ["report", "duplicate_of", "kind"]).map(({ line, row }) => {
    const a = Number(row["report"]);
    const b = Number(row["duplicate_of"]);
    const kind = row["kind"]!.trim();
    if (!Number.isInteger(a) || !Number.isInteger(b) || a <= 0 || b <= 0) throw new CsvError(`${path}, line ${line}: report and duplicate_of must be bug numbers`);
    if (kind !== "duplicate" && kind !== "near-miss") throw new CsvError(`${path}, line ${line}: kind "${kind}" is neither duplicate nor near-miss`);
    return { report: `bug:${a}`, other: `bug:${b}`, kind };
  });
}

/** gitbugs pairs as labelled duplicates, the newer report first (by the documents' dates). */
export function gitbugsPairs(path: string, docs: DupDoc[]): LabelledPair[] {
  const date = new Map(docs.map((d) => [d.id, d.date ?? ""]));
  return readGitbugsPairs(readFileSync(path, "utf8"), path).flatMap(([a, b]): LabelledPair[] => {
    const ia = `bug:${a}`;
    const ib = `bug:${b}`;
    if (!date.has(ia) || !date.has(ib)) return [];
    return date.get(ia)! >= date.get(ib)! ? [{ report: ia, other: ib, kind: "duplicate" }] : [{ report: ib, other: ia, kind: "duplicate" }];
  });
}
