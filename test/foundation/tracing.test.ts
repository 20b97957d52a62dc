import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { PglitePreparedQuery } from 'drizzle-orm/pglite/session';
import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js/session';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createApp } from '../../src/server/app.js';
import { startTracing } from '../../src/server/tracing.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

// Issue 26: OpenTelemetry tracing of GraphQL operations and their SQL statements, off unless an OTLP endpoint
// is configured. The tests run in this order: off first (nothing registered yet), then on.
const world = useWorld();
const SERVER_ENV = {
  DATABASE_URL: 'postgres://a:b@h/db',
  JWT_SECRET: 'x'.repeat(40),
  ADMIN_USERNAME: 'root',
  ADMIN_PASSWORD: 'root-password-1',
};
const wrapped = () =>
  [PostgresJsPreparedQuery.prototype.execute, PglitePreparedQuery.prototype.execute].some(
    (f) => (f as { traced?: boolean }).traced === true,
  );

const LIST = `query TracedList { me { __typename } complaints(first: 3) { nodes { number } } }`;
const REGISTER = `mutation TracedRegister($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { number } userErrors { code } } }`;
const customer = { name: '欧阳明', phone: '13912345678', address: '广东省广州市天河区体育西路1号' };

const parentId = (s: ReadableSpan) =>
  (s as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId;

describe('OpenTelemetry tracing', () => {
  it('without OTEL_EXPORTER_OTLP_ENDPOINT nothing is started, wrapped or recorded', () =>
    world().tx(async (db) => {
      const config = loadConfig(SERVER_ENV);
      expect(config.tracing).toEqual({
        endpoint: null,
        tracesEndpoint: null,
        serviceName: 'complaint-platform',
      });
      expect(await startTracing(config.tracing)).toBeNull();
      expect(wrapped()).toBe(false);
      const r = await gql(world().app(db), LIST, {}, { token: await world().token('gd.agent') });
      expect(r.errors).toBeUndefined();
      expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false); // no provider registered
      // Nothing of OpenTelemetry is loaded by the server's modules until tracing starts: only type imports.
      for (const file of [
        'src/server/tracing.ts',
        'src/server/tracing-plugin.ts',
        'src/db/tracing.ts',
        'src/server/app.ts',
        'src/server/main.ts',
      ]) {
        const code = readFileSync(resolve(import.meta.dirname, '../..', file), 'utf8');
        expect(
          code.match(/^import (?!type )[^;]*from '@opentelemetry\/[^']+'/gm) ?? [],
          file,
        ).toEqual([]);
      }
    }));

  it('an operation yields its span, named after it, with one child span per SQL statement, and no values of the customer', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const exporter = new InMemorySpanExporter();
      const tracing = (await startTracing(
        { endpoint: null, tracesEndpoint: null, serviceName: 'test' },
        { exporter },
      ))!;
      try {
        expect(wrapped()).toBe(true);
        const app = createApp(world().services(db), { plugins: [tracing.plugin] });
        const token = await world().token('gd.agent');
        const before = world().database.statements.count;
        expect((await gql(app, LIST, {}, { token })).errors).toBeUndefined();
        const list = exporter.getFinishedSpans().find((s) => s.name === 'query TracedList')!;
        expect(list.attributes).toMatchObject({
          'graphql.operation.type': 'query',
          'graphql.operation.name': 'TracedList',
        });
        const children = exporter
          .getFinishedSpans()
          .filter((s) => parentId(s) === list.spanContext().spanId);
        expect(children.length).toBeGreaterThan(0);
        for (const c of children) {
          expect(c.spanContext().traceId).toBe(list.spanContext().traceId);
          expect(c.attributes['db.system.name']).toBe('postgresql');
          expect(String(c.attributes['db.query.text'])).toMatch(/^\s*(select|with)\b/i);
        }
        expect(children.length).toBeLessThanOrEqual(world().database.statements.count - before);

        exporter.reset();
        const reg = await gql(
          app,
          REGISTER,
          {
            input: {
              channel: 'PHONE',
              title: 'Traced',
              description: 'No signal since Monday.',
              customer,
            },
          },
          { token },
        );
        expect(reg.data.registerComplaint.userErrors).toEqual([]);
        const op = exporter.getFinishedSpans().find((s) => s.name === 'mutation TracedRegister')!;
        const sql = exporter
          .getFinishedSpans()
          .filter((s) => parentId(s) === op.spanContext().spanId);
        // the case's insert is a CTE of the registration's statement (issue 25), traced like any other
        expect(sql.map((s) => s.name)).toContain('WITH');
        expect(
          sql.some((s) => /insert into "complaints"/.test(String(s.attributes['db.query.text']))),
        ).toBe(true);
        const everything = JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes));
        for (const value of Object.values(customer)) expect(everything).not.toContain(value);

        exporter.reset();
        const refused = await gql(
          app,
          `query TracedRefused { auditRecords { edges { cursor } } }`,
          {},
          { token },
        );
        expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        const failed = exporter.getFinishedSpans().find((s) => s.name === 'query TracedRefused')!;
        expect(failed.attributes['graphql.error.codes']).toEqual(['FORBIDDEN']);
      } finally {
        await tracing.shutdown();
      }
      expect(wrapped()).toBe(false);
    }));

  it('with an endpoint the spans reach an OTLP/HTTP collector at <endpoint>/v1/traces', () =>
    world().tx(async (db) => {
      const received: { url: string; type: string; bytes: number }[] = [];
      const collector = createServer((req: IncomingMessage, res) => {
        let bytes = 0;
        req.on('data', (d: Buffer) => (bytes += d.length));
        req.on('end', () => {
          received.push({ url: req.url ?? '', type: String(req.headers['content-type']), bytes });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
      const port = (collector.address() as AddressInfo).port;
      try {
        const config = loadConfig({
          ...SERVER_ENV,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`,
          OTEL_SERVICE_NAME: 'complaints-test',
        });
        const tracing = (await startTracing(config.tracing))!;
        const app = createApp(world().services(db), { plugins: [tracing.plugin] });
        expect(
          (await gql(app, LIST, {}, { token: await world().token('gd.agent') })).errors,
        ).toBeUndefined();
        await tracing.shutdown(); // flushes the batch
        expect(received.length).toBeGreaterThan(0);
        expect(received[0]).toMatchObject({ url: '/v1/traces' });
        expect(received[0]!.bytes).toBeGreaterThan(0);
      } finally {
        collector.close();
      }
    }));
});
