import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/output/atomic-write.js';
import { csvCell, renderCsv } from '../../src/output/csv.js';
import { markdownLink, markdownText } from '../../src/output/markdown.js';
import { renderPullSummary } from '../../src/output/pull-summary.js';
import type { PullSummaryView } from '../../src/output/pull-summary.js';
import { PLAIN_STYLE } from '../../src/output/style.js';
import { safeLink, terminalSafe, terminalSafeLine, truncate } from '../../src/output/sanitize.js';
import { formatSpan } from '../../src/output/time-format.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('terminal sanitising', () => {
  it('removes colour, cursor moves, title setting, OSC 8 links, C0/C1 controls and bidi overrides', () => {
    const hostile =
      'a\u001b[31mred\u001b[0m b\u001b[2J\u001b[H c\u001b]0;pwned\u0007 d\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\ e\u0007\u0008\u009b31m f\u202eevil\u202c g\u2066x\u2069';
    const safe = terminalSafeLine(hostile);
    expect(safe).toBe('ared b c dlink e fevil gx');
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps newlines in multi-line text but not carriage returns that overwrite lines', () => {
    expect(terminalSafe('line1\r\nline2\rline3\n')).toBe('line1\nline2\nline3\n');
    expect(terminalSafeLine('line1\nline2')).toBe('line1 line2');
  });

  it('stays linear on long runs of escape-like input', () => {
    const input = '\u001b['.repeat(50_000) + '\u001b]'.repeat(50_000);
    const started = performance.now();
    terminalSafeLine(input);
    // generous bound: catastrophic backtracking would take minutes, not a second
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('truncates by code points with an ellipsis', () => {
    expect(truncate('привет мир', 7)).toBe('привет…');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('shows only http(s) links', () => {
    expect(safeLink('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink('data:text/html,x')).toBeNull();
    expect(safeLink('not a url')).toBeNull();
  });
});

describe('CSV', () => {
  it('neutralises cells that a spreadsheet would run as formulas', () => {
    for (const start of ['=', '+', '-', '@']) {
      expect(csvCell(`${start}HYPERLINK("http://evil")`).replace(/^"/, '').startsWith(`'${start}`)).toBe(true);
    }
    // A leading tab or CR is quoted too, and (like every control character) does not survive into the cell.
    for (const start of ['\t', '\r']) {
      const cell = csvCell(`${start}HYPERLINK("http://evil")`).replace(/^"/, '');
      expect(cell.startsWith("'")).toBe(true);
      expect(cell).not.toMatch(/[\t\r]/);
    }
    expect(csvCell('a\u001b[31mred\u001b[0m')).toBe('ared');
    expect(csvCell(-5)).toBe('-5');
  });

  it('quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(renderCsv(['a', 'b'], [{ a: 'x,y', b: 'say "hi"\nthere' }])).toBe('a,b\r\n"x,y","say ""hi""\nthere"\r\n');
    expect(renderCsv(['tags'], [{ tags: ['urgent', 'complaint'] }])).toBe('tags\r\nurgent;complaint\r\n');
  });
});

describe('Markdown', () => {
  it('escapes markup in untrusted text and links only http(s)', () => {
    expect(markdownText('[click](javascript:x) <img src=x> | *bold*')).toBe(
      '\\[click\\]\\(javascript:x\\) \\<img src=x\\> \\| \\*bold\\*',
    );
    expect(markdownLink('post', 'javascript:alert(1)')).toBe('post');
    expect(markdownLink('post', 'https://example.com/a')).toBe('[post](<https://example.com/a>)');
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary files', () => {
    const dir = tmp();
    const path = join(dir, 'report.md');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
});

describe('formatSpan', () => {
  it('is compact at every scale', () => {
    expect(formatSpan(45_000)).toBe('45s');
    expect(formatSpan(12 * 60_000)).toBe('12m');
    expect(formatSpan(3 * 3600_000 + 5 * 60_000)).toBe('3h 05m');
    expect(formatSpan(-(50 * 3600_000))).toBe('2d 2h');
  });
});

describe('renderPullSummary', () => {
  const source = (over: Partial<PullSummaryView['sources'][number]>) => ({
    name: 'news', type: 'rss', ok: true, fetched: 5, new: 2, duplicates: 3, unmatched: 0, pages: 1, notModified: false,
    newNegative: 1, newUrgent: 0, error: null, warnings: [] as string[], durationMs: 120, ...over,
  });
  const summary = (sources: PullSummaryView['sources']): PullSummaryView => ({
    startedAt: 0, finishedAt: 1500, sources,
    totals: { fetched: 5, new: 2, duplicates: 3, unmatched: 0, failed: sources.filter((s) => !s.ok).length, newNegative: 1, newUrgent: 0 },
  });

  it('shows errors and the first warnings of each source, sanitised, and counts the rest', () => {
    const text = renderPullSummary(
      summary([
        source({ warnings: ['item 1 skipped: no id', 'item 2 skipped: \u001b[31mred', 'item 3 skipped', 'item 4 skipped', 'item 5 skipped'] }),
        source({ name: 'vk', ok: false, error: 'vk: API error 5 (User authorization failed)' }),
      ]),
      PLAIN_STYLE,
    );
    expect(text).toContain('news: warning: item 1 skipped: no id');
    expect(text).toContain('news: warning: item 2 skipped: red');
    expect(text).not.toContain('item 4 skipped');
    expect(text).toContain('news: 2 more warnings (see --json)');
    expect(text).toContain('vk: vk: API error 5 (User authorization failed)');
    expect(text).toContain('2 new mentions (1 negative, 0 urgent) from 2 sources; 1 failed in 1.5s');
  });
});

describe('PLAIN_STYLE', () => {
  it('is chalk without colour: chained or called, it returns the text, and it is not a thenable', async () => {
    expect(PLAIN_STYLE.bold.red('a', 'b')).toBe('a b');
    expect(PLAIN_STYLE.dim('x')).toBe('x');
    expect(await Promise.resolve(PLAIN_STYLE)).toBe(PLAIN_STYLE);
  });
});
