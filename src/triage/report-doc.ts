import type { Message } from "../mail/message.js";
import { isBtsNotice } from "../mail/subjects.js";
import type { ReportDoc } from "./classify.js";

/**
 * What classification reads of a report: its title and the own words of each message, in date order,
 * leaving out what the BTS wrote itself (acknowledgements, "marked as done", transcripts) and mail that
 * is only control commands.
 */
export function reportDoc(title: string, messages: Message[]): ReportDoc {
  return { title, messages: peopleMessages(messages).map((m) => m.ownText) };
}

/**
 * The messages people wrote, with words of their own, in date order: what classification reads, and
 * what evidence's message numbers count (1 = the first of these).
 */
export function peopleMessages(messages: Message[]): Message[] {
  return messages
    .filter((m) => !isFromBts(m))
    .sort(byDate)
    .filter((m) => m.ownText.trim() !== "");
}

/** Oldest first (messages, control events); one without a date sorts first. */
export function byDate(a: { date: string | null }, b: { date: string | null }): number {
  return (a.date ?? "") < (b.date ?? "") ? -1 : (a.date ?? "") > (b.date ?? "") ? 1 : 0;
}

/** What the BTS wrote itself (acknowledgements, "marked as done", transcripts) and mail that is only control commands. */
export function isFromBts(m: Message): boolean {
  if (m.fromAddress === "owner@bugs.debian.org" || isBtsNotice(m.subject)) return true;
  return m.controls.some((c) => c.via === "control-mail");
}
