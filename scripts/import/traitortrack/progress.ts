// Progress of the import's steps: a cli-progress bar on a terminal, a line per step (and every ~10 %)
// otherwise, nothing when quiet (tests).
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  start(label: string, total: number): void;
  increment(n: number): void;
  stop(): void;
  log(line: string): void;
}

export function silentProgress(): Progress {
  return { start() {}, increment() {}, stop() {}, log() {} };
}

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return lineProgress((line) => stream.write(`${line}\n`));
  let bar: SingleBar | null = null;
  return {
    start(label, total) {
      bar = new SingleBar(
        { format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} | {duration_formatted} | {rate}/s`, stream, hideCursor: true, etaBuffer: 50 },
        Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0, { rate: 0 });
      const started = Date.now();
      (bar as SingleBar & { started?: number }).started = started;
    },
    increment(n) {
      if (!bar) return;
      const started = (bar as SingleBar & { started?: number }).started ?? Date.now();
      bar.increment(n, { rate: Math.round((bar.getProgress() * bar.getTotal()) / Math.max(0.001, (Date.now() - started) / 1000)) });
    },
    stop() {
      if (!bar) return;
      if (bar.getProgress() < 1) bar.update(bar.getTotal());
      bar.stop();
      bar = null;
    },
    log(line) {
      stream.write(`${line}\n`);
    },
  };
}

function lineProgress(write: (line: string) => void): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let nextReport = 0;
  let started = 0;
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      nextReport = t / 10;
      started = Date.now();
    },
    increment(n) {
      done += n;
      // Row counts get a line every ~10 %; a handful of steps only the closing line.
      if (total >= 1000 && done >= nextReport && done < total) {
        write(`  ${label}: ${done}/${total} (${Math.round((100 * done) / total)} %)`);
        nextReport += total / 10;
      }
    },
    stop() {
      write(`  ${label}: ${total > 1 ? `${done}/${total} ` : ''}done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    log: write,
  };
}
