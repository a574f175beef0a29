import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimeInterval } from '../../src/config/calendar.js';
import type { BusinessHours, Weekday } from '../../src/config/types.js';
import { addBusinessSeconds, businessCalendar, businessSecondsBetween } from '../../src/report/business-time.js';
import { zonedTimeToInstant } from '../../src/report/zoned-time.js';

const HOUR = 3600;

function hours(week: Partial<Record<Weekday, string[]>>, extra: Partial<Omit<BusinessHours, 'week'>> = {}): BusinessHours {
  const parsed: BusinessHours['week'] = {};
  for (const [day, intervals] of Object.entries(week)) parsed[day as Weekday] = intervals.map(parseTimeInterval);
  return { week: parsed, holidays: [], extraWorkingDays: [], extraWorkingHours: parsed.mon ?? [], ...extra };
}

const weekdays = (intervals: string[]) => hours({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals });
const allWeek = (intervals: string[]) => hours({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: intervals, sun: intervals });

/** A local wall-clock time, "2026-11-20 17:50", as a UTC instant. */
function at(local: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(local)!;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return zonedTimeToInstant({ year, month, day, hour, minute, second: 0 }, timeZone);
}

describe('businessSecondsBetween: Mon–Fri 09:00–18:00 in Moscow', () => {
  const zone = 'Europe/Moscow';
  const calendar = businessCalendar(weekdays(['09:00-18:00']), zone);
  const between = (from: string, to: string) => businessSecondsBetween(at(from, zone), at(to, zone), calendar);

  it('counts Friday 17:50 → Monday 09:10 as 20 minutes (the weekend is closed)', () => {
    // 2026-11-20 is a Friday: 10 minutes on Friday, 10 on Monday.
    expect(between('2026-11-20 17:50', '2026-11-23 09:10')).toBe(20 * 60);
  });

  it('counts a span inside one off-hours period as 0', () => {
    expect(between('2026-11-20 19:00', '2026-11-21 12:00')).toBe(0); // Friday evening → Saturday noon
    expect(between('2026-11-19 06:00', '2026-11-19 08:59')).toBe(0); // early Thursday morning
    expect(between('2026-11-21 10:00', '2026-11-22 23:00')).toBe(0); // all weekend
  });

  it('counts within one working day and whole weeks exactly', () => {
    expect(between('2026-11-19 10:15', '2026-11-19 10:45')).toBe(30 * 60);
    expect(between('2026-11-16 00:00', '2026-11-23 00:00')).toBe(5 * 9 * HOUR);
    expect(between('2026-11-19 17:00', '2026-11-20 10:00')).toBe(2 * HOUR); // 1 h Thursday, 1 h Friday
  });

  it('is 0 when the end is not after the start', () => {
    expect(between('2026-11-19 12:00', '2026-11-19 12:00')).toBe(0);
    expect(between('2026-11-19 12:00', '2026-11-19 11:00')).toBe(0);
  });

  it('skips holidays and counts extra working days with their own hours', () => {
    const withHoliday = businessCalendar({ ...weekdays(['09:00-18:00']), holidays: ['2026-11-20'] }, zone);
    // Thursday 17:00 → Monday 10:00 with Friday off: 1 h + 1 h.
    expect(businessSecondsBetween(at('2026-11-19 17:00', zone), at('2026-11-23 10:00', zone), withHoliday)).toBe(2 * HOUR);
    const withSaturday = businessCalendar(
      { ...weekdays(['09:00-18:00']), extraWorkingDays: ['2026-11-21'], extraWorkingHours: [parseTimeInterval('10:00-16:00')] },
      zone,
    );
    // Friday 17:00 → Monday 09:00 with Saturday 10–16 worked: 1 h + 6 h.
    expect(businessSecondsBetween(at('2026-11-20 17:00', zone), at('2026-11-23 09:00', zone), withSaturday)).toBe(7 * HOUR);
  });

  it('counts only the intervals of a day with a lunch break', () => {
    const split = businessCalendar(weekdays(['09:00-13:00', '14:00-18:00']), zone);
    const span = (from: string, to: string) => businessSecondsBetween(at(from, zone), at(to, zone), split);
    expect(span('2026-11-19 12:30', '2026-11-19 14:30')).toBe(HOUR);
    expect(span('2026-11-19 13:10', '2026-11-19 13:50')).toBe(0); // asked and answered over lunch
    expect(span('2026-11-19 08:00', '2026-11-20 08:00')).toBe(8 * HOUR);
    expect(span('2026-11-20 17:30', '2026-11-23 09:30')).toBe(HOUR);
  });
});

