import type { Command } from 'commander';
import type { Io } from './context.js';
import { registerAlerts } from './alerts.js';
import { registerClassify } from './classify.js';
import { registerDemo } from './demo.js';
import { registerDone } from './done.js';
import { registerExplain } from './explain.js';
import { registerIgnore } from './ignore.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerPull } from './pull.js';
import { registerQueue } from './queue.js';
import { registerReclassify } from './reclassify.js';
import { registerReport } from './report.js';
import { registerShow } from './show.js';
import { registerSources } from './sources.js';
import { registerWatch } from './watch.js';

export type SetExitCode = (code: number) => void;

export function registerCommands(program: Command, io: Io, setExitCode: SetExitCode): void {
  registerInit(program, io);
  registerPull(program, io, setExitCode);
  registerImport(program, io, setExitCode);
  registerSources(program, io, setExitCode);
  registerQueue(program, io);
  registerShow(program, io);
  registerExplain(program, io);
  registerDone(program, io);
  registerIgnore(program, io);
  registerReport(program, io);
  registerClassify(program, io, setExitCode);
  registerReclassify(program, io);
  registerDemo(program, io, setExitCode);
  registerWatch(program, io);
  registerAlerts(program, io, setExitCode);
}
