import { DrizzleQueryError, sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { type App, createApp } from '../../src/server/app.js';
import { createLogger, errorForLog } from '../../src/server/logger.js';
import { aComplaint } from '../support/cases.js';
import { PASSWORD, T0, useWorld } from '../support/world.js';

/**
 * Issue 6: the logs. One structured line per GraphQL operation (request id,
 * viewer, operation, type, duration, error codes), and never personal data:
 * not the variables, not the results, not in error lines either. The logger
 * is the server's own (createLogger), at its most talkative level, writing
 * into memory.
 */
const world = useWorld();

type Line = Record<string, unknown> & { level: number; msg: string };

function capture() {
  const written: string[] = [];
  const logger = createLogger(
    { logLevel: 'trace' },
    { write: (s: string) => void written.push(s) },
  );
  return {
    logger,
    text: () => written.join(''),
    lines: () => written.map((s) => JSON.parse(s) as Line),
    operations: () => written.map((s) => JSON.parse(s) as Line).filter((l) => l.msg === 'graphql'),
  };
}

function appWithLog(db: Db) {
  const log = capture();
  return { app: createApp(world().services(db), { logger: log.logger }), log };
}

async function post(
  app: App,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const res = await app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    ...((await res.json()) as {
      data?: any;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    }),
  };
}
const bearer = async (username: string) => ({
  authorization: `Bearer ${await world().token(username)}`,
});

/** The fixture complaint's customer: a name, a phone, an address and an account number. */
const CUSTOMER = aComplaint().customer as Record<
  'name' | 'phone' | 'address' | 'accountNumber',
  string
>;
/** What must never reach a log line, in every spelling a serializer might give it. */
const PERSONAL = [
  ...Object.values(CUSTOMER),
  ...Object.values(CUSTOMER).map((v) => JSON.stringify(v).slice(1, -1)),
  ...Object.values(CUSTOMER).map((v) =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: every character outside ASCII, as JSON escapes it
    v.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ),
  '138 1234-5678',
  PASSWORD,
];
function expectNoPersonalData(text: string) {
  expect(text.length).toBeGreaterThan(0);
  for (const p of new Set(PERSONAL)) expect(text, `the log holds "${p}"`).not.toContain(p);
}

const REGISTER = `mutation Register($input: RegisterComplaintInput!) {
  registerComplaint(input: $input) { complaint { id number customer { name phone } } userErrors { code } }
}`;
const registerInput = (customer: Record<string, unknown> = CUSTOMER) => ({
  channel: 'PHONE',
  title: 'No signal at home',
  description: 'Since Monday the phone shows no signal in the flat.',
  customer,
});
const BY_PHONE = `query ByPhone($f: ComplaintFilter) { complaints(filter: $f, first: 5) { totalCount nodes { number customer { name phone } } } }`;

describe('issue 6: one log line per operation', () => {
  it('issue 6: log lines: one per operation, with request id, viewer (kind and id), operation name, type, duration and error codes', () =>
    world().tx(async (db) => {
      const { app, log } = appWithLog(db);
      const w = world();

      expect(
        (
          await post(
            app,
            'query Units { orgUnits { code } }',
            {},
            { ...(await bearer('gz.handler')), 'x-request-id': 'req-units' },
          )
        ).errors,
      ).toBeUndefined();
      expect(
        (
          await post(
            app,
            'query PartnerMe { me { __typename } }',
            {},
            { 'x-api-key': w.partnerKey },
          )
        ).errors,
      ).toBeUndefined();
      const refused = await post(app, 'query AnonymousMe { me { __typename } }', {});
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // Two operations in one document: the line names the one that ran.
      const twoOps = await app.yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-b' },
        body: JSON.stringify({
          query: 'query A { __typename } query B { __typename }',
          operationName: 'B',
        }),
      });
      expect(twoOps.status).toBe(200);

      const lines = log.operations();
      expect(lines).toHaveLength(4);
      const [units, partner, anonymous, b] = lines;
      expect(units).toMatchObject({
        level: 30,
        requestId: 'req-units',
        viewer: `user:${w.staff['gz.handler']!.id}`,
        operation: 'Units',
        type: 'query',
        ms: expect.any(Number),
      });
      expect(units).not.toHaveProperty('errors');
      expect(partner).toMatchObject({
        viewer: `partner:${w.partner.id}`,
        operation: 'PartnerMe',
        type: 'query',
        ms: expect.any(Number),
      });
      expect(partner!.requestId).toMatch(/^[0-9a-f-]{36}$/); // none given: one is made up
      expect(anonymous).toMatchObject({
        viewer: null,
        operation: 'AnonymousMe',
        errors: ['UNAUTHENTICATED'],
      });
      expect(b).toMatchObject({ requestId: 'req-b', operation: 'B', type: 'query' });
      for (const l of lines) {
        expect(l.ms as number).toBeGreaterThanOrEqual(0);
        expect(Object.keys(l)).toEqual(
          expect.arrayContaining(['requestId', 'viewer', 'operation', 'type', 'ms']),
        );
      }
    }));
});

