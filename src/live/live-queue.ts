/**
 * The buffer between the event feed and one subscriber: a plain async
 * iterator over a queue. `push` never waits (the feed delivers to every
 * subscriber in one synchronous pass); the consumer takes values with
 * `next()`, or synchronously with `take()` when it registered `onReady`;
 * `end(error?)` finishes it; `return()` (the subscriber leaving) runs
 * `onReturn` once. A live queue costs one small ring of slots and one
 * pending promise at most, and a value passing through allocates nothing,
 * so a fan-out to a thousand subscribers stays cheap.
 */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  /** A ring: `#size` values from `#head`, its length a power of two. */
  #ring: (T | undefined)[] = new Array(4);
  #head = 0;
  #size = 0;
  #waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | null = null;
  #drained: (() => void)[] = [];
  #done = false;
  #error: unknown = undefined;
  #failed = false;
  readonly #onReturn: () => void;
  #ready: (() => void) | null = null;

  constructor(onReturn: () => void = () => {}) {
    this.#onReturn = onReturn;
  }

  /** Values pushed and not yet taken. */
  get size() {
    return this.#size;
  }

  get done() {
    return this.#done;
  }

  push(value: T): void {
    if (this.#done) return;
    const w = this.#waiting;
    if (w) {
      this.#waiting = null;
      w.resolve({ value, done: false });
    } else {
      if (this.#size === this.#ring.length) this.#grow();
      this.#ring[(this.#head + this.#size++) & (this.#ring.length - 1)] = value;
      this.#ready?.();
    }
  }

  /**
   * A synchronous consumer: `ready` runs within every `push` and `end`, and
   * takes what it can with `take()`; what it leaves stays buffered (and
   * counts in `size`) until it takes it, e.g. when called again itself.
   */
  onReady(ready: () => void): void {
    this.#ready = ready;
    if (this.size > 0 || this.#done) ready();
  }

  /** The next buffered value; `null` while there is none; once ended and empty, `done` (with the error it ended with). */
  take(): { done: false; value: T } | { done: true; error?: unknown } | null {
    if (this.size > 0) return { done: false, value: this.#shift() };
    if (this.#failed) {
      this.#failed = false;
      return { done: true, error: this.#error };
    }
    return this.#done ? { done: true } : null;
  }

  /** The next buffered value as it is (what `take()` wraps), for a synchronous consumer that checked `size > 0`. */
  shift(): T {
    if (this.#size === 0) throw new Error('LiveQueue.shift on an empty queue');
    return this.#shift();
  }

  /** Ends the stream: after what is buffered with `error` (thrown to the consumer), or plainly. */
  end(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    if (error !== undefined) {
      this.#failed = true;
      this.#error = error;
    }
    this.#settle();
    this.#onReturn();
    this.#ready?.();
  }

  /** Resolves once everything pushed so far has been taken (or the stream ended). */
  drained(): Promise<void> {
    if (this.size === 0 || this.#done) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) return Promise.resolve({ value: this.#shift(), done: false });
    if (this.#failed) {
      this.#failed = false;
      return Promise.reject(this.#error);
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.#ring.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    this.#failed = false;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  #shift(): T {
    const value = this.#ring[this.#head] as T;
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#ring.length - 1);
    if (--this.#size === 0 && this.#drained.length) for (const d of this.#drained.splice(0)) d();
    return value;
  }

  /** Twice the slots, the values moved to the front in order. */
  #grow() {
    const ring = new Array<T | undefined>(this.#ring.length * 2);
    for (let i = 0; i < this.#size; i++)
      ring[i] = this.#ring[(this.#head + i) & (this.#ring.length - 1)];
    this.#ring = ring;
    this.#head = 0;
  }

  #settle() {
    for (const d of this.#drained.splice(0)) d();
    const w = this.#waiting;
    if (!w || this.size > 0) return;
    this.#waiting = null;
    if (this.#failed) {
      this.#failed = false;
      w.reject(this.#error);
    } else w.resolve({ value: undefined, done: true });
  }
}
