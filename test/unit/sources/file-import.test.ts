import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { importFile } from '../../../src/pull/import.js';
import { SOURCE_TYPES } from '../../../src/sources/catalog.js';
import {
  contentId,
  decodeCsvBytes,
  detectDelimiter,
  detectLayout,
  formatProblem,
  ImportInputError,
  JsonlMapper,
  mapCsv,
  readPublished,
} from '../../../src/sources/file-import.js';
import { listQueue } from '../../../src/store/mentions.js';
import { openDatabase } from '../../../src/store/db.js';
import type { Db } from '../../../src/store/db.js';
import { getSourceByName, upsertSource } from '../../../src/store/sources.js';
import { useTmpDir } from '../../helpers/tmp.js';

const path = (name: string) => new URL(`../../../fixtures/import/${name}`, import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(path(name)));
const at = (iso: string) => Date.parse(iso);
const MOSCOW = 'Europe/Moscow';
const csv = (name: string, timeZone = MOSCOW) => mapCsv(bytes(name), { fileLabel: name, timeZone });

function inputError(run: () => unknown): ImportInputError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportInputError);
    return err as ImportInputError;
  }
  throw new Error('expected an ImportInputError');
}

describe('file import: detecting the export by its columns', () => {
  it('tells YouScan (English and Russian headers), Brand24 and our own columns apart, case-insensitively', () => {
    expect(detectLayout(['Date', 'Time', 'Source', 'Publication place', 'Author', 'Text', 'URL'], 'a.csv').name).toBe('youscan');
    expect(detectLayout(['Date', 'Domain', 'Category', 'Source type', 'Text', 'URL'], 'a.csv').name).toBe('youscan');
    expect(detectLayout(['Дата', 'Время', 'Место публикации', 'Автор', 'Текст', 'Ссылка'], 'a.csv')).toEqual({
      name: 'youscan',
      label: 'YouScan export',
      columns: { url: 'Ссылка', author: 'Автор', text: 'Текст', published: 'Дата', time: 'Время' },
    });
    expect(detectLayout(['ID', 'Date', 'Hrs', 'Title', 'Content', 'Source', 'Domain'], 'a.csv')).toEqual({
      name: 'brand24',
      label: 'Brand24 export',
      columns: { id: 'ID', source: 'Source', text: 'Content', title: 'Title', published: 'Date', time: 'Hrs' },
    });
    expect(detectLayout(['ID', 'TEXT', 'Published_At', 'Parent-ID', 'thread id', 'Reach'], 'a.csv')).toEqual({
      name: 'generic',
      label: 'generic columns',
      columns: { id: 'ID', text: 'TEXT', published: 'Published_At', parent: 'Parent-ID', thread: 'thread id', reach: 'Reach' },
    });
  });

  it('names the columns it found when it cannot tell, and a forced layout without a text column', () => {
    expect(inputError(() => csv('unknown-columns.csv')).message).toBe(
      'unknown-columns.csv: cannot tell what exported this file from its columns ("Name", "Email", "Phone"); ' +
        'expected a YouScan or Brand24 export, or our own columns id, url, author, author_url, text, title, published_at, lang, parent_id, thread_id, reach (see docs/import.md), or pass --format',
    );
    expect(inputError(() => detectLayout(['Date', 'Body'], 'x.csv', 'brand24')).message).toBe(
      'x.csv: no text column for a Brand24 export (looked for: content, text, mention); its columns are: "Date", "Body"',
    );
  });

  it('finds the delimiter on the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('Дата;Время;"Текст, полный";Ссылка')).toBe(';');
    expect(detectDelimiter('ID,Date,"a;b;c;d"')).toBe(',');
    expect(detectDelimiter('id\ttext\turl')).toBe('\t');
    expect(detectDelimiter('text')).toBe(',');
  });
});

