import type { Digest } from "../triage/digest.js";
import { digestDocument } from "./digest-sections.js";
import { type DigestMailOptions, renderDigestEmail } from "./digest-email.js";
import { renderDigestHtml } from "./digest-html.js";
import { renderDigestMarkdown } from "./digest-markdown.js";
import { renderDigestText } from "./digest-text.js";

export const DIGEST_FORMATS = ["md", "text", "html", "email"] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

/** The digest in one of its formats; `email` needs the mail's From, To and Date. */
export function renderDigest(digest: Digest, format: DigestFormat, mail: DigestMailOptions): string {
  const doc = digestDocument(digest);
  switch (format) {
    case "md":
      return renderDigestMarkdown(doc);
    case "text":
      return renderDigestText(doc);
    case "html":
      return renderDigestHtml(doc);
    case "email":
      return renderDigestEmail(doc, mail);
  }
}
