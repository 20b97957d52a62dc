import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize, chainHash, sha256Hex } from '../../src/domain/canonical-json.js';

/** The double with the given IEEE 754 bit pattern. */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('D56 RFC 8785 canonical JSON', () => {
  it('D56: object keys are sorted, no whitespace', () => {
    expect(canonicalize({ b: 1, a: [1, 2, { d: null, c: true }], '': false })).toBe(
      '{"":false,"a":[1,2,{"c":true,"d":null}],"b":1}',
    );
  });
  it('D56: uppercase sorts before lowercase (UTF-16 code units, not locale)', () => {
    expect(canonicalize({ b: 1, a: 2, B: 3, A: 4, _: 5 })).toBe('{"A":4,"B":3,"_":5,"a":2,"b":1}');
  });
  it('D56: non-ASCII keys sort by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
        '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    const keys = Object.keys(JSON.parse(canonicalize(input)));
    expect(keys).toEqual(['1', '\r', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    // "1" is an integer-like key: JS objects list it first; the canonical text must still put "\r" first
    expect(
      canonicalize(input).startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"'),
    ).toBe(true);
    // the emoji (U+D83D…) sorts before U+FB33 by code units, though after it by code point
    expect(
      canonicalize(input).endsWith(
        '"😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      ),
    ).toBe(true);
  });
  it('D56: Chinese keys sort by code unit', () => {
    expect(canonicalize({ 张: 1, 三: 2, a: 3 })).toBe('{"a":3,"三":2,"张":1}');
  });
  it('D56: nested objects and arrays keep array order', () => {
    expect(canonicalize({ z: [{ y: 1, x: [3, 2, 1] }], a: { c: { e: 1, d: 2 } } })).toBe(
      '{"a":{"c":{"d":2,"e":1}},"z":[{"x":[3,2,1],"y":1}]}',
    );
  });
  it('D56: the RFC 8785 §3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });
  it('D56: numbers serialise as ECMAScript does: 1e21, 0.1, -0', () => {
    expect(canonicalize([1e21, 1e20, 0.1, -0, 0, -1.5, 1e-7, 123456789012])).toBe(
      '[1e+21,100000000000000000000,0.1,0,0,-1.5,1e-7,123456789012]',
    );
  });
  it('D56: the RFC 8785 Appendix B number examples', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['0010000000000000', '2.2250738585072014e-308'],
      ['433fffffffffffff', '9007199254740991'],
      ['4340000000000000', '9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af6', '1e+23'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555555', '333333333.3333333'],
    ];
    for (const [bits, text] of cases) expect(canonicalize(fromBits(bits)), bits).toBe(text);
  });
  it('D56: NaN and Infinity are refused', () => {
    expect(() => canonicalize(NaN)).toThrow(TypeError);
    expect(() => canonicalize({ a: [Infinity] })).toThrow(TypeError);
    expect(() => canonicalize(-Infinity)).toThrow(TypeError);
    expect(() => canonicalize(1n)).toThrow(TypeError);
  });
  it('D56: strings are escaped as JSON.stringify does', () => {
    expect(canonicalize('a"b\\c\n\t\u0001\u001f/')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u001f/"');
    expect(canonicalize('张三 😀 \u2028 é')).toBe('"张三 😀 \u2028 é"');
    expect(canonicalize('\ud800')).toBe('"\\ud800"'); // a lone surrogate, as well-formed JSON.stringify
  });
  it('D56: undefined members are omitted from objects and null in arrays; null stays', () => {
    expect(canonicalize({ a: undefined, b: null, c: [undefined] })).toBe('{"b":null,"c":[null]}');
    expect(() => canonicalize(undefined)).toThrow(TypeError);
  });
  it('D56: dates serialise through toJSON', () => {
    expect(canonicalize({ at: new Date('2026-11-23T02:00:00Z') })).toBe(
      '{"at":"2026-11-23T02:00:00.000Z"}',
    );
  });
  it('D56: an event body in the shape D56 names', () => {
    const body = {
      toStatus: 'ACCEPTED',
      payload: { note: null },
      fromStatus: 'RECEIVED',
      complaint: 'Q29tcGxhaW50OjE=',
      at: '2026-11-23T10:00:00.000+08:00',
      actor: 'VXNlcjox',
      action: 'ACCEPT',
    };
    expect(canonicalize(body)).toBe(
      '{"action":"ACCEPT","actor":"VXNlcjox","at":"2026-11-23T10:00:00.000+08:00","complaint":"Q29tcGxhaW50OjE=",' +
        '"fromStatus":"RECEIVED","payload":{"note":null},"toStatus":"ACCEPTED"}',
    );
  });
});

describe('D56 hash chain', () => {
  const independent = (s: string) =>
    createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

  it('D56: sha256Hex gives lower-case hex of known vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('张三')).toBe(independent('张三'));
  });
  it('D56: the first event hashes the empty string, a line feed and the body', () => {
    const body = canonicalize({ action: 'REGISTER', fromStatus: null, toStatus: 'RECEIVED' });
    expect(chainHash(null, body)).toBe(independent(`\n${body}`));
  });
  it('D56: a later event chains to the previous hash', () => {
    const first = chainHash(null, '{"a":1}');
    const second = chainHash(first, '{"b":"投诉"}');
    expect(second).toBe(independent(`${first}\n{"b":"投诉"}`));
    expect(second).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(first, '{"b":"投诉"}')).not.toBe(chainHash(null, '{"b":"投诉"}'));
  });
});
