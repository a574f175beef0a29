import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/mentions.cjs', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real built binary (run `npm run build` first; `npm test` does) in
 * a folder with its own HOME and XDG dirs, asynchronously so that a local
 * server in the test process can answer it.
 */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; input?: string }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd,
        env: {
          PATH: process.env['PATH'],
          HOME: options.cwd,
          XDG_CONFIG_HOME: `${options.cwd}/.config`,
          XDG_DATA_HOME: `${options.cwd}/.local/share`,
          TZ: 'UTC',
          ...options.env,
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
