import type { ChalkInstance } from 'chalk';
import type { SetupCheck } from '../pull/doctor.js';
import type { BackupResult, DatabaseCheck } from '../store/maintenance.js';
import { renderJson } from './json.js';
import { terminalSafeLine } from './sanitize.js';

const MARKS: Readonly<Record<SetupCheck['status'], string>> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export function renderDoctor(checks: readonly SetupCheck[], style: ChalkInstance): string {
  const paint = { ok: style.green, warn: style.yellow, fail: style.red, skip: style.dim };
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines = checks.map((c) => `${paint[c.status](MARKS[c.status])}  ${terminalSafeLine(c.check).padEnd(width)}  ${terminalSafeLine(c.detail)}`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  lines.push('', failed === 0 ? 'Ready to pull.' : `${failed} problem${failed === 1 ? '' : 's'} to fix before pulling.`);
  return lines.join('\n') + '\n';
}

export function renderDoctorJson(checks: readonly SetupCheck[]): string {
  return renderJson({ ok: checks.every((c) => c.status !== 'fail'), checks });
}

export function renderDatabaseCheck(result: DatabaseCheck, style: ChalkInstance): string {
  const lines = [
    `database     ${terminalSafeLine(result.path)} (${formatBytes(result.bytes)})`,
    `schema       version ${result.schemaVersion}${result.schemaVersion === result.latestVersion ? ' (current)' : `, this mentions writes ${result.latestVersion}`}`,
    `integrity    ${result.integrity.length === 1 && result.integrity[0] === 'ok' ? style.green('ok') : style.red(result.integrity.map(terminalSafeLine).join('\n             '))}`,
    `foreign keys ${result.foreignKeyProblems === 0 ? style.green('ok') : style.red(`${result.foreignKeyProblems} problem(s)`)}`,
    `contents     ${result.mentions} mention(s), ${result.sources} source(s)`,
  ];
  if (!result.ok) lines.push('', 'Restore from a backup ("mentions db backup FILE" makes one) if the integrity check fails.');
  return lines.join('\n') + '\n';
}

export function renderDatabaseCheckJson(result: DatabaseCheck): string {
  return renderJson({
    ok: result.ok,
    path: result.path,
    schema_version: result.schemaVersion,
    latest_version: result.latestVersion,
    integrity: result.integrity,
    foreign_key_problems: result.foreignKeyProblems,
    mentions: result.mentions,
    sources: result.sources,
    bytes: result.bytes,
  });
}

export function renderBackupJson(result: BackupResult): string {
  return renderJson({ path: result.path, bytes: result.bytes, pages: result.pages });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
