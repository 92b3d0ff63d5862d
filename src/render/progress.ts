import cliProgress from "cli-progress";
import type { IngestProgress } from "../pipeline/ingest.js";

/**
 * A progress bar on stderr (messages, rate, time left) when stderr is a terminal; nothing otherwise.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  update: (p: IngestProgress) => void;
  grouping: () => void;
  stop: () => void;
} {
  if (!stream.isTTY) return { update: () => {}, grouping: () => {}, stop: () => {} };
  const started = Date.now();
  let source = "";
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: " {source} |{bar}| {percentage}% | {messages} messages | {rate} msg/s | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    update(p) {
      const rate = Math.round(p.messages / Math.max(0.001, (Date.now() - started) / 1000));
      const payload = { source: shorten(p.source), messages: p.messages, rate };
      if (!active || p.source !== source) {
        if (active) bar.stop();
        source = p.source;
        bar.start(p.total ?? Math.max(p.bytes, 1), p.bytes, payload);
        active = true;
      } else {
        if (p.total === null) bar.setTotal(Math.max(p.bytes, 1));
        bar.update(p.bytes, payload);
      }
    },
    grouping() {
      if (active) bar.stop();
      active = false;
      stream.write(" grouping messages into reports ...\n");
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}

function shorten(s: string): string {
  return s.length > 32 ? `…${s.slice(-31)}` : s;
}
