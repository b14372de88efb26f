/**
 * A progress bar on stderr, only when asked for (default: stderr is a TTY), so piped output and CI logs
 * stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, info: { loss?: number; val?: number }): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

export function createProgress(enabled: boolean | undefined): Progress {
  if (!(enabled ?? process.stderr.isTTY)) return silent;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{label} [{bar}] {percentage}% {value}/{total} steps | loss {loss} | val {val}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, label) => bar.start(total, 0, { label, loss: '-', val: '-' }),
    update: (done, info) =>
      bar.update(done, {
        ...(info.loss != null ? { loss: info.loss.toFixed(5) } : {}),
        ...(info.val != null ? { val: info.val.toFixed(5) } : {}),
      }),
    stop: () => bar.stop(),
  };
}
