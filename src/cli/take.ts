import type { Command } from 'commander';
import { actingAgent, loadCurrentConfig, openStore, say, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import type { SetExitCode } from './commands.js';
import { EXIT } from './exit-codes.js';

/** Queue entries tried when others take the top ones at the same moment. */
const TAKE_ATTEMPTS = 5;

export function registerTake(program: Command, io: Io, setExitCode: SetExitCode): void {
  program
    .command('take')
    .description('assign me the top unassigned mention of the queue, and show it')
    .option('--where <filter>', 'take from the mentions matching FILTER only (source:twitter topic:acme …)')
    .option('--json', 'print the mention taken as JSON')
    .addHelpText(
      'after',
      `
Exit code 4 when nothing unassigned is waiting.

Examples:
  $ mentions take
  $ mentions take --as anna --where "source:twitter"`,
    )
    .action(async (flags: { where?: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ loadQueueViews, toMentionViews }, events, { getMention, getClassificationEvidence }, output] = await Promise.all([
          import('./mention-views.js'),
          import('../store/events.js'),
          import('../store/mentions.js'),
          import('../output/mention-detail.js'),
        ]);
        const actor = actingAgent(globals, config, io);
        const now = Date.now();
        // Someone may take the same one between reading the queue and claiming it: then try the next.
        const candidates = await loadQueueViews(db, config, { assignee: null, where: flags.where, sort: 'priority', limit: TAKE_ATTEMPTS }, now);
        const top = candidates.find((candidate) => {
          try {
            events.recordChanges(db, [{ mentionId: candidate.id, kind: 'assign', apply: events.claimFor(actor) }], { actor, at: now, origin: 'manual' });
            return true;
          } catch (err) {
            if (err instanceof events.WorkStateError) return false;
            throw err;
          }
        });
        if (!top) {
          say(io, 'nothing to take: no unassigned mention is waiting');
          setExitCode(EXIT.notFound);
          return;
        }
        const record = getMention(db, top.id)!;
        const evidence = getClassificationEvidence(db, top.id);
        const detail = {
          mention: { ...toMentionViews([record], config, now)[0]!, caseSize: top.caseSize },
          evidence: (evidence?.evidence ?? []) as never[],
          rulesVersion: evidence?.rulesVersion ?? null,
          events: events.listEvents(db, top.id),
        };
        say(io, `mention ${top.id} is yours, ${actor}`);
        if (flags.json) io.stdout.write(output.renderMentionDetailJson(detail));
        else {
          const { maskedForPeople, maskedEvidence } = await import('./mention-views.js');
          const [mention] = await maskedForPeople([detail.mention]);
          const forPeople = { ...detail, mention: mention!, evidence: await maskedEvidence(detail.evidence) };
          io.stdout.write(output.renderMentionDetail(forPeople, config.timezone, await styleFor(globals, io)));
        }
      } finally {
        db.close();
      }
    });
}
