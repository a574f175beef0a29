import type { Command } from 'commander';
import type { MentionsConfig } from '../config/types.js';
import type { Db } from '../store/db.js';
import type { RecordedChanges, WorkChange } from '../store/events.js';
import { actingAgent, loadCurrentConfig, openStore, parseMentionId, say } from './context.js';
import type { GlobalOptions, Io } from './context.js';
import { UsageError } from './usage-error.js';

/** Flags of the commands that change mentions: one id, or a --where filter (bulk). */
export interface TargetFlags {
  where?: string;
  yes?: boolean;
  json?: boolean;
}

export interface WorkContext {
  now: number;
  actor: string;
  config: MentionsConfig;
  db: Db;
}

export interface WorkCommandSpec {
  /** The verb in messages: "resolve", "assign". */
  verb: string;
  rawId: string | undefined;
  flags: TargetFlags;
  /** respond and resolve on one id cover the other open mentions of its conversation. */
  coverCase?: boolean;
  /** Checks flags and builds what the command needs, before any mention is touched. */
  change: (mentionId: number, ctx: WorkContext) => WorkChange;
}

export const WHERE_HELP = 'act on every mention matching FILTER (tag:spam source:NAME topic:NAME sentiment:negative status:new older:2h …); open ones unless it names a status';
export const YES_HELP = 'change what --where matched without asking (needed when not on a terminal)';

/**
 * The common path of assign, respond, resolve, ignore, note and urgent: pick
 * the mentions (an id, its conversation, or a filter with a count and a
 * confirmation), record every change with its event in one batch, print it.
 */
export async function runWorkCommand(io: Io, command: Command, spec: WorkCommandSpec): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  if (spec.rawId !== undefined && spec.flags.where !== undefined) throw new UsageError(`give a mention id or --where, not both`);
  if (spec.rawId === undefined && spec.flags.where === undefined) throw new UsageError(`which mention? give its id (see "mentions queue") or --where FILTER`);
  const id = spec.rawId === undefined ? null : parseMentionId(spec.rawId);
  const config = await loadCurrentConfig(globals, io);
  const db = await openStore(globals, config, io);
  try {
    const ctx: WorkContext = { now: Date.now(), actor: actingAgent(globals, config, io), config, db };
    let ids: number[];
    if (id !== null) {
      ids = [id];
      if (spec.coverCase) {
        const { openCaseMembers } = await import('../store/conversations.js');
        ids.push(...openCaseMembers(db, id));
      }
    } else {
      const { parseFilter, mentionIdsMatching } = await import('../store/mention-filter.js');
      ids = mentionIdsMatching(db, parseFilter(spec.flags.where!), ctx.now);
      if (ids.length === 0) {
        say(io, `--where matched no mentions; nothing to ${spec.verb}`);
        if (spec.flags.json) io.stdout.write((await import('../output/work-events.js')).renderChangeJson({ batch: 0, events: [], unchanged: [] }));
        return;
      }
      if (!(await confirmBulk(io, spec.verb, ids.length, spec.flags.yes))) {
        say(io, 'nothing changed');
        return;
      }
    }
    const changes = ids.map((mentionId) => spec.change(mentionId, ctx));
    const { recordChanges } = await import('../store/events.js');
    const result = recordChanges(db, changes, { actor: ctx.actor, at: ctx.now, origin: 'manual' });
    await printChanges(io, result, config.timezone, spec.verb, spec.flags.json);
  } finally {
    db.close();
  }
}

export async function printChanges(io: Io, result: RecordedChanges, timeZone: string, verb: string, json: boolean | undefined): Promise<void> {
  const output = await import('../output/work-events.js');
  if (json) io.stdout.write(output.renderChangeJson(result));
  else io.stderr.write(output.renderChangeLines(result, timeZone, verb));
}

/**
 * A bulk change says how many mentions it covers; on a terminal it asks, in
 * scripts it needs --yes (exit 2 otherwise, so a cron job never half-acts).
 */
async function confirmBulk(io: Io, verb: string, count: number, yes: boolean | undefined): Promise<boolean> {
  const what = `${count} mention${count === 1 ? '' : 's'}`;
  if (yes) {
    say(io, `--where matched ${what}`);
    return true;
  }
  if (!process.stdin.isTTY || !io.stderr.isTTY) {
    throw new UsageError(`--where matched ${what}; add --yes to ${verb} them (no confirmation prompt when not on a terminal)`);
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`${verb} ${what}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
