import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/tokens.js';
import { type Db, openPostgres, rowsOf } from '../../src/db/client.js';
import { appendEvent, type NewEvent } from '../../src/events/append.js';
import { engine } from '../support/cases.js';
import { accepted, contact } from '../support/inputs.js';
import type { Instance } from '../support/instances.js';
import { useWorld } from '../support/world.js';
import { collect, type Ev, FEED, strictlyIncreasing, waitFor } from './support.js';
import { useTwoInstances } from './two-instances.js';

/**
 * PostgreSQL only: events travel through the database. Two server instances
 * run as separate processes (test/live/instance.ts) on the file's database; a
 * change made through A reaches a subscriber on B by NOTIFY and a read of the
 * log, and B's LISTEN connection killed by the database (pg_terminate_backend)
 * comes back and catches up. Positions follow commit order, proven with
 * racing transactions.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL', () => {
  const world = useWorld();

  describe('two server processes on one PostgreSQL', () => {
    const two = useTwoInstances(world);
    const { token } = two;

    async function post(
      at: Instance,
      query: string,
      variables: Record<string, unknown>,
      username: string,
    ) {
      const res = await fetch(at.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await token(username)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    }

    const REGISTER = `mutation ($input: RegisterComplaintInput!) {
      registerComplaint(input: $input) { complaint { id timeline(last: 1) { edges { cursor } } } userErrors { code message } }
    }`;
    const CONTACT = `mutation ($input: ContactCustomerInput!) {
      contactCustomer(input: $input) { complaint { id timeline(last: 1) { edges { cursor } } } userErrors { code message } }
    }`;

    /** A change made through `at`: a registration, or a contact on `id`. Returns its complaint and cursor. */
    async function change(at: Instance, id?: string): Promise<{ id: string; cursor: string }> {
      const data = id
        ? await post(
            at,
            CONTACT,
            { input: { id, method: 'PHONE', content: 'Progress' } },
            'gd.agent',
          )
        : await post(
            at,
            REGISTER,
            {
              input: {
                channel: 'PHONE',
                title: 'No signal',
                description: 'No signal at home.',
                customer: { name: '王五', phone: '13700001111' },
              },
            },
            'gd.agent',
          );
      const payload = data.registerComplaint ?? data.contactCustomer;
      expect(payload.userErrors).toEqual([]);
      return { id: payload.complaint.id, cursor: payload.complaint.timeline.edges[0].cursor };
    }

    /** gd.duty's feed on `at`, resumed after `after` so that nothing committed meanwhile is missed. */
    async function subscribeOn(at: Instance, after: string) {
      const client = two.connect(at, await token('gd.duty'));
      return { client, sub: collect<Ev>(client, FEED, { after }) };
    }

    const listeners = async (db: Db) =>
      rowsOf<{ pid: number }>(
        await db.execute(
          sql`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
        ),
      ).map((r) => Number(r.pid));

    it('D52 issue 18: a user disabled through A loses its open socket on B at once (4403) and its token on B’s HTTP', async () => {
      const w = world();
      // A user of its own, committed, who has set their own password.
      const unitId = w.units['GD-GZ']!.id;
      const { createUser } = await import('../../src/domain/org.js');
      const { defineAbilityFor } = await import('../../src/auth/abilities.js');
      const { users } = await import('../../src/db/schema.js');
      const { eq } = await import('drizzle-orm');
      const user = await createUser(w.database.db, defineAbilityFor(w.admin), {
        username: 'mi.revoked',
        password: 'a-long-password-1',
        displayName: 'MI',
        unitId,
        roles: [{ role: 'HANDLER', unitId }],
      });
      await w.database.db
        .update(users)
        .set({ mustChangePassword: false })
        .where(eq(users.id, user.id));
      const userToken = await signToken(w.config.jwtSecret, user.id, new Date());
      const client = two.connect(two.b, userToken);
      const sub = collect<Ev>(client, FEED);
      const me = async (at: Instance) =>
        (await (
          await fetch(at.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${userToken}` },
            body: JSON.stringify({ query: '{ me { __typename } }' }),
          })
        ).json()) as { data?: any; errors?: any[] };
      expect((await me(two.b)).data.me.__typename).toBe('User');
      await waitFor(
        () => client.socket() !== null,
        'B to acknowledge the socket (its revocation watch is set in connection_init)',
      );
      const adminToken = await signToken(w.config.jwtSecret, w.admin.id, new Date());
      const res = await fetch(two.a.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({
          query: `mutation ($id: ID!) { disableUser(id: $id) { userErrors { code } } }`,
          variables: { id: Buffer.from(`User:${user.id}`).toString('base64url') },
        }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      expect(body.errors, JSON.stringify(body)).toBeUndefined();
      expect(body.data.disableUser.userErrors).toEqual([]);
      await waitFor(() => client.closes.length, 'B to close the socket');
      expect(client.closes[0]!.code).toBe(4403);
      expect(sub.done).toBe(true);
      expect((await me(two.b)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('a change made through A reaches a subscriber on B, in log order', async () => {
      const seed = await change(two.a);
      const { sub } = await subscribeOn(two.b, seed.cursor);
      // the first change may come by the replay; every later one can only come live, by NOTIFY from A's commit
      const made = [await change(two.a, seed.id)];
      await waitFor(
        () => sub.items.length === 1,
        () => `the first change on B; got ${sub.items.length}`,
      );
      for (let i = 0; i < 5; i++) {
        made.push(await change(two.a, i % 2 ? seed.id : undefined));
        await waitFor(
          () => sub.items.length === made.length,
          () => `change ${i + 2} to reach B; got ${sub.items.length}`,
        );
      }
      expect(sub.items.map((ev) => ev.cursor)).toEqual(made.map((m) => m.cursor));
      expect(strictlyIncreasing(sub.items.map((ev) => ev.cursor))).toBe(true);
      // and back: a change through B reaches a subscriber on A
      const { sub: onA } = await subscribeOn(two.a, made.at(-1)!.cursor);
      const back = await change(two.b, seed.id);
      await waitFor(() => onA.items.length === 1, 'the change through B to reach A');
      expect(onA.items[0]!.cursor).toBe(back.cursor);
    });

    it('B’s LISTEN connection killed by the database comes back; the feed catches up on everything committed meanwhile', async () => {
      const w = world();
      const seed = await change(two.a);
      const { sub } = await subscribeOn(two.b, seed.cursor);
      const warm = await change(two.a, seed.id);
      await waitFor(() => sub.items.length === 1, 'the subscriber on B to be live');
      const before = await listeners(w.database.db); // one LISTEN connection per instance whose feed runs: B's, and A's if it has one
      expect(before.length).toBeGreaterThanOrEqual(1);

      // Changes made while B cannot listen: the database lets no new connection in, so B cannot
      // LISTEN again until it does, and the NOTIFYs of these commits can never reach it.
      const writer = await openPostgres(w.database.url!, { max: 1 }); // connected before the door closes
      await writer.ping();
      const x = engine(w, writer.db);
      const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      const dbName = new URL(w.database.url!).pathname.slice(1);
      const missed: string[] = [];
      try {
        await admin.unsafe(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and query ilike 'listen%'`;
        await waitFor(
          async () => (await listeners(writer.db)).length === 0,
          'the LISTEN connections to be gone',
        );
        const c = await x.register();
        await x.act('gd.agent', 'CONTACT_CUSTOMER', c, contact('PHONE', 'While B was away'));
        await x.act('gd.agent', 'ACCEPT', c, accepted('ORDINARY'));
        expect(await listeners(writer.db)).toEqual([]); // nobody of B heard these commits
        for (const ev of await writer.db
          .execute(
            sql`select position::text as p from complaint_events where complaint_id = ${c.id} order by position`,
          )
          .then((r) => rowsOf<{ p: string }>(r))) {
          missed.push(Buffer.from(`ev:${ev.p}`).toString('base64url'));
        }
      } finally {
        await admin.unsafe(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      expect(missed).toHaveLength(3);
      await waitFor(
        async () =>
          (await listeners(writer.db)).filter((pid) => !before.includes(pid)).length ===
          before.length,
        'the instances to LISTEN again on new connections',
        15_000,
      );
      await waitFor(
        () => sub.items.length === 1 + missed.length,
        () => `the missed changes on B; got ${sub.items.length - 1} of ${missed.length}`,
        10_000,
      );
      await writer.close();
      // and it is live again
      const after = await change(two.a, seed.id);
      await waitFor(() => sub.items.length === 2 + missed.length, 'a change after the reconnect');

      expect(sub.items.map((ev) => ev.cursor)).toEqual([warm.cursor, ...missed, after.cursor]);
      expect(new Set(sub.items.map((ev) => ev.cursor)).size).toBe(sub.items.length);
      expect(two.b.child.exitCode).toBeNull();
    });
  });

  describe('positions follow commit order (racing transactions)', () => {
    const deferred = () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    };

    /** A supervision-style event on `c`, chained to its head as appendEvent expects. */
    async function eventFor(tx: Db, c: { id: string }): Promise<NewEvent> {
      const [row] = rowsOf<{ h: string; status: NewEvent['toStatus'] }>(
        await tx.execute(
          sql`select last_event_hash as h, status from complaints where id = ${c.id} for update`,
        ),
      );
      return {
        complaintId: c.id,
        prevHash: row!.h,
        action: 'CONTACT_CUSTOMER',
        fromStatus: row!.status,
        toStatus: row!.status,
        actor: null,
        at: world().clock.now(),
        payload: { race: true },
      };
    }

    // Waiters on the event-log lock (src/events/append.ts, key 5,170,424,031 = classid 1, objid 875,456,735) of
    // this database only: pg_locks lists every database's, and other test files run beside this one.
    const waitingForTheLog = async (db: Db) =>
      rowsOf<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
            and classid = 1 and objid = 875456735 and objsubid = 1
            and database = (select oid from pg_database where datname = current_database())`,
        ),
      )[0]!.n;

    it('a transaction that appends first and commits late holds back a later one: positions are in commit order', async () => {
      const w = world();
      const x = engine(w, w.database.db);
      const [c1, c2] = [await x.register(), await x.register()];
      const gate = deferred();
      const appended1 = deferred();
      // Whether t1 had been let go to commit when t2's append returned: t2 must have waited for t1's commit.
      let released = false;
      let t2AppendedAfterRelease: boolean | null = null;

      const t1 = w.database.db.transaction(async (tx) => {
        const ev = await appendEvent(tx, await eventFor(tx, c1));
        appended1.resolve();
        await gate.promise; // holds its position, uncommitted
        return ev;
      });
      await appended1.promise;
      const t2 = w.database.db.transaction(async (tx) => {
        const ev = await appendEvent(tx, await eventFor(tx, c2));
        t2AppendedAfterRelease = released;
        return ev;
      });
      await waitFor(
        async () => (await waitingForTheLog(w.database.db)) === 1,
        't2 to wait for the event log lock',
      );
      expect(t2AppendedAfterRelease).toBeNull();
      released = true;
      gate.resolve();
      const [e1, e2] = await Promise.all([t1, t2]);
      expect(t2AppendedAfterRelease).toBe(true);
      expect(e1.position < e2.position).toBe(true);
    });

    it('a transaction that started first but appends and commits last gets the later position', async () => {
      const w = world();
      const x = engine(w, w.database.db);
      const [c1, c2] = [await x.register(), await x.register()];
      const commits: string[] = [];
      const gate = deferred();
      const started1 = deferred();
      const t1 = w.database.db
        .transaction(async (tx) => {
          await tx.execute(sql`select txid_current()`); // begun, with a transaction id older than t2's
          started1.resolve();
          await gate.promise;
          return appendEvent(tx, await eventFor(tx, c1));
        })
        .then((ev) => (commits.push('t1'), ev));
      await started1.promise;
      const e2 = await w.database.db.transaction(async (tx) =>
        appendEvent(tx, await eventFor(tx, c2)),
      );
      commits.push('t2');
      gate.resolve();
      const e1 = await t1;
      expect(commits).toEqual(['t2', 't1']);
      expect(e2.position < e1.position).toBe(true);
    });

    it('many racing transactions, committing in an order of their own: sorted by position they are sorted by commit', async () => {
      const w = world();
      const x = engine(w, w.database.db);
      const cases = [];
      for (let i = 0; i < 12; i++) cases.push(await x.register());
      const committed: bigint[] = [];
      await Promise.all(
        cases.map((c, i) =>
          w.database.db
            .transaction(async (tx) => {
              await new Promise((r) => setTimeout(r, (i * 7) % 13)); // begin in one order...
              const ev = await appendEvent(tx, await eventFor(tx, c));
              await new Promise((r) => setTimeout(r, (i * 5) % 11)); // ...and linger before committing
              return ev;
            })
            .then((ev) => committed.push(ev.position)),
        ),
      );
      expect(committed).toHaveLength(12);
      expect(committed).toEqual([...committed].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0)));
    });

    it('control: without the lock, sequence numbers alone do not follow commit order', async () => {
      const w = world();
      const gate = deferred();
      const took1 = deferred();
      let p1 = 0n;
      let p2 = 0n;
      const commits: string[] = [];
      const t1 = w.database.db
        .transaction(async (tx) => {
          p1 = BigInt(
            rowsOf<{ p: string }>(
              await tx.execute(sql`select nextval('complaint_event_position_seq')::text as p`),
            )[0]!.p,
          );
          took1.resolve();
          await gate.promise;
        })
        .then(() => commits.push('t1'));
      await took1.promise;
      await w.database.db.transaction(async (tx) => {
        p2 = BigInt(
          rowsOf<{ p: string }>(
            await tx.execute(sql`select nextval('complaint_event_position_seq')::text as p`),
          )[0]!.p,
        );
      });
      commits.push('t2');
      gate.resolve();
      await t1;
      expect(commits).toEqual(['t2', 't1']);
      expect(p1 < p2).toBe(true); // the first to commit has the smaller number: what appendEvent's lock prevents
    });
  });
});
