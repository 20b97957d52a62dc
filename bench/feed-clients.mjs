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
        const sink = {
          next: (r) => (r.errors ? errors.push(r.errors) : got(i)),
          error: (e) => errors.push(e),
          complete: () => {},
        };
        const connectionParams = { authorization: `Bearer ${msg.tokens[(msg.from + i) % msg.tokens.length]}` };
        if (msg.client === 'plain') {
          clients.push(plainClient(msg.url, connectionParams, msg.query, sink, connected));
          continue;
        }
        const client = createClient({
          url: msg.url,
          webSocketImpl: WebSocket,
          connectionParams,
          retryAttempts: 0,
          lazy: true,
          on: { connected: () => connected(), closed: () => connected() },
        });
        clients.push(client);
        client.subscribe({ query: msg.query }, sink);
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

/**
 * CLIENT=plain: one subscription over graphql-transport-ws spoken directly on
 * a `ws` socket (connection_init, subscribe, then `next` messages parsed with
 * JSON.parse), without graphql-ws's client around it.
 */
function plainClient(url, connectionParams, query, sink, connected) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
  socket.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.type === 'next') sink.next(m.payload);
    else if (m.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      connected();
    } else if (m.type === 'error') sink.error(m.payload);
    else if (m.type === 'ping') socket.send('{"type":"pong"}');
  });
  socket.on('close', (code, reason) => {
    if (code !== 1000) sink.error(`closed ${code} ${reason}`);
    connected();
  });
  socket.on('error', (e) => sink.error(e));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  return {
    dispose() {
      socket.close(1000);
      return closed;
    },
  };
}
