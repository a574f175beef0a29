import type { BusinessHours, MentionsConfig } from '../config/types.js';
import { addBusinessSeconds, businessCalendar } from './business-time.js';
import type { BusinessCalendar } from './business-time.js';

/** Response targets: a source's own name wins over its type, then the default. */
export interface SlaTargets {
  defaultSeconds: number;
  bySource: Record<string, number>;
}

export function slaTargetSeconds(sla: SlaTargets, source: { name: string; type: string }): number {
  return sla.bySource[source.name] ?? sla.bySource[source.type] ?? sla.defaultSeconds;
}

/** Milliseconds until the first-response target is missed; negative once overdue. */
export function slaRemainingMs(createdAt: number, targetSeconds: number, now: number): number {
  return createdAt + targetSeconds * 1000 - now;
}

export interface SlaClock {
  hours: 'all' | 'business';
  businessHours: BusinessHours;
  timeZone: string;
}

// One calendar per clock: a queue computes hundreds of deadlines against the same hours.
const calendars = new WeakMap<SlaClock, BusinessCalendar>();

/** When the first-response target is missed: around the clock, or counting business hours only (null: the calendar never opens). */
export function slaDeadline(createdAt: number, targetSeconds: number, clock: SlaClock): number | null {
  if (clock.hours === 'all') return createdAt + targetSeconds * 1000;
  let calendar = calendars.get(clock);
  if (!calendar) {
    calendar = businessCalendar(clock.businessHours, clock.timeZone);
    calendars.set(clock, calendar);
  }
  try {
    return addBusinessSeconds(createdAt, targetSeconds, calendar);
  } catch {
    return null;
  }
}

// One clock per config object, so slaDeadline's calendar cache serves every mention of a queue or an alert cycle.
const clocks = new WeakMap<MentionsConfig, SlaClock>();

/** The SLA clock a config sets: around the clock, or its business hours in its time zone. */
export function slaClockOf(config: MentionsConfig): SlaClock {
  let clock = clocks.get(config);
  if (!clock) {
    clock = { hours: config.sla.hours, businessHours: config.businessHours, timeZone: config.timezone };
    clocks.set(config, clock);
  }
  return clock;
}
