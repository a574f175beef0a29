import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderWithAnsweredMentions } from '../helpers/answered-mentions.js';
import { renderInChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

/** Rows whose text, author and link try to break out of the report. */
const HOSTILE_ROWS = [
  {
    id: 'x1',
    text: 'acme <script>console.error("injected")</script><img src=x onerror="console.error(1)"> is down, urgent!!!',
    author: '<b>mallory</b>',
    reach: 90000,
    url: 'https://example.com/p?q="onmouseover="console.error(2)',
    published_at: '2026-11-19T15:00:00+03:00',
  },
  { id: 'x2', text: 'acme "quote" & <style>body{display:none}</style> terrible, broken', author: 'eve', reach: 12, url: 'https://example.com/x?a=1&b=<2>', published_at: '2026-11-19T16:00:00+03:00' },
];

describe('mentions report', () => {
  it('daily --format html opens in headless Chromium with no console errors, everything escaped', async () => {
    const dir = await folderWithAnsweredMentions(tmp(), HOSTILE_ROWS);
    const res = await runCli(['report', 'daily', '--date', '2026-11-19', '--format', 'html', '--out', 'daily.html'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('');
    const page = await renderInChromium(join(dir, 'daily.html'));
    expect(page.consoleMessages).toEqual([]);
    expect(page.dom).toMatch(/<h1>Mentions: daily report for 2026-11-19<\/h1>/);
    expect(page.dom.match(/<svg /g)).toHaveLength(3);
    // The hostile texts are shown as text: no element they tried to inject exists.
    expect(page.dom).not.toMatch(/<script|<img|<style>body|<b>mallory/);
    expect(page.dom).toContain('&lt;b&gt;mallory&lt;/b&gt;');
    expect(page.dom).not.toMatch(/href="javascript:/);
    expect(page.dom).toContain('href="https://example.com/x?a=1&amp;b=%3C2%3E"');
  });

  it('the Chromium check itself catches console errors and blocked loads', async () => {
    const dir = tmp();
    const broken = join(dir, 'broken.html');
    writeFileSync(broken, '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body><script>console.error("boom")</script></body></html>');
    const page = await renderInChromium(broken);
    expect(page.consoleMessages.join('\n')).toMatch(/boom/);
  });

  it('daily JSON compares with the previous day and the 7-day average and splits response times by agent and source', async () => {
    const dir = await folderWithAnsweredMentions(tmp());
    const res = await runCli(['report', 'daily', '--date', '2026-11-20', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    const r = JSON.parse(res.stdout) as Record<string, unknown> & {
      trend: { mentions: number; previous: number; average: number };
      by_agent: Array<{ agent: string; answered: number; median_seconds: number | null }>;
      backlog: { open: number };
      volume: Array<{ label: string; mentions: number }>;
    };
    expect(r).toMatchObject({ kind: 'daily', period: '2026-11-20', date: '2026-11-20', timezone: 'Europe/Moscow', mentions: 2 });
    expect(r.trend).toEqual({ key: 'mentions', mentions: 2, previous: 3, average: round(3 / 7) });
    expect(r.by_agent.map((g) => [g.agent, g.answered, g.median_seconds])).toEqual([['boris', 1, 63 * 3600 + 20 * 60], ['(none)', 0, null]]);
    expect(r.backlog.open).toBe(1);
    expect(r.volume.find((v) => v.label === '17')!.mentions).toBe(1);
  });

  it('weekly covers Monday to Sunday; CSV is long-form and formula-safe; text is plain off a terminal', async () => {
    const dir = await folderWithAnsweredMentions(tmp(), [{ id: 'f', text: '=HYPERLINK("x") acme', published_at: '2026-11-22T23:30:00+03:00' }]);
    const weekly = JSON.parse((await runCli(['report', 'weekly', '--date', '2026-11-19', '--format', 'json'], { cwd: dir })).stdout) as {
      period: string; date: string; last_date: string; mentions: number; volume: Array<{ label: string; mentions: number }>; response_times: { answered: number };
    };
    expect(weekly).toMatchObject({ period: '2026-W47', date: '2026-11-16', last_date: '2026-11-22', mentions: 6 });
    expect(weekly.volume.map((v) => v.mentions)).toEqual([0, 0, 0, 3, 2, 0, 1]);
    expect(weekly.response_times.answered).toBe(4);
    const csv = await runCli(['report', 'weekly', '--date', '2026-11-19', '--format', 'csv', '--out', 'w.csv'], { cwd: dir });
    expect(csv.code, csv.stderr).toBe(0);
    const text = readFileSync(join(dir, 'w.csv'), 'utf8');
    expect(text.split('\r\n')[0]).toBe('period,section,key,metric,value');
    expect(text).toContain('2026-W47,total,mentions,mentions,6');
    const md = (await runCli(['report', 'weekly', '--date', '2026-11-19', '--format', 'md'], { cwd: dir })).stdout;
    expect(md).toMatch(/^# Mentions: weekly report for 2026-W47 \(2026-11-16 – 2026-11-22\)/);
    const plain = await runCli(['report', 'daily', '--date', '2026-11-19'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toMatch(/\u001b/);
    expect(plain.stdout).toMatch(/^Daily report 2026-11-19 \(Europe\/Moscow\)/);
    expect((await runCli(['report', 'weekly', '--date', 'someday'], { cwd: dir })).code).toBe(2);
  });
});

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
