import { formatDateTime } from '../../src/wire/datetime.js';

/** Durations in milliseconds, and instants as the API serves them (D57), for every test. */
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A Shanghai wall-clock time, e.g. sh('2026-11-24 10:00'). */
export const sh = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);

/** How the API serves an instant (D57): served('2026-11-24 10:00') or served(date) → '2026-11-24T10:00:00.000+08:00'. */
export const served = (at: string | Date) => formatDateTime(typeof at === 'string' ? sh(at) : at);
