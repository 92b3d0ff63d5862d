import type { Worker } from "node:worker_threads";

/**
 * Replies of a pool of worker threads, matched to requests by sequence number. A worker answers
 * `{ seq, reply }` or `{ seq, error }`; a worker that dies fails every request still waiting, and
 * `broken` says so to those who would send more.
 */
export interface WorkerReplies<T> {
  /** The reply to request `seq` (ask before sending it). */
  replyTo(seq: number): Promise<T>;
  readonly broken: Error | null;
}

export function workerReplies<T>(pool: Worker[], what: string): WorkerReplies<T> {
  const waiting = new Map<number, { resolve: (r: T) => void; reject: (e: Error) => void }>();
  let broken: Error | null = null;
  for (const w of pool) {
    w.on("message", (msg: { seq: number; reply?: T; error?: string }) => {
      const p = waiting.get(msg.seq);
      waiting.delete(msg.seq);
      if (msg.reply !== undefined) p?.resolve(msg.reply);
      else p?.reject(new Error(msg.error ?? `${what} failed`));
    });
    w.on("error", (err) => {
      broken = err;
      for (const p of waiting.values()) p.reject(err);
      waiting.clear();
    });
  }
  return {
    replyTo(seq) {
      const reply = new Promise<T>((resolve, reject) => waiting.set(seq, { resolve, reject }));
      // Awaited in order later; until then a failure must not count as unhandled.
      reply.catch(() => {});
      return reply;
    },
    get broken() {
      return broken;
    },
  };
}
