/** The one message type: list mail and BTS log entries alike. `id` is the key everywhere. */

/** Where a bug number was seen, in which form. */
export type BugRefKind = "subject" | "address" | "url" | "closes" | "prose" | "control";

export interface BugRef {
  bug: number;
  kind: BugRefKind;
}

/** A debbugs control command seen in mail. */
export interface ControlCommand {
  /** merge, forcemerge, unmerge, reassign, severity, tags, close, reopen, found, fixed, retitle, affects, block, ... */
  verb: string;
  /** Bug numbers the command names (for merge/forcemerge all of them, master first). */
  bugs: number[];
  /** Everything after the bug numbers, verbatim (a package, a severity, tags, a version, a title). */
  args: string;
  /** The command line as written, without a leading "> " or "Control: ". */
  line: string;
  /**
   * Where it came from: a `Control:` pseudo-header, a mail to control@, a BTS "Processed:" transcript,
   * or a mail that closes a bug by where it goes (`N-done@bugs.debian.org`) or by what the BTS says of
   * it ("Bug#N: marked as done"): a `close` nobody wrote as a command.
   */
  via: "pseudo-header" | "control-mail" | "transcript" | "done-mail";
}

export interface Message {
  /** Message-ID without angle brackets, or `hash:<hex>` when the mail has no usable one. */
  id: string;
  /** The source it was read from (file path or URL) and where in it. */
  source: string;
  position: string;
  /** ISO 8601, from the Date header, else the mbox separator; null when neither parses. */
  date: string | null;
  fromName: string | null;
  fromAddress: string | null;
  to: string[];
  cc: string[];
  subject: string;
  /** Subject without list tags, Re:/Fwd:/AW:, Bug#N: prefixes; used for threading by subject. */
  normalizedSubject: string;
  inReplyTo: string | null;
  references: string[];
  /**
   * Bugs this message is filed under: subject `Bug#N:`, mail to `N@bugs.debian.org`, the BTS log it came
   * from. Bugs that only its control commands name are in `controls`.
   */
  bugs: number[];
  /** Every bug the message mentions, in any form. */
  bugRefs: BugRef[];
  controls: ControlCommand[];
  /** The decoded text as a reader sees it (for display). */
  body: string;
  /** The author's own words: no quotes, signature, reportbug system information, scrub notices. */
  ownText: string;
  /** Non-fatal problems met while parsing (unknown charset, bad date, ...). */
  warnings: string[];
}
