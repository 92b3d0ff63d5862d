import { parseMessage } from "../mail/parse-message.js";
import type { Message } from "../mail/message.js";
import type { Store } from "../store/store.js";

/** A raw message as the splitter gives it, detached from the stream. */
export interface RawItem {
  index: number;
  offset: number;
  separator: string | null;
  raw: Buffer;
}

/** What storing one batch of raw messages came to. */
export interface BatchResult {
  source: string;
  good: number;
  inserted: number;
  rejected: { index: number; offset: number; reason: string }[];
}

/** Parse a batch of raw messages from one source and store the good ones. */
export async function parseAndStore(store: Store, source: string, items: RawItem[]): Promise<BatchResult> {
  const messages: Message[] = [];
  const rejected: BatchResult["rejected"] = [];
  for (const item of items) {
    try {
      messages.push(parseMessage(item.raw, { source, index: item.index, offset: item.offset, separator: item.separator }));
    } catch (err) {
      rejected.push({ index: item.index, offset: item.offset, reason: (err as Error).message });
    }
  }
  const { inserted } = messages.length ? await store.upsertMessages(messages) : { inserted: 0 };
  return { source, good: messages.length, inserted, rejected };
}
