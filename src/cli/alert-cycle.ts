import type { MentionsConfig } from '../config/types.js';
import type { Db } from '../store/db.js';
import type { Io } from './context.js';

/** `pull --alert`: alert rules over what this pull stored, then delivery; problems go to stderr, never to the exit code. */
export async function runAlertsAfterPull(io: Io, db: Db, config: MentionsConfig, pullStartedAt: number): Promise<void> {
  const [{ runAlertCycle }, { formatAlertCycle }, { terminalSafeLine }] = await Promise.all([
    import('../pull/alerts.js'),
    import('../output/alerts.js'),
    import('../output/sanitize.js'),
  ]);
  const result = await runAlertCycle({
    db,
    config,
    env: io.env,
    since: pullStartedAt,
    log: (line) => io.stderr.write(`mentions: ${terminalSafeLine(line)}\n`),
  });
  io.stderr.write(`mentions: ${formatAlertCycle(result)}\n`);
}
