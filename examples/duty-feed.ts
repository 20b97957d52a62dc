// A duty manager's screen, step by step (D21, D32, D56): sign in, read the duty briefing of the unit, then
// follow SLA alerts (warnings and breaches) and the unit's case events live over graphql-ws. The alert
// cursor is saved after every alert, so that after a restart the alerts raised meanwhile are replayed first.
//
//   npm run example:duty        (against `npm start`)
//   DUTY_USER        who signs in (default gd.duty, DUTY_MANAGER of the province)
//   DUTY_STATE_FILE  where the alert cursor is kept (default .data/duty-example.json)
//   FOLLOW_SECONDS   how long to follow (default 15); STOP_AFTER_ALERTS: stop sooner, after that many alerts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { graphql } from './gql/index.js';
import { deadline, detail, run, say, signIn, socket, subscribe } from './lib.js';

const USER = process.env.DUTY_USER ?? 'gd.duty';
const STATE_FILE =
  process.env.DUTY_STATE_FILE ?? join(process.env.DATA_DIR ?? '.data', 'duty-example.json');
const FOLLOW_SECONDS = Number(process.env.FOLLOW_SECONDS ?? 15);
const STOP_AFTER_ALERTS = Number(process.env.STOP_AFTER_ALERTS ?? Infinity);

type State = { alertCursor: string | null };
const load = (): State =>
  existsSync(STATE_FILE)
    ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State)
    : { alertCursor: null };
function save(state: State) {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state)}\n`);
}

const Briefing = graphql(`
  query DutyBriefing {
    dutyBriefing {
      unit { code name }
      openByStatus { status count }
      overdue
      majorOpen
      escalated
      receivedToday
      warnings
    }
  }
`);

const Alerts = graphql(`
  subscription DutyAlerts($after: String) {
    slaAlerts(after: $after) { cursor kind clock at dueAt complaint { number status severity } }
  }
`);

const Events = graphql(`
  subscription DutyEvents { complaintEvents { action at toStatus complaint { number } } }
`);

async function main() {
  say(`Sign in as ${USER}`);
  const { client, token } = await signIn(USER);

  say('Read the duty briefing');
  const { dutyBriefing: b } = await client.request(Briefing);
  detail(
    `${b.unit.code} ${b.unit.name}: ${b.overdue} overdue, ${b.majorOpen} MAJOR/URGENT open, ${b.escalated} escalated, ${b.receivedToday} received today`,
  );
  detail(
    `open by state: ${b.openByStatus.map((s) => `${s.status} ${s.count}`).join(', ') || 'none'}`,
  );
  for (const w of b.warnings) detail(`warning: ${w}`);

  const state = load();
  say(
    `Follow SLA alerts${state.alertCursor ? ` (resuming after the saved cursor ${state.alertCursor})` : ''} and case events over graphql-ws, for up to ${FOLLOW_SECONDS} s`,
  );
  const ws = socket({ authorization: `Bearer ${token}` });
  const stop = deadline(FOLLOW_SECONDS);
  let alerts = 0;
  let events = 0;
  console.log('Following…');
  try {
    await Promise.all([
      (async () => {
        for await (const { slaAlerts: a } of subscribe(
          ws,
          Alerts,
          { after: state.alertCursor },
          stop.signal,
        )) {
          detail(
            `SLA ${a.kind} ${a.clock} on ${a.complaint.number} (${a.complaint.status}, ${a.complaint.severity ?? 'no severity'}): due ${a.dueAt}`,
          );
          if (a.cursor) save({ alertCursor: a.cursor });
          // Enough: stop half a second later, so that events committed with it are printed too.
          if (++alerts >= STOP_AFTER_ALERTS) setTimeout(() => stop.abort(), 500);
        }
      })(),
      (async () => {
        for await (const { complaintEvents: e } of subscribe(ws, Events, {}, stop.signal)) {
          detail(
            `event ${e.action} on ${e.complaint.number}${e.toStatus ? ` → ${e.toStatus}` : ''} at ${e.at}`,
          );
          events++;
        }
      })(),
    ]);
  } finally {
    await ws.dispose();
  }
  console.log(`Stopped after ${alerts} alerts and ${events} events.`);
}

run(main);
