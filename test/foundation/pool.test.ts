import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.js';

/** Issue 26: the PostgreSQL pool's settings reach its connections (DATABASE_POOL_MAX, DATABASE_STATEMENT_TIMEOUT_MS). */
describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL pool settings', () => {
  it('a statement running past DATABASE_STATEMENT_TIMEOUT_MS is cancelled with an error; 0 means no limit', async () => {
    const limited = await openPostgres(process.env.TEST_DATABASE_URL!, {
      max: 2,
      statementTimeoutMs: 200,
    });
    const free = await openPostgres(process.env.TEST_DATABASE_URL!, {
      max: 1,
      statementTimeoutMs: 0,
    });
    try {
      await expect(limited.db.execute(sql`select pg_sleep(1)`)).rejects.toMatchObject({
        cause: { code: '57014' },
      }); // query_canceled
      await expect(free.db.execute(sql`select pg_sleep(0.3)`)).resolves.toBeDefined();
      const [row] = (await limited.db.execute(sql`show statement_timeout`)) as unknown as {
        statement_timeout: string;
      }[];
      expect(row!.statement_timeout).toBe('200ms');
    } finally {
      await limited.close();
      await free.close();
    }
  });

  it('issue 25: connections run without JIT compilation unless asked for (DATABASE_JIT)', async () => {
    const plain = await openPostgres(process.env.TEST_DATABASE_URL!, { max: 1 });
    const compiled = await openPostgres(process.env.TEST_DATABASE_URL!, { max: 1, jit: true });
    try {
      const jit = async (d: typeof plain) =>
        ((await d.db.execute(sql`show jit`)) as unknown as { jit: string }[])[0]!.jit;
      expect(await jit(plain)).toBe('off');
      expect(await jit(compiled)).toBe('on');
    } finally {
      await plain.close();
      await compiled.close();
    }
  });
});
