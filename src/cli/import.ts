import type { Command } from 'commander';
import type { SetExitCode } from './commands.js';
import type { Io } from './context.js';

// PLACEHOLDER: replaced wholesale by the real `mentions import` command.
export function registerImport(_program: Command, _io: Io, _setExitCode: SetExitCode): void {}
