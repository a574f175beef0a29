import type { ChalkInstance } from 'chalk';
import { terminalSafeLine } from './sanitize.js';

export type PullProgressEvent =
  | { kind: 'start'; source: string }
  | { kind: 'page'; source: string; page: number; fetched: number; new: number }
  | { kind: 'done'; result: { name: string; ok: boolean; fetched: number; new: number; error: string | null; durationMs: number } };

/**
 * Progress on stderr: on a terminal, a line per source as it starts and
 * finishes; elsewhere (cron, pipes) one plain line per finished source.
 */
export function pullProgressPrinter(stream: NodeJS.WriteStream, style: ChalkInstance): (event: PullProgressEvent) => void {
  const tty = Boolean(stream.isTTY);
  return (event) => {
    if (event.kind === 'start') {
      if (tty) stream.write(style.dim(`… ${terminalSafeLine(event.source)}\n`));
      return;
    }
    if (event.kind === 'page') {
      if (tty && event.page > 1) stream.write(style.dim(`  ${terminalSafeLine(event.source)}: page ${event.page}, ${event.fetched} fetched\n`));
      return;
    }
    const r = event.result;
    const name = terminalSafeLine(r.name);
    const seconds = (r.durationMs / 1000).toFixed(1);
    const line = r.ok
      ? `${tty ? style.green('✓') : 'ok'} ${name}: ${r.fetched} fetched, ${r.new} new (${seconds}s)`
      : `${tty ? style.red('✗') : 'FAILED'} ${name}: ${terminalSafeLine(r.error ?? 'failed')}`;
    stream.write(`${tty ? '' : 'pull: '}${line}\n`);
  };
}