describe('issue 6: no personal data in the logs', () => {
  it('issue 6: log lines: a registration, a customerPhone filter, a login and refused variables leave no personal data in the log', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const { app, log } = appWithLog(db);
      const agent = await bearer('gd.agent');

      const registered = await post(app, REGISTER, { input: registerInput() }, agent);
      expect(registered.errors).toBeUndefined();
      expect(registered.data.registerComplaint.complaint.customer).toEqual({
        name: '张三',
        phone: '13812345678',
      });
      const found = await post(app, BY_PHONE, { f: { customerPhone: '13812345678' } }, agent);
      expect(found.data.complaints.totalCount).toBe(1);
      // Refused variables (no name): the client's error message quotes them back; the log line has the code only.
      const badVariables = await post(
        app,
        REGISTER,
        { input: registerInput({ phone: '13812345678', address: CUSTOMER.address }) },
        agent,
      );
      expect(badVariables.status).toBe(400);
      expect(badVariables.errors?.[0]?.message).toContain('13812345678');
      const login = await post(
        app,
        'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
        { u: 'gz.handler', p: PASSWORD },
      );
      expect(login.data.login.token).toEqual(expect.any(String));

      expect(log.operations().map((l) => [l.operation, l.type])).toEqual([
        ['Register', 'mutation'],
        ['ByPhone', 'query'],
        ['Register', 'mutation'],
        ['Login', 'mutation'],
      ]);
      expect(log.operations()[2]!.errors).toEqual(['BAD_REQUEST']); // the client's mistake, not the server's
      expectNoPersonalData(log.text());
    }));

  it('issue 6: log lines: an internal error is logged with the errorId the client got, and without the personal data of the statement that failed', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      // Every new case now fails in the database: an internal error on the statement that carries the customer.
      await db.execute(
        sql`ALTER TABLE complaints ADD CONSTRAINT issue6_refuse_all CHECK (false) NOT VALID`,
      );
      const { app, log } = appWithLog(db);

      const res = await post(
        app,
        REGISTER,
        { input: registerInput() },
        { ...(await bearer('gd.agent')), 'x-request-id': 'req-boom' },
      );
      expect(res.errors?.[0]?.message).toBe('Unexpected error.');
      const errorId = res.errors?.[0]?.extensions?.errorId;
      expect(errorId).toEqual(expect.any(String));
      expectNoPersonalData(JSON.stringify(res));

      // One error line (yoga's own report of the error it masked is not written twice), with the client's errorId.
      const internal = log.lines().filter((l) => l.level >= 50);
      expect(internal).toHaveLength(1);
      expect(internal[0]).toMatchObject({ level: 50, msg: 'internal error', errorId });
      // Still says what failed: the statement (placeholders only), the SQLSTATE and the constraint, and where.
      expect(internal[0]!.err).toMatchObject({
        type: 'DrizzleQueryError',
        query: expect.stringMatching(/insert into "complaints"/), // the registration's statement (issue 25: a WITH)
        stack: expect.stringContaining('complaint-registration.ts'),
        cause: {
          code: '23514',
          constraint: 'issue6_refuse_all',
          message: expect.stringContaining('violates check constraint'),
        },
      });
      // and the operation's line joins the request id to the same errorId
      expect(log.operations()).toEqual([
        expect.objectContaining({
          requestId: 'req-boom',
          operation: 'Register',
          errors: ['INTERNAL_SERVER_ERROR'],
          errorIds: [errorId],
        }),
      ]);
      expectNoPersonalData(log.text());
    }));
});

describe('issue 6: errors as they are logged', () => {
  it('issue 6: log lines: errorForLog keeps type, code, schema names, statement and frames; drops parameters, detail and refused values', () => {
    // postgres.js's field names; a data exception (SQLSTATE class 22) quotes the value it refused.
    const driver = Object.assign(
      new Error('invalid input syntax for type bigint: "13812345678x"'),
      {
        code: '22P02',
        detail: 'Failing row contains (张三, 13812345678).',
        table_name: 'complaints',
        column_name: 'customer_phone',
        parameters: ['13812345678x'],
      },
    );
    const failed = new DrizzleQueryError(
      'select * from complaints where customer_phone = $1',
      ['13812345678x'],
      driver,
    );
    const logged = errorForLog(new GraphQLError('wrapped', { originalError: failed }));
    expect(logged).toMatchObject({
      type: 'DrizzleQueryError',
      message: 'Failed query',
      query: 'select * from complaints where customer_phone = $1',
      stack: expect.stringMatching(/^\s+at /),
      cause: {
        message: 'invalid input syntax for type bigint',
        code: '22P02',
        table: 'complaints',
        column: 'customer_phone',
      },
    });
    expectNoPersonalData(JSON.stringify(logged));
    expect(JSON.stringify(logged)).not.toMatch(/Failing row|13812345678x|parameters|params/);
    const log = capture();
    // Through the logger, however the error is passed: pino would take an Error's message as the line's.
    log.logger.error({ err: failed }, 'failed');
    log.logger.error(failed);
    log.logger.error({ err: failed });
    log.logger.warn({ error: failed, attempt: 2 }, 'retrying');
    expect(
      log.lines().map((l) => [l.msg, ((l.err ?? l.error) as { message: string }).message]),
    ).toEqual([
      ['failed', 'Failed query'],
      ['Failed query', 'Failed query'],
      ['Failed query', 'Failed query'],
      ['retrying', 'Failed query'],
    ]);
    expectNoPersonalData(log.text());
  });
});
