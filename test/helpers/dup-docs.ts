import { type DupDoc, dupDoc } from "../../src/duplicates/dup-doc.js";
import type { Message } from "../../src/mail/message.js";
import { parseMessage } from "../../src/mail/parse-message.js";

/** A Message from a raw mail written as lines (LF), as the mbox splitter would hand it over. */
export function mail(lines: string[], index = 1): Message {
  return parseMessage(Buffer.from(lines.join("\n")), { source: "test.mbox", index, offset: 0, separator: null });
}

/** Term counts of a list of terms. */
export function counts(terms: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of terms) out[t] = (out[t] ?? 0) + 1;
  return out;
}

/** A one-mail report as the BTS would log it, made into a DupDoc the way the pipeline does. */
export function reportDoc(r: { bug: number; date: string; title: string; body: string; mergedWith?: number[] }): DupDoc {
  const message = mail([
    "From: Reporter <reporter@example.org>",
    `To: ${r.bug}@bugs.debian.org`,
    `Subject: Bug#${r.bug}: ${r.title}`,
    `Date: ${new Date(r.date).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <report-${r.bug}@example.org>`,
    "",
    r.body,
  ]);
  return dupDoc({ id: `bug:${r.bug}`, bug: r.bug, title: r.title, package: null, mergedWith: r.mergedWith ?? [], firstDate: r.date, messages: [message] });
}
