import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';

/** A benchmark's own database on a PostgreSQL server: created, migrated, dropped afterwards. */
export type Scratch = {
  name: string;
  url: string;
  label: string;
  /** Drops the database (KEEP=1 keeps it and says so); close your own clients first. */
  drop(): Promise<void>;
};

/**
 * Creates `<prefix>_<random>` on the server `adminUrl` connects to (a role that may CREATE
 * DATABASE), runs the migrations in it and returns its URL. `create` writes the CREATE DATABASE
 * statement when the benchmark needs a particular locale.
 */
export async function scratchDatabase(
  adminUrl: string,
  prefix: string,
  create = (name: string) => `CREATE DATABASE ${name}`,
): Promise<Scratch> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(create(name));
  const version = (await admin`show server_version`)[0]!.server_version as string;
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate({ kind: 'postgres' } as Database, url.toString());
  return {
    name,
    url: url.toString(),
    label: `PostgreSQL ${version} (${url.host}, scratch database ${name})`,
    async drop() {
      if (process.env.KEEP === '1') {
        console.log(`kept database ${name}`);
        return;
      }
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
