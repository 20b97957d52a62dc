/**
 * Issue 19: postgres.js (3.4.x) can throw from a timer when the database drops a connection as a write is
 * being flushed (`TypeError: Cannot read properties of null (reading 'write')` in its connection.js): uncaught,
 * it killed an instance in 5 of 8 database restarts. That one error costs only the connection it happened on
 * (postgres.js opens another), so it is logged and the process goes on; any other uncaught error still ends it.
 */
export function isPostgresSocketRace(e: unknown): boolean {
  return (
    e instanceof TypeError &&
    /Cannot read properties of null \(reading '(write|destroy|end|removeListener|removeAllListeners|once|on)'\)/.test(
      e.message,
    ) &&
    /[\\/]postgres[\\/](src|cjs[\\/]src|cf[\\/]src)[\\/]connection\.js/.test(e.stack ?? '')
  );
}

type Log = {
  error(fields: Record<string, unknown>, message: string): void;
  fatal?(fields: Record<string, unknown>, message: string): void;
};

export function guardProcess(log: Log) {
  process.on('uncaughtException', (e) => {
    if (isPostgresSocketRace(e)) {
      log.error(
        { err: e },
        'database connection lost while writing (postgres.js); the connection is replaced',
      );
      return;
    }
    (log.fatal ?? log.error)({ err: e }, 'uncaught exception');
    console.error(e);
    process.exit(1);
  });
}
