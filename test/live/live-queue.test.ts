import { describe, expect, it } from 'vitest';
import { LiveQueue } from '../../src/live/live-queue.js';
import { prng } from '../support/random.js';

/**
 * Issue "live feeds": the buffer between the feed and one subscriber
 * (src/live/live-queue.ts). Values leave in the order they came, however
 * pushes and takes interleave (its ring wraps and grows); the slow-consumer
 * cap of test/live/feed.test.ts counts on `size`.
 */

describe('LiveQueue (issue "live feeds")', () => {
  it('gives values back in push order through any interleaving of push, take and shift, its size always the count left', () => {
    const random = prng(7).next; // seeded: the same interleavings on every run
    const q = new LiveQueue<number>();
    const model: number[] = [];
    let pushed = 0;
    for (let step = 0; step < 5_000; step++) {
      const r = random();
      if (r < 0.55) {
        // bursts of up to 40 pushes make the ring grow while it has wrapped
        const burst = 1 + Math.floor(random() * (r < 0.05 ? 40 : 3));
        for (let i = 0; i < burst; i++) {
          q.push(pushed);
          model.push(pushed++);
        }
      } else if (r < 0.8) {
        const t = q.take();
        expect(t).toEqual(model.length ? { done: false, value: model.shift() } : null);
      } else if (model.length) {
        expect(q.shift()).toBe(model.shift());
      } else {
        expect(() => q.shift()).toThrow(/empty/);
      }
      expect(q.size).toBe(model.length);
    }
    expect(pushed).toBeGreaterThan(1_000);
  });

  it('a synchronous consumer is called within each push; a waiting next() gets the value directly', async () => {
    const q = new LiveQueue<string>();
    const seen: string[] = [];
    const waiting = q.next();
    q.push('a'); // to the waiting next(), not buffered
    expect(await waiting).toEqual({ value: 'a', done: false });
    q.onReady(() => {
      while (q.size > 0) seen.push(q.shift());
    });
    q.push('b');
    expect(seen).toEqual(['b']);
    q.push('c');
    expect(seen).toEqual(['b', 'c']);
    expect(q.size).toBe(0);
  });

  it('drained() waits for the last take; ended with an error, it gives what it holds first, then the error once, then done', async () => {
    const q = new LiveQueue<number>();
    for (let n = 1; n <= 6; n++) q.push(n); // past the first ring's four slots
    let drained = false;
    const d = q.drained().then(() => (drained = true));
    for (let n = 1; n <= 5; n++) expect(q.take()).toEqual({ done: false, value: n });
    await Promise.resolve();
    expect(drained).toBe(false);
    await expect(q.next()).resolves.toEqual({ value: 6, done: false });
    await d;
    expect(drained).toBe(true);

    q.push(7);
    q.push(8);
    q.end(new Error('too slow'));
    q.push(9); // ignored once ended
    expect(q.take()).toEqual({ done: false, value: 7 });
    await expect(q.next()).resolves.toEqual({ value: 8, done: false });
    expect(q.take()).toEqual({ done: true, error: new Error('too slow') });
    expect(q.take()).toEqual({ done: true });
  });

  it('return() drops what it holds and runs onReturn once; later pushes are ignored', async () => {
    let returned = 0;
    const q = new LiveQueue<number>(() => returned++);
    for (let n = 1; n <= 9; n++) q.push(n);
    await q.return();
    await q.return();
    q.push(10);
    expect([q.size, q.done, returned]).toEqual([0, true, 1]);
    await expect(q.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
