/**
 * Issue 19: whether the database answers, as the server sees it. A statement that fails because the
 * database is away (connection refused or closed, the server shutting down or starting up) marks it
 * unavailable; then a probe asks every PROBE_MS until it answers again and marks it available. While it is
 * unavailable requests are answered at once with a retryable error (src/server/plugins.ts useDatabaseGate)
 * instead of queueing behind connection attempts, and are served again as soon as the probe succeeds.
 */
const PROBE_MS = 100;

/** Node's socket errors, postgres.js's connection errors and the SQLSTATEs of a database going or coming. */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown: terminated by a fast shutdown (pg_ctl restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Whether an error (or what it wraps: drizzle's query error, a GraphQL error's original) says the database is away. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 5; depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.has(code)) return true;
    if (x instanceof AggregateError && x.errors.some((inner) => isDatabaseUnavailable(inner)))
      return true;
    x = (x as { originalError?: unknown }).originalError ?? (x as { cause?: unknown }).cause;
  }
  return false;
}

export class Availability {
  #available = true;
  #probing: NodeJS.Timeout | null = null;
  #closed = false;
  readonly #probe: () => Promise<void>;
  readonly #listeners = new Set<(available: boolean) => void>();

  constructor(probe: () => Promise<void>) {
    this.#probe = probe;
  }

  get available() {
    return this.#available;
  }

  onChange(listener: (available: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A statement failed: if the database is away, mark it so and probe until it is back. */
  report(e: unknown) {
    if (this.#closed || !isDatabaseUnavailable(e) || !this.#available) return;
    this.#available = false;
    for (const l of this.#listeners) l(false);
    const probe = () => {
      this.#probing = null;
      if (this.#closed) return;
      Promise.race([
        this.#probe(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('probe timed out')), 1_000).unref(),
        ),
      ]).then(
        () => {
          this.#available = true;
          for (const l of this.#listeners) l(true);
        },
        () => {
          if (!this.#closed) (this.#probing = setTimeout(probe, PROBE_MS)).unref();
        },
      );
    };
    (this.#probing = setTimeout(probe, PROBE_MS)).unref();
  }

  close() {
    this.#closed = true;
    if (this.#probing) clearTimeout(this.#probing);
  }
}
