import { parseMessage } from "../mail/parse-message.js";
import type { Message } from "../mail/message.js";
import { splitMbox } from "../sources/mbox-split.js";

/**
 * The messages of an mbox (whole, in memory: our labelled sets are small), grouped by the bug each is
 * filed under first, as the store groups reports; mail filed under no bug is left out. With
 * `skipBroken`, a message that does not parse is passed over; otherwise its error is thrown.
 */
export async function messagesByBug(mbox: Buffer, source: string, options: { skipBroken: boolean }): Promise<Map<number, Message[]>> {
  const byBug = new Map<number, Message[]>();
  async function* bytes(): AsyncGenerator<Buffer> {
    yield mbox;
  }
  for await (const item of splitMbox(bytes())) {
    if (item.kind !== "message") continue;
    let m: Message;
    try {
      m = parseMessage(item.raw, { source, index: item.index, offset: item.offset, separator: item.separator });
    } catch (err) {
      if (options.skipBroken) continue;
      throw err;
    }
    const bug = m.bugs[0];
    if (bug === undefined) continue;
    const list = byBug.get(bug);
    if (list) list.push(m);
    else byBug.set(bug, [m]);
  }
  return byBug;
}
