// The subscribers of bench/feed-latency.mts, in a worker thread of their own so
// that their objects stay out of the server's heap: N graphql-ws clients, one
// socket each, one `complaintEvents` subscription each. For every event the
// k-th result of every client is timestamped (performance.timeOrigin + now(),
// comparable across threads) and, once all N have it, reported to the main
// thread as { type: 'received', k, times }.
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();

let clients = [];
let times = []; // times[k][i]: when client i got its k-th event
let counts = [];
let reported = 0;

let have = []; // have[k]: how many clients have their k-th event

function got(i) {
  const k = counts[i]++;
  (times[k] ??= [])[i] = now();
  have[k] = (have[k] ?? 0) + 1;
  while (have[reported] === clients.length) {
    parentPort.postMessage({ type: 'received', k: reported, times: times[reported] });
    times[reported] = null;
    reported++;
  }
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'open') {
    clients = [];
    times = [];
    have = [];
    counts = Array(msg.n).fill(0);
    reported = 0;
    const errors = [];
    // In batches of 50, each connected (acknowledged) before the next: paced, rather than a thousand
    // handshakes racing the server's 3 s connection_init deadline at once.
    for (let from = 0; from < msg.n; from += 50) {
      const batch = [];
      for (let i = from; i < Math.min(msg.n, from + 50); i++) {
        let connected;
        batch.push(new Promise((resolve) => (connected = resolve)));
        const client = createClient({
          url: msg.url,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${msg.tokens[i % msg.tokens.length]}` },
          retryAttempts: 0,
          lazy: true,
          on: { connected: () => connected(), closed: () => connected() },
        });
        clients.push(client);
        client.subscribe(
          { query: msg.query },
          {
            next: (r) => (r.errors ? errors.push(r.errors) : got(i)),
            error: (e) => errors.push(e),
            complete: () => {},
          },
        );
      }
      await Promise.all(batch);
    }
    parentPort.postMessage({ type: 'opened', errors: errors.length, sample: errors.slice(0, 3).map((e) => JSON.stringify(e) ?? String(e)) });
  } else if (msg.type === 'close') {
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
    parentPort.postMessage({ type: 'closed' });
  }
});
