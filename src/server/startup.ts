/**
 * Issue 19: what stops the server at start, as one line an operator can act on: the port is taken, or the
 * database cannot be reached or refuses us. Null for anything else (a bug: its stack is printed).
 */
export function startupProblem(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  if (e.name === 'PortInUseError') return e.message;
  const err = e as Error & {
    code?: string;
    address?: string;
    port?: number;
    hostname?: string;
    cause?: unknown;
  };
  const where = err.address
    ? `${err.address}${err.port ? `:${err.port}` : ''}`
    : (err.hostname ?? 'DATABASE_URL');
  switch (err.code) {
    case 'ECONNREFUSED':
      return `Cannot reach the database at ${where}: connection refused (is PostgreSQL running? check DATABASE_URL)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach the database: host ${err.hostname ?? where} not found (check DATABASE_URL)`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Cannot reach the database at ${where}: no answer (check DATABASE_URL and the network)`;
    case 'ECONNRESET':
      return `The database at ${where} closed the connection during start-up (check DATABASE_URL)`;
    case '28P01':
    case '28000':
      return `The database refused the credentials of DATABASE_URL (${err.code}: ${err.message})`;
    case '3D000':
      return `The database named in DATABASE_URL does not exist (${err.message})`;
    case '57P03':
      return `The database is starting up or shutting down; try again (${err.message})`;
  }
  if (err.cause instanceof Error) return startupProblem(err.cause);
  // Several addresses tried (localhost: ::1 and 127.0.0.1): AggregateError of the attempts.
  if (e instanceof AggregateError && e.errors.length) return startupProblem(e.errors[0]);
  return null;
}