describe('businessSecondsBetween across clock changes', () => {
  it('New York: the spring-forward Sunday has 23 working hours around the clock, the autumn one 25', () => {
    const zone = 'America/New_York';
    const calendar = businessCalendar(allWeek(['00:00-24:00']), zone);
    expect(businessSecondsBetween(at('2026-03-08 00:00', zone), at('2026-03-09 00:00', zone), calendar)).toBe(23 * HOUR);
    expect(businessSecondsBetween(at('2026-11-01 00:00', zone), at('2026-11-02 00:00', zone), calendar)).toBe(25 * HOUR);
    // The night the clocks change: Saturday 23:00 → Sunday 05:00 is 5 real hours in March, 7 in November.
    expect(businessSecondsBetween(at('2026-03-07 23:00', zone), at('2026-03-08 05:00', zone), calendar)).toBe(5 * HOUR);
    expect(businessSecondsBetween(at('2026-10-31 23:00', zone), at('2026-11-01 05:00', zone), calendar)).toBe(7 * HOUR);
  });

  it('New York: an interval across the change is as long as the clock says, and a weekend change does not move office hours', () => {
    const zone = 'America/New_York';
    const night = businessCalendar(allWeek(['01:00-04:00']), zone);
    expect(businessSecondsBetween(at('2026-03-08 00:00', zone), at('2026-03-08 12:00', zone), night)).toBe(2 * HOUR); // 01:00 EST → 04:00 EDT
    expect(businessSecondsBetween(Date.UTC(2026, 10, 1, 0), Date.UTC(2026, 10, 1, 12), night)).toBe(4 * HOUR); // 01:00 EDT → 04:00 EST
    const office = businessCalendar(weekdays(['09:00-18:00']), zone);
    // Friday 17:00 EST → Monday 10:00 EDT: 1 h + 1 h, although the weekend was an hour short.
    expect(businessSecondsBetween(at('2026-03-06 17:00', zone), at('2026-03-09 10:00', zone), office)).toBe(2 * HOUR);
    expect(at('2026-03-09 10:00', zone) - at('2026-03-06 17:00', zone)).toBe((65 - 1) * HOUR * 1000);
  });

  it('Moscow: 23 hours on 2010-03-28 (summer time began), 25 on 2014-10-26 (back to UTC+3)', () => {
    const zone = 'Europe/Moscow';
    const calendar = businessCalendar(allWeek(['00:00-24:00']), zone);
    expect(businessSecondsBetween(at('2010-03-28 00:00', zone), at('2010-03-29 00:00', zone), calendar)).toBe(23 * HOUR);
    expect(businessSecondsBetween(at('2014-10-26 00:00', zone), at('2014-10-27 00:00', zone), calendar)).toBe(25 * HOUR);
    // Saturday 23:00 → Sunday 04:00 across the 2014 change (02:00 became 01:00): 6 real hours.
    expect(businessSecondsBetween(at('2014-10-25 23:00', zone), at('2014-10-26 04:00', zone), calendar)).toBe(6 * HOUR);
    // The same night's office-hours span is unaffected: Friday 17:30 → Monday 09:30 = 1 h.
    const office = businessCalendar(weekdays(['09:00-18:00']), zone);
    expect(businessSecondsBetween(at('2014-10-24 17:30', zone), at('2014-10-27 09:30', zone), office)).toBe(HOUR);
  });
});

describe('addBusinessSeconds', () => {
  const zone = 'Europe/Moscow';
  const calendar = businessCalendar(weekdays(['09:00-13:00', '14:00-18:00']), zone);

  it('finds when a business-hours target expires', () => {
    expect(addBusinessSeconds(at('2026-11-20 17:50', zone), 20 * 60, calendar)).toBe(at('2026-11-23 09:10', zone));
    expect(addBusinessSeconds(at('2026-11-21 12:00', zone), HOUR, calendar)).toBe(at('2026-11-23 10:00', zone)); // from Saturday
    expect(addBusinessSeconds(at('2026-11-19 12:30', zone), HOUR, calendar)).toBe(at('2026-11-19 14:30', zone)); // over lunch
    expect(addBusinessSeconds(at('2026-11-19 12:30', zone), 0, calendar)).toBe(at('2026-11-19 12:30', zone));
  });

  it('throws when the calendar never works', () => {
    const closed = businessCalendar(hours({}), zone);
    expect(() => addBusinessSeconds(0, 60, closed)).toThrow(/no working time/);
  });

  it('is the inverse of businessSecondsBetween (New York, spanning both clock changes of 2026)', () => {
    const ny = businessCalendar(
      { ...hours({ mon: ['08:30-12:00', '13:00-17:45'], wed: ['00:00-24:00'], sat: ['01:00-04:00'], sun: ['01:30-03:30'] }), holidays: ['2026-03-11'] },
      'America/New_York',
    );
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 1, 20), max: Date.UTC(2026, 11, 1) }),
        fc.integer({ min: 1, max: 40 * 24 * 3600 }),
        (from, seconds) => {
          const end = addBusinessSeconds(from, seconds, ny);
          expect(businessSecondsBetween(from, end, ny)).toBeCloseTo(seconds, 6);
          // Nothing earlier would do: one second before, less has passed.
          expect(businessSecondsBetween(from, end - 1000, ny)).toBeLessThan(seconds);
        },
      ),
      { numRuns: 300 },
    );
  });
});
