// The subscribers of bench/feed-latency.mts, in a worker thread of their own so
// that their objects stay out of the server's heap: N clients (raw, the
// default, or graphql-ws's createClient), one socket each, one
// `complaintEvents` subscription each. For every event the k-th result of
// every client is timestamped (performance.timeOrigin + now(), comparable
// across threads) and, once all N have it, reported to the main thread as
// { type: 'received', k, times }.

import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();

let clients = [];
let times = []; // times[k][i]: when client i got its k-th event
let counts = [];
let reported = 0;

let have = []; // have[k]: how many clients have their k-th event

function got(i) {
  const t = now();
  const k = counts[i]++;
  (times[k] ??= new Float64Array(counts.length))[i] = t; // filled in any order: a typed array stays dense
  have[k] = (have[k] ?? 0) + 1;
  while (have[reported] === counts.length) {
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
        const connectionParams = {
          authorization: `Bearer ${msg.tokens[(msg.from + i) % msg.tokens.length]}`,
        };
        if (msg.client === 'raw') {
          clients.push(rawClient(msg.url, connectionParams, msg.query, sink, connected));
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
    parentPort.postMessage({
      type: 'opened',
      errors: errors.length,
      sample: errors.slice(0, 3).map((e) => JSON.stringify(e) ?? String(e)),
    });
  } else if (msg.type === 'close') {
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
    parentPort.postMessage({ type: 'closed' });
  }
});

/**
 * CLIENT=raw: graphql-transport-ws over a WebSocket spoken on a bare TCP
 * socket: the RFC 6455 handshake (its Sec-WebSocket-Accept checked), masked
 * frames out, unmasked frames in, parsed straight from the socket's chunks.
 * No stream between the socket and the parser, so the client's cost per
 * message is little more than the read itself.
 */
function rawClient(url, connectionParams, query, sink, connected) {
  const { hostname, port, pathname } = new URL(url);
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1')
    .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  const socket = connect({ host: hostname, port: Number(port), noDelay: true });
  let open = false;
  let pending = null; // bytes of an incomplete frame (or of the handshake's answer)
  const send = (opcode, payload) => {
    const body = Buffer.from(payload);
    const n = body.length;
    if (n > 0xffff) throw new Error('the raw client sends messages of up to 64 KiB'); // 7+16-bit lengths only
    const head =
      n < 126
        ? Buffer.from([0x80 | opcode, 0x80 | n])
        : Buffer.from([0x80 | opcode, 0x80 | 126, n >> 8, n & 255]);
    const mask = randomBytes(4);
    for (let i = 0; i < n; i++) body[i] ^= mask[i & 3];
    socket.write(Buffer.concat([head, mask, body]));
  };
  const sendJson = (m) => send(1, JSON.stringify(m));
  const onText = (text) => {
    const m = JSON.parse(text);
    if (m.type === 'next') sink.next(m.payload);
    else if (m.type === 'connection_ack') {
      sendJson({ id: '1', type: 'subscribe', payload: { query } });
      connected();
    } else if (m.type === 'error') sink.error(m.payload);
    else if (m.type === 'ping') sendJson({ type: 'pong' });
  };
  /** Reads the frames in `b` from `at`; returns where an incomplete one starts (or b.length). */
  const frames = (b, at) => {
    while (at + 2 <= b.length) {
      const opcode = b[at] & 15;
      let n = b[at + 1] & 127;
      let start = at + 2;
      if (n === 126) {
        if (start + 2 > b.length) break;
        n = b.readUInt16BE(start);
        start += 2;
      } else if (n === 127) {
        if (start + 8 > b.length) break;
        n = Number(b.readBigUInt64BE(start));
        start += 8;
      }
      if (start + n > b.length) break;
      if (!(b[at] & 0x80)) throw new Error('fragmented frames are not expected from this server');
      if (opcode === 1) onText(b.toString('utf8', start, start + n));
      else if (opcode === 8) socket.end();
      else if (opcode === 9) send(10, b.subarray(start, start + n));
      at = start + n;
    }
    return at;
  };
  socket.on('connect', () =>
    socket.write(
      `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    ),
  );
  socket.on('data', (chunk) => {
    const b = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = null;
    let at = 0;
    if (!open) {
      const end = b.indexOf('\r\n\r\n');
      if (end < 0) return void (pending = b);
      const head = b.toString('latin1', 0, end);
      if (!/^HTTP\/1\.1 101 /.test(head) || !head.includes(`Sec-WebSocket-Accept: ${accept}`)) {
        sink.error(`handshake refused: ${head.split('\r\n')[0]}`);
        return void socket.destroy();
      }
      open = true;
      sendJson({ type: 'connection_init', payload: connectionParams });
      at = end + 4;
    }
    at = frames(b, at);
    if (at < b.length) pending = b.subarray(at);
  });
  socket.on('error', (e) => sink.error(e));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.once('close', () => connected());
  return {
    dispose() {
      if (!socket.destroyed) send(8, Buffer.from([0x03, 0xe8])); // 1000: the server answers and closes
      return closed;
    },
  };
}
