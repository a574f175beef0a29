import type { Command } from 'commander';
import type { Io } from './context.js';
import { registerAssign } from './assign.js';
import { registerClassify } from './classify.js';
import { registerDemo } from './demo.js';
import { registerExplain } from './explain.js';
import { registerHistory } from './history.js';
import { registerIgnore } from './ignore.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerNote } from './note.js';
import { registerPull } from './pull.js';
import { registerQueue } from './queue.js';
import { registerReclassify } from './reclassify.js';
import { registerReport } from './report.js';
import { registerResolve } from './resolve.js';
import { registerRespond } from './respond.js';
import { registerShow } from './show.js';
import { registerSources } from './sources.js';
import { registerTake } from './take.js';
import { registerUndo } from './undo.js';
import { registerUrgent } from './urgent.js';

export type SetExitCode = (code: number) => void;

export function registerCommands(program: Command, io: Io, setExitCode: SetExitCode): void {
  registerInit(program, io);
  registerPull(program, io, setExitCode);
  registerImport(program, io, setExitCode);
  registerSources(program, io, setExitCode);
  registerQueue(program, io);
  registerShow(program, io);
  registerExplain(program, io);
  registerTake(program, io, setExitCode);
  registerAssign(program, io);
  registerRespond(program, io);
  registerResolve(program, io);
  registerIgnore(program, io);
  registerNote(program, io);
  registerUrgent(program, io);
  registerHistory(program, io);
  registerUndo(program, io);
  registerReport(program, io);
  registerClassify(program, io, setExitCode);
  registerReclassify(program, io);
  registerDemo(program, io, setExitCode);
}
