// Load through the API over HTTP, shared by the write benchmark (bench/writes.mts) and the three-instance
// test (test/scale/three-instances.test.ts): a keep-alive GraphQL client, the mutations that register and
// move cases (registerComplaint, acceptComplaint, dispatchComplaint) with their variables, and D5's check
// of the case numbers a run left in the database.

import { Agent, request } from 'node:http';
import type { Sql } from 'postgres';

/**
 * One keep-alive connection per client, JSON over POST to `url` (…/graphql); the body as text. `reset()`
 * closes it between phases (the server drops idle keep-alive sockets after 5 s, e.g. while pgbench runs,
 * and a request on a socket it is closing would fail).
 */
export type Client = ((
  query: string,
  variables: Record<string, unknown>,
) => Promise<{ status: number; body: string }>) & { reset(): void };

export function client(token: string, url: string): Client {
  const target = new URL(url);
  let agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (query: string, variables: Record<string, unknown>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = JSON.stringify({ query, variables });
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return Object.assign(call, {
    reset() {
      agent.destroy();
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
    },
  });
}

export const REGISTER = `mutation R($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id number } userErrors { code message } } }`;
export const ACCEPT = `mutation A($input: AcceptComplaintInput!) { acceptComplaint(input: $input) { complaint { id status } userErrors { code message } } }`;
export const DISPATCH = `mutation D($input: DispatchComplaintInput!) { dispatchComplaint(input: $input) { complaint { id status } userErrors { code message } } }`;

let phoneSeq = 0;
/** registerComplaint's variables: a phone complaint about poor signal, numbered `n` in its title; `over` adds or replaces fields. */
export const registerInput = (
  over: { title?: string; businessLine?: string; address?: string } = {},
) => {
  const n = ++phoneSeq;
  return {
    input: {
      channel: 'PHONE',
      title: over.title ?? `信号差 Poor signal ${n}`,
      description: '客户反映家中信号差 The customer reports poor signal at home.',
      ...(over.businessLine ? { businessLine: over.businessLine } : {}),
      customer: {
        name: '王伟',
        phone: `139${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}`,
        ...(over.address ? { address: over.address } : {}),
      },
    },
  };
};

/** acceptComplaint's variables: an ordinary network complaint of the mobile line. */
export const acceptVars = (id: string) => ({
  input: { id, businessLine: 'mobile', category: 'NETWORK_TECHNICAL', severity: 'ORDINARY' },
});

/** dispatchComplaint's variables: to a city or centre (a global OrgUnit id), due at `deadline`. */
export const dispatchVars = (id: string, toUnitId: string, deadline: Date) => ({
  input: { id, toUnitId, deadline: deadline.toISOString() },
});

/** A mutation's payload (`data[field]`) when it succeeded without userErrors, else null. */
export function payloadOf<T = Record<string, unknown>>(
  res: { status: number; body: string },
  field: string,
): T | null {
  try {
    const body = JSON.parse(res.body) as {
      data?: Record<string, { userErrors: unknown[] } | null>;
      errors?: unknown;
    };
    const payload = body.data?.[field];
    return res.status === 200 && !body.errors && payload && payload.userErrors.length === 0
      ? (payload as T)
      : null;
  } catch {
    return null;
  }
}

export type CaseNumberCheck = {
  /** Cases with a D5 number. */
  cases: number;
  distinct: number;
  /** Cases whose serial is lower than that of a case registered before it in the same province and day. */
  disordered: number;
  /** Serials that do not follow the one before them by 1, within a province and day. */
  gaps: number;
};

/**
 * D5 over every case of the database: numbers unique, and within a province and day (the number's prefix)
 * in the order of their REGISTER events (commit order, D56); the gaps are counted (D5 does not forbid them).
 */
export async function checkCaseNumbers(db: Sql): Promise<CaseNumberCheck> {
  const [d5] = await db<CaseNumberCheck[]>`
    with r as (
      select c.number, left(c.number, length(c.number) - 6) as prefix, right(c.number, 6)::int as serial, e.position
      from complaints c join complaint_events e on e.complaint_id = c.id and e.action = 'REGISTER'
      where length(c.number) = 16)
    select count(*)::int as cases, count(distinct number)::int as distinct,
      (select count(*)::int from (select serial, lag(serial) over (partition by prefix order by position) as prev from r) x where serial < prev) as disordered,
      (select count(*)::int from (select serial, lag(serial) over (partition by prefix order by serial) as prev from r) x where serial <> prev + 1) as gaps
    from r`;
  return d5!;
}
