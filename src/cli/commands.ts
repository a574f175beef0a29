import type { Command } from 'commander';
import type { Io } from './context.js';

export type SetExitCode = (code: number) => void;
type Register = (program: Command, io: Io, setExitCode: SetExitCode) => void;

/**
 * Every command, by name, with the module that defines it. Only the command being run is loaded
 * (its module, and what its action imports when it runs); help and unknown names load them all.
 * Start-up time is a feature of a tool people run dozens of times a day (docs/benchmarks.md).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  init: async () => (await import('./init.js')).registerInit,
  pull: async () => (await import('./pull.js')).registerPull,
  import: async () => (await import('./import.js')).registerImport,
  sources: async () => (await import('./sources.js')).registerSources,
  queue: async () => (await import('./queue.js')).registerQueue,
  show: async () => (await import('./show.js')).registerShow,
  search: async () => (await import('./search.js')).registerSearch,
  explain: async () => (await import('./explain.js')).registerExplain,
  take: async () => (await import('./take.js')).registerTake,
  assign: async () => (await import('./assign.js')).registerAssign,
  respond: async () => (await import('./respond.js')).registerRespond,
  resolve: async () => (await import('./resolve.js')).registerResolve,
  // An alias: the same module registers it.
  done: async () => (await import('./resolve.js')).registerResolve,
  ignore: async () => (await import('./ignore.js')).registerIgnore,
  note: async () => (await import('./note.js')).registerNote,
  urgent: async () => (await import('./urgent.js')).registerUrgent,
  history: async () => (await import('./history.js')).registerHistory,
  undo: async () => (await import('./undo.js')).registerUndo,
  report: async () => (await import('./report.js')).registerReport,
  stats: async () => (await import('./stats.js')).registerStats,
  classify: async () => (await import('./classify.js')).registerClassify,
  reclassify: async () => (await import('./reclassify.js')).registerReclassify,
  db: async () => (await import('./db.js')).registerDb,
  doctor: async () => (await import('./doctor.js')).registerDoctor,
  demo: async () => (await import('./demo.js')).registerDemo,
  watch: async () => (await import('./watch.js')).registerWatch,
  alerts: async () => (await import('./alerts.js')).registerAlerts,
};

/** Global options that take a value: the word after them is not the command name. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['-c', '--config', '--db', '--as']);

/** The command named on the command line (`mentions --db x.db queue -n 5` → "queue"), if any. */
export function commandNameOf(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return null;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return arg;
  }
  return null;
}

/** Registers the command `args` names, or every command when it names none we know (help, typos). */
export async function registerCommands(program: Command, io: Io, setExitCode: SetExitCode, args: readonly string[] = []): Promise<void> {
  const name = commandNameOf(args);
  const names = name !== null && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS).filter((n) => n !== 'done');
  const registers = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const register of registers) register(program, io, setExitCode);
}
