import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { folderWithAnsweredMentions } from '../helpers/answered-mentions.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const folderWithResponses = () => folderWithAnsweredMentions(tmp());

interface StatsJson {
  mentions: number;
  answered: number;
  unanswered: number;
  response_rate: number;
  median_seconds: number;
  p90_seconds: number;
  max_seconds: number;
  within_sla: Record<string, number>;
  answered_off_hours: number | null;
  groups?: Array<Record<string, unknown>>;
}

describe('mentions stats', () => {
  it('reports response times around the clock and in business hours, with stable JSON fields', async () => {
    const dir = await folderWithResponses();
    const range = ['--from', '2026-11-19', '--to', '2026-11-21'];
    const all = await runCli(['stats', ...range, '--hours', 'all', '--json'], { cwd: dir });
    expect(all.code, all.stderr).toBe(0);
    const s = JSON.parse(all.stdout) as StatsJson;
    // Delays: 5 min, 30 min, 2 h, and Friday 17:50 → Monday 09:10 (63 h 20 min); one unanswered.
    expect(s).toMatchObject({ mentions: 5, answered: 4, unanswered: 1, response_rate: 0.8, median_seconds: (30 + 120) * 30, max_seconds: 63 * 3600 + 20 * 60 });
    expect(s.within_sla).toEqual({ '10m': 0.2, '1h': 0.4 });
    expect(Object.keys(s).slice(0, 16)).toEqual([
      'from', 'to', 'timezone', 'hours', 'by', 'mentions', 'answered', 'unanswered', 'response_rate', 'mean_seconds',
      'median_seconds', 'p90_seconds', 'p95_seconds', 'max_seconds', 'within_sla', 'within_target',
    ]);
    expect(s.groups).toBeUndefined();

    const business = JSON.parse((await runCli(['stats', ...range, '--hours', 'business', '--json'], { cwd: dir })).stdout) as StatsJson;
    // In business time the weekend case is 20 minutes: 5, 20, 30, 120 minutes.
    expect(business).toMatchObject({ answered: 4, median_seconds: 25 * 60, max_seconds: 7200, answered_off_hours: 0 });
  });

  it('groups by several dimensions, prints CSV, and a plain table off a terminal', async () => {
    const dir = await folderWithResponses();
    const range = ['--from', '2026-11-19 00:00', '--to', '2026-11-21T00:00:00+03:00'];
    const grouped = JSON.parse((await runCli(['stats', ...range, '--by', 'agent,day', '--json'], { cwd: dir })).stdout) as StatsJson;
    expect(grouped.groups!.map((g) => [g['agent'], g['day'], g['mentions'], g['median_seconds']])).toEqual([
      ['anna', '2026-11-19', 2, 3750],
      ['boris', '2026-11-19', 1, 1800],
      ['boris', '2026-11-20', 1, 63 * 3600 + 20 * 60],
      ['(none)', '2026-11-20', 1, null],
    ]);
    const csv = await runCli(['stats', ...range, '--by', 'agent', '--csv'], { cwd: dir });
    expect(csv.code).toBe(0);
    const [header, ...lines] = csv.stdout.trimEnd().split('\r\n');
    expect(header).toMatch(/^agent,mentions,answered,unanswered,response_rate,mean_seconds,median_seconds,/);
    expect(header).toMatch(/,within_sla_10m,within_sla_1h$/);
    expect(lines).toHaveLength(3);
    const table = await runCli(['stats', ...range, '--by', 'source'], { cwd: dir, env: { FORCE_COLOR: undefined } });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/5 mentions, 4 answered \(80\.0%\)/);
    expect(table.stdout).toMatch(/First-response distribution/);
    expect(table.stdout).toMatch(/█/);
    expect(table.stdout).not.toMatch(/\u001b/);
    expect(table.stderr).toBe('');
  });

  it('refuses a bad dimension, time or range with exit 2', async () => {
    const dir = await folderWithResponses();
    const badBy = await runCli(['stats', '--by', 'colour'], { cwd: dir });
    expect(badBy.code).toBe(2);
    expect(badBy.stderr).toMatch(/--by: unknown dimension "colour"/);
    const badFrom = await runCli(['stats', '--from', '2026-13-01'], { cwd: dir });
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toMatch(/--from: expected YYYY-MM-DD.*got "2026-13-01"/);
    expect((await runCli(['stats', '--from', '2026-11-21', '--to', '2026-11-20'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['stats', '--json', '--csv'], { cwd: dir })).code).toBe(2);
  });
});

describe('mentions stats over the twcs sample (real customer-support threads)', () => {
  const file = fileURLToPath(new URL('../../../shared/data/en-twcs-sample.jsonl', import.meta.url));

  /** Inclusive linear-interpolation percentile (numpy's default), written out here independently of src/report. */
  function inclusivePercentile(sorted: number[], p: number): number {
    const rank = (sorted.length - 1) * p;
    const low = Math.floor(rank);
    const high = Math.min(low + 1, sorted.length - 1);
    return sorted[low]! + (rank - low) * (sorted[high]! - sorted[low]!);
  }

  it('after init and import --preset twcs, answered, median and p90 equal the figures computed from the rows', async () => {
    interface Row {
      created_at: string;
      extra: { tweet_id: string; inbound: boolean; in_response_to_tweet_id: string | null };
    }
    const rows = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Row);
    const delays: number[] = [];
    for (const inbound of rows.filter((r) => r.extra.inbound)) {
      const replies = rows.filter((r) => !r.extra.inbound && r.extra.in_response_to_tweet_id === inbound.extra.tweet_id).map((r) => Date.parse(r.created_at));
      if (replies.length > 0) delays.push((Math.min(...replies) - Date.parse(inbound.created_at)) / 1000);
    }
    delays.sort((a, b) => a - b);
    const median = inclusivePercentile(delays, 0.5);
    const p90 = inclusivePercentile(delays, 0.9);

    // The starter config's topic ("acme") matches none of these tweets: the preset keeps them anyway.
    const dir = tmp();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    const imported = await runCli(['import', file, '--preset', 'twcs'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const res = await runCli(['stats', '--from', '2000-01-01', '--to', '2100-01-01', '--hours', 'all', '--json'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const stats = JSON.parse(res.stdout) as StatsJson;
    expect(stats.mentions).toBe(rows.filter((r) => r.extra.inbound).length);
    expect(stats.answered).toBe(delays.length);
    expect(stats.median_seconds).toBe(median);
    expect(stats.p90_seconds).toBeCloseTo(p90, 6);
  });
});
