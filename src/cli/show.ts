import type { Command } from 'commander';
import { loadCurrentConfig, openStore, parseMentionId, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';

export function registerShow(program: Command, io: Io): void {
  program
    .command('show')
    .description('everything about one mention: text, link, why it was classified so, and its history')
    .argument('<id>', 'mention id (from "mentions queue")')
    .option('--json', 'print JSON')
    .action(async (rawId: string, flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const id = parseMentionId(rawId);
      const config = await loadCurrentConfig(globals, io);
      const db = await openStore(globals, config, io);
      try {
        const [{ getMention, getClassificationEvidence }, { listEvents, MentionNotFoundError }, { toMentionViews, maskedForPeople, maskedEvidence }, output] =
          await Promise.all([
            import('../store/mentions.js'),
            import('../store/events.js'),
            import('./mention-views.js'),
            import('../output/mention-detail.js'),
          ]);
        const record = getMention(db, id);
        if (!record) throw new MentionNotFoundError(id);
        const evidence = getClassificationEvidence(db, id);
        const detail = {
          mention: toMentionViews([record], config, Date.now())[0]!,
          evidence: (evidence?.evidence ?? []) as never[],
          rulesVersion: evidence?.rulesVersion ?? null,
          events: listEvents(db, id),
        };
        if (flags.json) io.stdout.write(output.renderMentionDetailJson(detail));
        else {
          const [mention] = await maskedForPeople([detail.mention]);
          const forPeople = { ...detail, mention: mention!, evidence: await maskedEvidence(detail.evidence) };
          io.stdout.write(output.renderMentionDetail(forPeople, config.timezone, await styleFor(globals, io)));
        }
      } finally {
        db.close();
      }
    });
}
