import { describe, expect, it } from 'vitest';
import { commandNameOf } from '../../src/cli/commands.js';

describe('commandNameOf', () => {
  it('finds the command after global options, skipping the values they take', () => {
    expect(commandNameOf(['queue', '-n', '5'])).toBe('queue');
    expect(commandNameOf(['--db', 'x.db', '--as', 'anna', 'take'])).toBe('take');
    expect(commandNameOf(['-c', 'queue.yml', '--no-color', 'show', '3'])).toBe('show');
    expect(commandNameOf(['--config=a.yml', 'stats'])).toBe('stats');
    expect(commandNameOf(['--help'])).toBeNull();
    expect(commandNameOf([])).toBeNull();
    expect(commandNameOf(['--', 'queue'])).toBeNull();
  });
});
