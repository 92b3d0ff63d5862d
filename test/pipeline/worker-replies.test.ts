import { EventEmitter } from "node:events";
import type { Worker } from "node:worker_threads";
import { workerReplies } from "../../src/pipeline/worker-replies.js";

/** Stand-ins for worker threads: only the events the pool listens to. */
const pool = (): EventEmitter[] => [new EventEmitter(), new EventEmitter()];

test("replies reach their requests whatever the order and worker they come from; an error reply rejects only its request", async () => {
  const workers = pool();
  const replies = workerReplies<string>(workers as unknown as Worker[], "test worker");
  const asked = [0, 1, 2, 3].map((seq) => replies.replyTo(seq));
  workers[1]!.emit("message", { seq: 3, reply: "three" });
  workers[0]!.emit("message", { seq: 0, reply: "zero" });
  workers[0]!.emit("message", { seq: 2, error: "no such thing" });
  workers[1]!.emit("message", { seq: 1 });
  expect(await Promise.allSettled(asked)).toEqual([
    { status: "fulfilled", value: "zero" },
    { status: "rejected", reason: new Error("test worker failed") },
    { status: "rejected", reason: new Error("no such thing") },
    { status: "fulfilled", value: "three" },
  ]);
  expect(replies.broken).toBeNull();
});

test("a worker that dies fails every request still waiting, and says so to later senders", async () => {
  const workers = pool();
  const replies = workerReplies<number>(workers as unknown as Worker[], "test worker");
  const first = replies.replyTo(0);
  const second = replies.replyTo(1);
  workers[0]!.emit("message", { seq: 0, reply: 0 });
  const death = new Error("worker ran out of memory");
  workers[1]!.emit("error", death);
  expect(await Promise.allSettled([first, second])).toEqual([
    { status: "fulfilled", value: 0 },
    { status: "rejected", reason: death },
  ]);
  expect(replies.broken).toBe(death);
});
