/**
 * What holds when the config says nothing: the built-in defaults, in a module of their own so a
 * command without a config file need not load the YAML reader.
 */
import type { BusinessHours, MentionsConfig, TimeInterval } from './types.js';

export const DEFAULT_TIMEZONE = 'UTC';
export const DEFAULT_SLA_SECONDS = 3_600;
const NINE_TO_SIX: TimeInterval = { startMinute: 9 * 60, endMinute: 18 * 60 };

/** The config used when there is no config file: no topics, no sources. */
export function defaultConfig(): MentionsConfig {
  return {
    file: null,
    timezone: DEFAULT_TIMEZONE,
    database: null,
    topics: [],
    sources: [],
    sla: { defaultSeconds: DEFAULT_SLA_SECONDS, bySource: {}, hours: 'all' },
    businessHours: defaultBusinessHours(),
    agent: null,
    alerts: { channels: [], rules: [] },
  };
}

export function defaultBusinessHours(): BusinessHours {
  const workday = () => [{ ...NINE_TO_SIX }];
  return {
    week: { mon: workday(), tue: workday(), wed: workday(), thu: workday(), fri: workday() },
    holidays: [],
    extraWorkingDays: [],
    extraWorkingHours: workday(),
  };
}

