// RFC 8785 JSON Canonicalization Scheme and the event hash chain of D56.
import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785): no whitespace, object members sorted by the
 * UTF-16 code units of their names, strings and numbers serialised as
 * ECMAScript's JSON.stringify does. Like JSON.stringify, `toJSON` is honoured
 * (Dates become ISO strings) and undefined, function and symbol members are
 * omitted from objects and become null in arrays. NaN, ±Infinity and bigint
 * are refused.
 */
export function canonicalize(value: unknown): string {
  const out = serialise(value);
  if (out === undefined) throw new TypeError('canonicalize: the value has no JSON form');
  return out;
}

function serialise(value: unknown): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalize: ${value} is not a JSON number`);
      return JSON.stringify(value); // Number.prototype.toString, and -0 → 0
    case 'bigint':
      throw new TypeError('canonicalize: bigint is not a JSON number');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => serialise(v) ?? 'null').join(',')}]`;
  const obj = value as Record<string, unknown>;
  // The default sort compares strings by UTF-16 code units, as RFC 8785 asks.
  const members = Object.keys(obj)
    .sort()
    .flatMap((k) => {
      const v = serialise(obj[k]);
      return v === undefined ? [] : [`${JSON.stringify(k)}:${v}`];
    });
  return `{${members.join(',')}}`;
}

/** Lower-case hex SHA-256 of the UTF-8 encoding of s. */
export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** An event's hash (D56): SHA-256 of the previous hash ('' for the first), a line feed, and the canonical body. */
export function chainHash(prevHash: string | null, canonicalBody: string): string {
  return sha256Hex(`${prevHash ?? ''}\n${canonicalBody}`);
}
