// A partner carrier's integration, step by step (D40, D41, D56): submit an interconnection complaint with an
// idempotency key (and retry it safely), read the event feed from a saved cursor, follow it live over
// graphql-ws, and save the cursor after every event, so that the next run, after a restart of either side,
// resumes right after the last event it saw: nothing missed, nothing twice.
//
//   npm run example:partner     (against `npm start`; run it twice to see it resume)
//   PARTNER_API_KEY   the key `npm start` prints (default: read from .data/demo-partner-key)
//   PARTNER_STATE_FILE where the cursor is kept (default .data/partner-example.json)
//   FOLLOW_SECONDS    how long to follow the live feed at most (default 10)
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GraphQLClient } from 'graphql-request';
import type { PartnerEventFragment } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { deadline, detail, GRAPHQL_URL, run, say, socket, subscribe } from './lib.js';

const DATA_DIR = process.env.DATA_DIR ?? '.data';
const API_KEY = process.env.PARTNER_API_KEY ?? readKey();
const STATE_FILE = process.env.PARTNER_STATE_FILE ?? join(DATA_DIR, 'partner-example.json');
const FOLLOW_SECONDS = Number(process.env.FOLLOW_SECONDS ?? 10);

function readKey(): string {
  const file = join(DATA_DIR, 'demo-partner-key');
  if (!existsSync(file))
    throw new Error(
      `set PARTNER_API_KEY (the key \`npm start\` prints), or run from the folder whose ${file} holds it`,
    );
  return readFileSync(file, 'utf8').trim();
}

type State = { cursor: string | null };
const load = (): State =>
  existsSync(STATE_FILE)
    ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State)
    : { cursor: null };
function save(state: State) {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state)}\n`);
}

graphql(`
  fragment PartnerEvent on ComplaintEvent { cursor action at toStatus complaint { number } }
`);

const Me = graphql(`
  query PartnerMe {
    me {
      __typename
      ... on Partner { name carrierCode province { code } }
    }
  }
`);

const Submit = graphql(`
  mutation PartnerSubmit($input: InterconnectionComplaintInput!) {
    submitInterconnectionComplaint(input: $input) {
      complaint { id number status }
      userErrors { code message field }
    }
  }
`);

const Events = graphql(`
  query PartnerEvents($after: String, $first: Int) {
    complaintEvents(after: $after, first: $first) {
      edges { node { ...PartnerEvent } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const Live = graphql(`
  subscription PartnerLive($after: String) {
    complaintEvents(after: $after) { ...PartnerEvent }
  }
`);

const http = new GraphQLClient(GRAPHQL_URL, { headers: { 'x-api-key': API_KEY } });
const show = (e: PartnerEventFragment) =>
  detail(`${e.complaint.number}  ${e.action.padEnd(18)} ${e.toStatus ?? ''}  at ${e.at}`);

async function submit(idempotencyKey: string, title: string) {
  const { submitInterconnectionComplaint: p } = await http.request(Submit, {
    input: {
      idempotencyKey,
      title,
      description: 'Calls from our network to 138 numbers fail at trunk 7 since 08:00.',
      category: 'CALL_COMPLETION',
      customer: { name: '欧阳明', phone: '13912345678' },
      details: { trunkId: 'TRUNK-7', callingNumber: '13312345678', calledNumber: '13812345678' },
    },
  });
  if (!p.complaint)
    throw new Error(
      `submission refused: ${p.userErrors.map((e) => `${e.code} ${e.message}`).join('; ')}`,
    );
  return p.complaint;
}

async function main() {
  const state = load();

  say('Who am I (X-API-Key)');
  const { me } = await http.request(Me);
  if (me?.__typename !== 'Partner')
    throw new Error(`the key signs in as ${me?.__typename ?? 'nobody'}, not a partner`);
  detail(`${me.name} (${me.carrierCode}), province ${me.province.code}`);

  const key = `example-${randomUUID()}`;
  say(`Submit an interconnection complaint with idempotency key ${key}`);
  const first = await submit(key, 'Calls to our subscribers fail (partner example)');
  detail(`submitted: ${first.number} ${first.status}`);

  say('Send the same submission again, as after a lost answer: the same key returns the same case');
  const again = await submit(key, 'Calls to our subscribers fail (partner example)');
  detail(
    `answered with ${again.number}: ${again.id === first.id ? 'the same case, no duplicate' : 'A DIFFERENT CASE (unexpected)'}`,
  );

  say(
    state.cursor
      ? `Resuming the feed after the saved cursor ${state.cursor} (${STATE_FILE})`
      : 'No saved cursor: reading the feed from its start',
  );
  let cursor = state.cursor;
  for (;;) {
    const { complaintEvents: page } = await http.request(Events, { after: cursor, first: 50 });
    for (const { node } of page.edges) show(node);
    if (page.pageInfo.endCursor) cursor = page.pageInfo.endCursor;
    save({ cursor });
    if (!page.pageInfo.hasNextPage) break;
  }
  detail(`caught up; cursor saved: ${cursor}`);

  say(
    `Follow the feed live over graphql-ws from that cursor (up to ${FOLLOW_SECONDS} s), and submit a second complaint meanwhile`,
  );
  const ws = socket({ apiKey: API_KEY });
  const stop = deadline(FOLLOW_SECONDS);
  let second: { id: string; number: string } | null = null;
  const submitting = (async () => {
    second = await submit(`example-${randomUUID()}`, 'Trunk 7 drops calls again (partner example)');
    detail(`submitted ${second.number} while following`);
  })();
  try {
    for await (const { complaintEvents: e } of subscribe(
      ws,
      Live,
      { after: cursor },
      stop.signal,
    )) {
      show(e);
      cursor = e.cursor;
      save({ cursor });
      await submitting;
      if (
        second &&
        e.complaint.number === (second as { number: string }).number &&
        e.action === 'REGISTER'
      )
        stop.abort();
    }
  } finally {
    await submitting;
    await ws.dispose();
  }
  console.log(
    `Saved cursor ${cursor} in ${STATE_FILE}: run me again and the feed resumes right after it.`,
  );
}

run(main);