describe('file import: YouScan CSV (UTF-8 with BOM, comma)', () => {
  const mapped = csv('youscan-export.csv');

  it('reads the header through the BOM and maps a row field by field, local times in the config zone', () => {
    expect(mapped).toMatchObject({ encoding: 'utf-8', delimiter: ',', rowsSeen: 7, problems: [] });
    expect(mapped.layout.name).toBe('youscan');
    const text = 'Third day without mobile data on my Acme plan. Support chat closes the ticket without an answer. #AcmeDown';
    const url = 'https://twitter.com/martak_ux/status/1991302664331280384';
    expect(mapped.rows[0]).toEqual({
      line: 2,
      mention: {
        externalId: contentId(url, at('2026-11-20T15:42:00Z'), text),
        url,
        author: 'Marta Kowalski',
        authorUrl: 'https://twitter.com/martak_ux',
        authorReach: 12400,
        title: null,
        text,
        lang: 'en',
        publishedAt: at('2026-11-20T15:42:00Z'),
        parentId: null,
        threadId: null,
      },
    });
  });

  it('keeps a quoted newline inside the text and numbers lines as an editor does', () => {
    expect(mapped.rows.map((r) => r.line)).toEqual([2, 3, 5, 6, 7, 8, 9]);
    expect(mapped.rows[1]!.mention).toMatchObject({
      text: 'Акме, верните деньги за двойное списание!\nЗаявка 7734519 висит две недели.',
      lang: 'ru',
      authorReach: 318,
      publishedAt: at('2026-11-20T14:05:00Z'),
    });
    expect(mapped.rows[2]!.mention).toMatchObject({ title: 'Переход в Акме с сохранением номера', authorReach: null });
  });

  it('gives rows without an id column a content hash that is the same on every import', () => {
    const again = csv('youscan-export.csv');
    expect(again.rows.map((r) => r.mention.externalId)).toEqual(mapped.rows.map((r) => r.mention.externalId));
    expect(new Set(mapped.rows.map((r) => r.mention.externalId)).size).toBe(7);
    expect(mapped.rows[0]!.mention.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(contentId('https://a.example/1', 1, 'x')).not.toBe(contentId('https://a.example/1', 1, 'y'));
  });
});

describe('file import: Russian Excel CSV (windows-1251, semicolons)', () => {
  const mapped = csv('youscan-export-ru-cp1251.csv');

  it('decodes windows-1251 and splits on ";"', () => {
    expect(mapped).toMatchObject({ encoding: 'windows-1251', delimiter: ';', rowsSeen: 3, problems: [] });
    expect(mapped.layout.name).toBe('youscan');
    const text = 'Третий месяц подряд Акме списывает абонплату дважды; поддержка обещает вернуть за 3 дня.';
    expect(mapped.rows[0]!.mention).toEqual({
      externalId: contentId('https://vk.com/wall48212655_301', at('2026-11-20T11:22:05Z'), text),
      url: 'https://vk.com/wall48212655_301',
      author: 'Сергей П.',
      authorUrl: 'https://vk.com/sergey_p',
      authorReach: 1875,
      title: null,
      text,
      lang: 'ru',
      publishedAt: at('2026-11-20T11:22:05Z'),
      parentId: null,
      threadId: null,
    });
    expect(mapped.rows[1]!.mention.text).toBe('Пользуюсь Акме два года — связь в метро отличная, "без сюрпризов" в счетах.');
    expect(mapped.rows[2]!.mention.publishedAt).toBe(at('2026-11-19T20:59:59Z'));
  });

  it('reads the same bytes as UTF-8 only when they are valid UTF-8', () => {
    expect(decodeCsvBytes(new TextEncoder().encode('Текст')).encoding).toBe('utf-8');
    expect(decodeCsvBytes(bytes('youscan-export-ru-cp1251.csv')).text.startsWith('Дата;Время;')).toBe(true);
  });

  it('honours an Excel "sep=;" line and UTF-16 "Unicode text" exports', () => {
    const withSep = new TextEncoder().encode('sep=;\nid;text;published_at\n1;Acme, again;2026-11-20 10:00\n');
    const sep = mapCsv(withSep, { fileLabel: 's.csv', timeZone: 'UTC' });
    expect(sep.delimiter).toBe(';');
    expect(sep.rows).toEqual([{ line: 3, mention: expect.objectContaining({ externalId: '1', text: 'Acme, again', publishedAt: at('2026-11-20T10:00:00Z') }) }]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\ttext\nu1\tАкме\n', 'utf16le')]);
    const unicode = mapCsv(new Uint8Array(utf16), { fileLabel: 'u.txt', timeZone: 'UTC' });
    expect(unicode).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(unicode.rows[0]!.mention).toMatchObject({ externalId: 'u1', text: 'Акме' });
  });

  it('strips a UTF-8 BOM before matching the first column', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,text\nb1,Acme\n')]);
    expect(mapCsv(new Uint8Array(withBom), { fileLabel: 'b.csv', timeZone: 'UTC' }).rows[0]!.mention.externalId).toBe('b1');
  });
});

describe('file import: Brand24 CSV', () => {
  const mapped = csv('brand24-export.csv', 'UTC');

  it('uses the ID column, the date with its Hrs column, and the Source column as the link', () => {
    expect(mapped).toMatchObject({ encoding: 'utf-8', delimiter: ',', rowsSeen: 6, problems: [] });
    expect(mapped.layout.name).toBe('brand24');
    expect(mapped.rows[0]!.mention).toEqual({
      externalId: '938201554',
      url: 'https://twitter.com/lenka_b/status/1991320011223344556',
      author: 'lenka_b',
      authorUrl: null,
      authorReach: null,
      title: null,
      text: "@AcmeSupport my Acme Shop order #A-77812 still says 'processing' after 6 days. Where is it?",
      lang: null,
      publishedAt: at('2026-11-20T19:31:00Z'),
      parentId: null,
      threadId: null,
    });
    expect(mapped.rows[1]!.mention.text).toBe('We compared 120 Acme Shop prices before and after the "Black Friday" banner went up.\nMost prices did not change.');
  });

  it('stores formula-looking cells as plain data, exactly as written', () => {
    const texts = mapped.rows.map((r) => r.mention.text);
    expect(texts).toContain('=HYPERLINK("http://acme-refund.example","Get your Acme refund now")');
    expect(texts).toContain("+7 999 123-45-67 — Acme's hotline hung up on me three times today.");
    expect(texts).toContain('-2 stars: the Acme app logs me out every morning.');
    expect(mapped.rows[4]!.mention.author).toBeNull();
  });
});

describe('file import: problems located by line and column', () => {
  it('skips rows with a bad date, no text or extra cells, keeps rows with a bad link or count, and says where', () => {
    const mapped = csv('bad-rows.csv', 'UTC');
    expect(mapped.rowsSeen).toBe(6);
    expect(mapped.rows.map((r) => [r.line, r.mention.externalId])).toEqual([
      [2, 'r1'],
      [5, 'r4'],
    ]);
    expect(mapped.rows[1]!.mention).toMatchObject({ url: null, authorReach: null, text: 'Acme support answered in 5 minutes' });
    expect(mapped.problems).toEqual([
      { line: 3, column: 'published_at', message: 'not a date ("32.13.2026")', skipped: true },
      { line: 4, column: 'text', message: 'empty: a mention needs its text', skipped: true },
      { line: 5, column: 'url', message: 'not an http(s) link ("javascript:alert(1)"), left empty', skipped: false },
      { line: 5, column: 'reach', message: 'not a follower count ("lots"), left empty', skipped: false },
      {
        line: 6,
        column: 'published_at',
        message: 'ambiguous date "05/06/2026": day and month are both 12 or less; write it as YYYY-MM-DD',
        skipped: true,
      },
      { line: 7, column: null, message: '11 cells but the header has 10 (a stray "," or quote?)', skipped: true },
    ]);
    expect(mapped.problems.map((p) => formatProblem('bad-rows.csv', p)).slice(0, 2)).toEqual([
      'bad-rows.csv:3: published_at: not a date ("32.13.2026")',
      'bad-rows.csv:4: text: empty: a mention needs its text',
    ]);
  });

  it('reports an unterminated quote with its line, as a file error', () => {
    const broken = new TextEncoder().encode('id,text\n1,Acme\n2,"Acme never closes\n3,Acme\n');
    expect(inputError(() => mapCsv(broken, { fileLabel: 'q.csv', timeZone: 'UTC' })).message).toMatch(/^q\.csv:4: not readable as CSV: Quote Not Closed/);
    expect(inputError(() => mapCsv(new Uint8Array(), { fileLabel: 'e.csv', timeZone: 'UTC' })).message).toBe('e.csv: the file is empty (no header line)');
  });

  it('reads the dates exports write, local ones in the given zone', () => {
    expect(readPublished('2026-11-20T10:00:00Z', null, MOSCOW)).toEqual({ ms: at('2026-11-20T10:00:00Z') });
    expect(readPublished('2026-11-20T10:00:00+05:00', null, MOSCOW)).toEqual({ ms: at('2026-11-20T05:00:00Z') });
    expect(readPublished('2026-11-20 10:00', null, MOSCOW)).toEqual({ ms: at('2026-11-20T07:00:00Z') });
    expect(readPublished('20.11.2026', '10:00', MOSCOW)).toEqual({ ms: at('2026-11-20T07:00:00Z') });
    expect(readPublished('11/20/2026 3:05 PM', null, 'UTC')).toEqual({ ms: at('2026-11-20T15:05:00Z') });
    expect(readPublished('20/11/2026', null, 'UTC')).toEqual({ ms: at('2026-11-20T00:00:00Z') });
    expect(readPublished('1795204800', null, 'UTC')).toEqual({ ms: 1795204800000 });
    expect(readPublished('1795204800123', null, 'UTC')).toEqual({ ms: 1795204800123 });
    expect(readPublished('Fri, 20 Nov 2026 10:00:00 +0300', null, 'UTC')).toEqual({ ms: at('2026-11-20T07:00:00Z') });
    expect(readPublished('', '', 'UTC')).toEqual({ ms: null });
    expect(readPublished('31.11.2026', null, 'UTC')).toEqual({ ms: null, error: 'not a date ("31.11.2026")' });
    expect(readPublished(null, '10:00', 'UTC')).toEqual({ ms: null, error: 'a time ("10:00") without a date' });
  });
});

describe('file import: JSONL', () => {
  const mapLines = (name: string, timeZone = 'UTC') => {
    const mapper = new JsonlMapper({ fileLabel: name, timeZone });
    const rows = readFileSync(path(name), 'utf8')
      .split('\n')
      .map((line, i) => mapper.push(line, i + 1))
      .filter((row) => row !== null);
    return { mapper, rows };
  };

  it('maps our own columns from one object per line: epoch seconds, string counts, replies', () => {
    const { mapper, rows } = mapLines('mentions.jsonl', MOSCOW);
    mapper.finish();
    expect(mapper.layout?.name).toBe('generic');
    expect(mapper.problems).toEqual([]);
    expect(rows.map((r) => [r.line, r.mention.externalId])).toEqual([
      [1, 'tg-acme_news-1208'],
      [2, 'tg-acme_chat-55102'],
      [3, 'mail-2026-11-20-0042'],
      [4, 'review-31877'],
      [5, 'note-7'],
    ]);
    expect(rows[1]!.mention).toEqual({
      externalId: 'tg-acme_chat-55102',
      url: 'https://t.me/acme_chat/55102',
      author: 'Pavel',
      authorUrl: null,
      authorReach: null,
      title: null,
      text: 'У меня с утра нет интернета, Акме, это из-за работ?',
      lang: 'ru',
      publishedAt: 1795204800000,
      parentId: 'tg-acme_news-1208',
      threadId: 'tg-acme_news-1208',
    });
    expect(rows[0]!.mention).toMatchObject({ publishedAt: at('2026-11-20T18:00:00Z'), authorReach: 25000 });
    expect(rows[2]!.mention).toMatchObject({ publishedAt: at('2026-11-20T07:12:00Z'), url: null, title: 'Double charge on order A-77812' });
    expect(rows[3]!.mention.authorReach).toBe(1250);
  });

  it('reports and skips bad lines by number, and keeps the good ones', () => {
    const { mapper, rows } = mapLines('broken.jsonl');
    mapper.finish();
    expect(rows.map((r) => r.mention.externalId)).toEqual(['b1']);
    expect(mapper.rowsSeen).toBe(4);
    expect(mapper.problems.map((p) => formatProblem('broken.jsonl', p))).toEqual([
      expect.stringMatching(/^broken\.jsonl:2: not valid JSON: /),
      'broken.jsonl:4: expected a JSON object, got a list',
      'broken.jsonl:5: published_at: not a date ("yesterday")',
    ]);
  });

  it('gives up when no line is a JSON object', () => {
    const { mapper } = mapLines('not-jsonl.jsonl');
    expect(inputError(() => mapper.finish()).message).toMatch(/^not-jsonl\.jsonl: no line is a JSON object, so this is not a JSONL file \(line 1: not valid JSON: /);
  });
});

describe('file import: classify and store (importFile)', () => {
  const tmp = useTmpDir();
  const open: Db[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  function setup(extra = '') {
    const dir = tmp();
    const config = parseConfigText(
      `timezone: Europe/Moscow
topics:
  - name: acme
    query: acme OR акме
    own_accounts: ["Акме Новости"]
  - name: office
    query: lease
${extra}sources:
  - name: hn
    type: hackernews
    query: acme
`,
      join(dir, 'mentions.yml'),
      { knownSourceTypes: SOURCE_TYPES },
    );
    const db = openDatabase(join(dir, 'mentions.db'), { create: true });
    open.push(db);
    return { dir, config, db };
  }

  it('stores in batches under an import source; a second import adds nothing', async () => {
    const { config, db } = setup();
    const file = path('youscan-export.csv').pathname;
    const first = await importFile({ db, config, file, batchSize: 2, now: () => at('2026-11-21T08:00:00Z') });
    expect(first).toMatchObject({ source: 'import:youscan-export.csv', kind: 'csv', layout: 'youscan', rows: 7, imported: 6, duplicates: 0, unmatched: 1, skipped: 0, problemCount: 0 });
    expect(getSourceByName(db, 'import:youscan-export.csv')).toMatchObject({ type: 'import', target: null, cursor: { file: 'youscan-export.csv' } });
    const again = await importFile({ db, config, file });
    expect(again).toMatchObject({ imported: 0, duplicates: 6, unmatched: 1 });
    const queue = listQueue(db, { source: 'import:youscan-export.csv', limit: 100 });
    expect(queue.every((m) => m.sourceType === 'import')).toBe(true);
    // The channel's own post is stored but, being own, not in the queue.
    expect(queue).toHaveLength(5);
  });

  it('--topic puts every row under that topic, still classifying it, and other topics still match', async () => {
    const { config, db } = setup();
    const summary = await importFile({ db, config, file: path('mentions.jsonl').pathname, topic: 'acme' });
    expect(summary).toMatchObject({ kind: 'jsonl', rows: 5, imported: 5, unmatched: 0 });
    const rows = db
      .prepare(
        `SELECT m.external_id AS id, c.relevance, group_concat(t.topic) AS topics FROM mentions m
         JOIN classifications c ON c.mention_id = m.id LEFT JOIN mention_topics t ON t.mention_id = m.id
         GROUP BY m.id ORDER BY m.external_id`,
      )
      .all() as Array<{ id: string; relevance: string; topics: string }>;
    expect(rows.find((r) => r.id === 'note-7')).toEqual({ id: 'note-7', relevance: 'relevant', topics: expect.stringMatching(/^(acme,office|office,acme)$/) });
    expect(rows.find((r) => r.id === 'tg-acme_news-1208')).toMatchObject({ relevance: 'own', topics: 'acme' });
    await expect(importFile({ db, config, file: path('mentions.jsonl').pathname, topic: 'nope' })).rejects.toThrow('--topic nope: no such topic; configured topics: acme, office');
  });

  it('dry run counts what would be new and stores nothing', async () => {
    const { config, db } = setup();
    const summary = await importFile({ db, config, file: path('brand24-export.csv').pathname, dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, rows: 6, imported: 5, duplicates: 0, unmatched: 1 });
    expect(getSourceByName(db, 'import:brand24-export.csv')).toBeNull();
    expect((db.prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n).toBe(0);
  });

  it('never stores under a polled source, and refuses a file it cannot read', async () => {
    const { dir, config, db } = setup();
    await expect(importFile({ db, config, file: path('mentions.jsonl').pathname, source: 'hn' })).rejects.toThrow(
      '--source hn: that is a configured source; imports go under their own name (e.g. import:hn)',
    );
    upsertSource(db, { name: 'old-feed', type: 'rss', target: 'https://x.example/feed' }, 1);
    await expect(importFile({ db, config, file: path('mentions.jsonl').pathname, source: 'old-feed' })).rejects.toThrow(
      '--source old-feed: a rss source of that name is already stored; pick another name',
    );
    await expect(importFile({ db, config, file: join(dir, 'missing.csv') })).rejects.toThrow(/missing\.csv: no such file$/);
    const xlsx = join(dir, 'export.xlsx');
    writeFileSync(xlsx, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    await expect(importFile({ db, config, file: xlsx })).rejects.toThrow(/export\.xlsx: this is an Excel workbook/);
  });
});
