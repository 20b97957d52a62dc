import pino from 'pino';
import type { Config } from '../config/index.js';

/**
 * Structured JSON logs. Personal data is never logged: variables and results are not written, and an error
 * is written as errorForLog gives it, under any key and as the message pino takes from it when none is given
 * (`logger.error(e)`, `logger.error({ err: e })`). To stdout, or to `destination` (tests read the lines back).
 */
export const createLogger = (
  config: Pick<Config, 'logLevel'>,
  destination?: pino.DestinationStream,
) =>
  pino(
    {
      level: config.logLevel,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          return method.apply(
            this,
            withErrorsForLog(args as unknown[]) as Parameters<typeof method>,
          );
        },
      },
      serializers: { err: (e: unknown) => (e instanceof Error ? errorForLog(e) : e) },
    },
    destination,
  );

export type Logger = ReturnType<typeof createLogger>;

export type LoggedError = {
  type: string;
  message: string;
  /** SQLSTATE, or Node's ERR_… */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** The statement with its $1 placeholders; never its parameters. */
  query?: string;
  stack?: string;
  cause?: LoggedError;
};

/** Fields of a database error (PGlite's names, then postgres.js's) that name the schema, not the data. */
const NAMES = [
  ['code', 'code'],
  ['constraint', 'constraint'],
  ['constraint_name', 'constraint'],
  ['table', 'table'],
  ['table_name', 'table'],
  ['column', 'column'],
  ['column_name', 'column'],
] as const;

/**
 * The `err` of every log line. A failed statement's error carries the values it was given: drizzle's
 * DrizzleQueryError has them in its message ("params: …,张三,13812345678,…") and in `params`, PostgreSQL's
 * `detail` quotes the failing row ("Failing row contains (…)", "Key (phone)=(…)") and a data exception
 * (SQLSTATE class 22) quotes the refused value in its message. So an error is logged by an allow-list: its
 * type, its message (drizzle's without the values, a data exception's cut before the value), the
 * parameterised statement, the schema names and code a database error has, its stack frames without the
 * message, its cause.
 * A GraphQLError is logged as the error it wraps.
 */
export function errorForLog(error: unknown, depth = 0): LoggedError {
  let e = error;
  while (e instanceof Error && 'originalError' in e && e.originalError instanceof Error)
    e = e.originalError;
  if (!(e instanceof Error)) return { type: typeof e, message: '(not an Error)' };
  const fields = e as Error & Record<string, unknown>;
  const out: LoggedError = { type: e.constructor?.name ?? e.name, message: e.message };
  for (const [from, to] of NAMES)
    if (typeof fields[from] === 'string' && out[to] === undefined) out[to] = fields[from] as string;
  if (typeof fields.query === 'string') out.query = fields.query; // drizzle's and PGlite's errors; `params` stays out
  if (e.message.startsWith('Failed query: ')) {
    out.message = 'Failed query'; // drizzle: "Failed query: <query>\nparams: <values>"
  } else if (out.code?.length === 5 && out.code.startsWith('22')) {
    out.message = e.message.split(':')[0]!;
  }
  const frames = e.stack?.split('\n').filter((l) => /^\s+at /.test(l));
  if (frames?.length) out.stack = frames.join('\n');
  if (e.cause !== undefined && depth < 5) out.cause = errorForLog(e.cause, depth + 1);
  return out;
}

/** A log call's arguments with every Error (first argument, or a value of the first argument) as errorForLog gives it. */
function withErrorsForLog(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const err = errorForLog(first);
    return [{ err }, ...(rest.length ? rest : [err.message])];
  }
  if (first && typeof first === 'object' && Object.values(first).some((v) => v instanceof Error)) {
    return [
      Object.fromEntries(
        Object.entries(first).map(([k, v]) => [k, v instanceof Error ? errorForLog(v) : v]),
      ),
      ...rest,
    ];
  }
  return args;
}
