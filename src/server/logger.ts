import pino from 'pino';
import type { Config } from '../config/index.js';

/** Structured JSON logs. Personal data is never logged: variables and results are not written. */
export const createLogger = (config: Pick<Config, 'logLevel'>) =>
  pino({ level: config.logLevel, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });

export type Logger = ReturnType<typeof createLogger>;
