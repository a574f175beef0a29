/**
 * Dates and language tags as sources write them: feeds, JSON APIs and export
 * files share these readers, without loading any parser.
 */

/** ISO 639-1 code from a language tag ("ru-RU" → "ru", "en_us" → "en"), or null. */
export function normaliseLang(raw: string | null): string | null {
  const primary = raw?.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2}$/.test(primary) ? primary : null;
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** Named zones seen in feeds, as minutes east of UTC. */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180,
  MSK: 180, MSD: 240, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, JST: 540, KST: 540, AEST: 600, AEDT: 660,
};

const RFC822 =
  /^(?:[a-z]+\.?,?\s*)?(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{2}|\d{4})(?:,?\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*(?:GMT|UTC)?([+-]\d{1,2}:?\d{2})|\s*([a-z]{1,5}))?(?:\s*\([^)]*\))?$/i;
const MONTH_FIRST =
  /^(?:[a-z]+\.?(?:,\s*|\s+))?([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\s*(?:GMT|UTC)?([+-]\d{1,2}:?\d{2})|\s*([a-z]{1,5}))?(?:\s*\([^)]*\))?$/i;
const ISO8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Epoch ms of a feed date: RFC 822/1123 (pubDate, including missing seconds,
 * two-digit years, named zones such as GMT, EST or MSK, and "+0300"), ISO 8601
 * (Atom, dc:date) and "Nov 19, 2026 10:00" forms. A missing zone means UTC.
 * Null when unparsable or out of range.
 */
export function parseFeedDate(raw: string): number | null {
  const value = raw.trim().replace(/\s+/g, ' ');
  const iso = ISO8601.exec(value);
  if (iso) {
    const [, y, mo, d, h, mi, s, fraction, zone] = iso;
    const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
    return toEpoch(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms, zoneOffset(zone));
  }
  const rfc = RFC822.exec(value);
  if (rfc) {
    const [, d, month, y, h, mi, s, numericZone, namedZone] = rfc;
    return toEpoch(fullYear(Number(y)), monthIndex(month), Number(d), Number(h), Number(mi), Number(s ?? 0), 0, zoneOffset(numericZone ?? namedZone));
  }
  const monthFirst = MONTH_FIRST.exec(value);
  if (monthFirst) {
    const [, month, d, y, h, mi, s, numericZone, namedZone] = monthFirst;
    return toEpoch(Number(y), monthIndex(month), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), 0, zoneOffset(numericZone ?? namedZone));
  }
  return null;
}

function fullYear(year: number): number {
  if (year >= 100) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

function monthIndex(name: string | undefined): number {
  return MONTHS[(name ?? '').slice(0, 3).toLowerCase()] ?? -1;
}

/** Minutes east of UTC, 0 when absent, NaN when unknown. */
function zoneOffset(zone: string | undefined): number {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  const upper = zone.toUpperCase();
  if (upper in ZONES) return ZONES[upper] ?? 0;
  // RFC 2822 §4.3: single-letter military zones are unreliable and count as UTC.
  return /^[A-IK-Z]$/.test(upper) ? 0 : NaN;
}

function toEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, offsetMinutes: number): number | null {
  if (month < 0 || month > 11 || day < 1 || hour > 23 || minute > 59 || second > 60 || Number.isNaN(offsetMinutes)) return null;
  const local = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms);
  // Date.UTC rolls 31 Nov over to 1 Dec; a date that does not exist is unparsable.
  if (new Date(local).getUTCDate() !== day) return null;
  return local - offsetMinutes * 60_000;
}
