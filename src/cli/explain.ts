import type { Command } from 'commander';
import { loadCurrentConfig, openStore, parseMentionId, styleFor } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { UsageError } from './usage-error.js';

interface ExplainFlags {
  text?: string;
  lang?: string;
  json?: boolean;
}

export function registerExplain(program: Command, io: Io): void {
  program
    .command('explain')
    .description('show every rule hit and weight behind a classification: of a stored mention, or of any text')
    .argument('[id]', 'mention id (from "mentions queue")')
    .option('-t, --text <text>', 'classify this text instead of a stored mention (uses the config\'s topics when there is a config)')
    .option('--lang <lang>', 'language of --text: ru or en (default: detected)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ mentions explain 42
  $ mentions explain --text "Акме, верните деньги, уже две недели жду!"

For a stored mention the current rules are re-run; when their result differs from the stored one
(rules changed since), both are shown.`,
    )
    .action(async (rawId: string | undefined, flags: ExplainFlags, command: Command) => {
      if ((rawId === undefined) === (flags.text === undefined)) throw new UsageError('give a mention id or --text "…" (one of them)');
      if (flags.lang !== undefined && !['ru', 'en'].includes(flags.lang)) throw new UsageError(`--lang must be ru or en, got "${flags.lang}"`);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = await loadCurrentConfig(globals, io);
      const [{ classifyEvenOffTopic, compileTopics, priorityParts, textDraft }, output] = await Promise.all([
        import('../classify/index.js'),
        import('../output/explanation.js'),
      ]);
      const topics = compileTopics(config.topics);
      let draft: import('../sources/types.js').MentionDraft;
      let id: number | null = null;
      let stored: import('../output/explanation.js').ExplanationView['stored'] = null;
      if (flags.text !== undefined) {
        draft = textDraft(flags.text, flags.lang ?? null);
      } else {
        id = parseMentionId(rawId!);
        const db = await openStore(globals, config, io);
        try {
          const [{ getMention, getClassificationEvidence }, { MentionNotFoundError }] = await Promise.all([
            import('../store/mentions.js'),
            import('../store/events.js'),
          ]);
          const record = getMention(db, id);
          if (!record) throw new MentionNotFoundError(id);
          draft = record;
          const evidence = getClassificationEvidence(db, id);
          stored = { rulesVersion: evidence?.rulesVersion ?? '?', relevance: record.relevance, sentiment: record.sentiment, tags: record.tags };
        } finally {
          db.close();
        }
      }
      // With topics configured a text that matches none is off-topic; its sentiment and tags are still worth seeing.
      const { classification: result, matched } = classifyEvenOffTopic(draft, topics);
      if (stored && stored.relevance === result.relevance && stored.sentiment === result.sentiment && stored.tags.join() === result.tags.join()) {
        stored = null;
      }
      const view = {
        id,
        text: draft.title ? `${draft.title}\n${draft.text}` : draft.text,
        lang: result.lang,
        topics: result.topics,
        relevance: matched ? result.relevance : topics.length > 0 ? 'irrelevant (no topic matches)' : result.relevance,
        sentiment: result.sentiment,
        sentimentScore: result.sentimentScore,
        tags: result.tags,
        priority: result.priority,
        priorityParts: priorityParts({ relevance: result.relevance, sentiment: result.sentiment, tags: result.tags, reach: draft.authorReach }),
        evidence: result.evidence,
        rulesVersion: result.rulesVersion,
        stored,
      };
      if (flags.json) io.stdout.write(output.renderExplanationJson(view));
      else {
        const { maskProfanity } = await import('../classify/profanity.js');
        const { maskedEvidence } = await import('./mention-views.js');
        const forPeople = { ...view, text: maskProfanity(view.text), evidence: await maskedEvidence(view.evidence) };
        io.stdout.write(output.renderExplanation(forPeople, await styleFor(globals, io)));
      }
    });
}
