import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  amount,
  code,
  futureDeadline,
  LIMITS,
  pageSize,
  phone,
  text,
} from '../../src/domain/input.js';

/** Runs f and returns the DomainError it throws. */
function refusal(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

const F = ['input', 'title'];

describe('D57 text', () => {
  it('D57: text is trimmed', () => {
    expect(text('  a title \n', F, { max: LIMITS.title })).toBe('a title');
  });
  it('D57: a required text that is blank is missing', () => {
    for (const v of ['', '   \t', null, undefined]) {
      const e = refusal(() => text(v, F, { required: true, max: LIMITS.title }));
      expect(e.code).toBe('VALIDATION');
      expect(e.field).toEqual(F);
      expect(e.message).toBe('title is required');
    }
  });
  it('D57: an optional blank text is null', () => {
    expect(text('  ', F, { max: LIMITS.note })).toBeNull();
    expect(text(undefined, F, { max: LIMITS.note })).toBeNull();
  });
  it('D57: a title of 200 characters passes, 201 is refused', () => {
    expect(text('a'.repeat(200), F, { required: true, max: LIMITS.title })).toHaveLength(200);
    const e = refusal(() => text('a'.repeat(201), F, { required: true, max: LIMITS.title }));
    expect(e.code).toBe('VALIDATION');
    expect(e.field).toEqual(F);
    expect(e.message).toBe('title must be at most 200 characters');
  });
  it('D57: Chinese characters count as one each (astral ones too)', () => {
    expect(text('投'.repeat(200), F, { max: LIMITS.title })).toBe('投'.repeat(200));
    expect(() => text('投'.repeat(201), F, { max: LIMITS.title })).toThrow(DomainError);
    // 𠀀 is two UTF-16 code units but one character
    expect(text('𠀀'.repeat(200), F, { max: LIMITS.title })).toBe('𠀀'.repeat(200));
  });
  it('D57: the length limit applies after trimming', () => {
    expect(text(` ${'a'.repeat(200)} `, F, { max: LIMITS.title })).toHaveLength(200);
  });
  it('D57: a minimum length is enforced when given', () => {
    expect(refusal(() => text('ab', F, { max: 10, min: 3 })).message).toBe(
      'title must be at least 3 characters',
    );
    expect(text('abc', F, { max: 10, min: 3 })).toBe('abc');
  });
  it('D57: the limits of D57', () => {
    expect(LIMITS).toMatchObject({ title: 200, description: 10_000, note: 5_000 });
  });
});

describe('D57 phone', () => {
  const P = ['input', 'customer', 'phone'];
  it('D57: spaces and hyphens are removed', () => {
    expect(phone('138 1234-5678', P)).toBe('13812345678');
    expect(phone('020-87654321', P)).toBe('02087654321');
    expect(phone(' 10000 ', P)).toBe('10000');
  });
  it("D57: an optional leading '+' is kept", () => {
    expect(phone('+86 138 1234 5678', P)).toBe('+8613812345678');
  });
  it('D57: 5 and 15 digits pass', () => {
    expect(phone('12345', P)).toBe('12345');
    expect(phone('1'.repeat(15), P)).toBe('1'.repeat(15));
  });
  it('D57: 4 digits and 16 digits are refused', () => {
    const e = refusal(() => phone('1234', P));
    expect(e.code).toBe('VALIDATION');
    expect(e.field).toEqual(P);
    expect(() => phone('1'.repeat(16), P)).toThrow(DomainError);
    expect(() => phone(`+${'1'.repeat(16)}`, P)).toThrow(DomainError);
  });
  it("D57: letters, other separators and a '+' not in front are refused", () => {
    for (const v of [
      '1381234567a',
      '(020)87654321',
      '138.1234.5678',
      '138+12345678',
      '++12345',
      '',
      '+',
    ]) {
      expect(() => phone(v, P), v).toThrow(DomainError);
    }
  });
});

describe('D57 amount', () => {
  const A = ['input', 'details', 'disputedAmount'];
  it('D57: amounts with at most 2 decimals pass', () => {
    for (const v of [0, 1, 0.1, 0.01, 19.99, 100.1, 100.1, 12345678.99, 1e15])
      expect(amount(v, A)).toBe(v);
  });
  it('D57: more than 2 decimals are refused: 1.005, 0.001, 1e-7', () => {
    for (const v of [1.005, 0.001, 1e-7, 19.999]) {
      const e = refusal(() => amount(v, A));
      expect(e.code).toBe('VALIDATION');
      expect(e.field).toEqual(A);
    }
  });
  it('D57: negative and non-finite amounts are refused', () => {
    for (const v of [-0.01, -1, NaN, Infinity, -Infinity])
      expect(() => amount(v, A), String(v)).toThrow(DomainError);
  });
  it('D57: an absent amount stays null and -0 reads 0', () => {
    expect(amount(null, A)).toBeNull();
    expect(amount(undefined, A)).toBeNull();
    expect(Object.is(amount(-0, A), 0)).toBe(true);
  });
});

describe('D57 codes', () => {
  const C = ['input', 'code'];
  it('D57: unit codes are 2–32 characters of A–Z, 0–9 and -', () => {
    for (const v of ['GZ', 'GZ-TH', 'GZ-TH-01', 'A'.repeat(32), '01']) expect(code(v, C)).toBe(v);
  });
  it('D57: unit codes that are too short, too long or hold other characters are refused', () => {
    for (const v of ['G', 'A'.repeat(33), 'gz', 'GZ_TH', 'GZ TH', '广州', '']) {
      const e = refusal(() => code(v, C));
      expect(e.code).toBe('VALIDATION');
      expect(e.field).toEqual(C);
    }
  });
  it("D57: a province's code is letters only", () => {
    expect(code('GD', C, { province: true })).toBe('GD');
    expect(code('A'.repeat(32), C, { province: true })).toBe('A'.repeat(32));
    for (const v of ['G1', 'G-D', 'G', 'gd', 'A'.repeat(33)]) {
      expect(() => code(v, C, { province: true }), v).toThrow(DomainError);
    }
  });
});

describe('D57 deadlines', () => {
  const D = ['input', 'deadline'];
  const now = new Date('2026-11-23T10:00:00+08:00');
  const latest = new Date('2026-11-30T18:00:00+08:00');
  it('D57: a deadline in the future and not after the latest passes, the latest itself included', () => {
    const d = new Date('2026-11-25T10:00:00+08:00');
    expect(futureDeadline(d, now, latest, D)).toBe(d);
    expect(futureDeadline(latest, now, latest, D)).toBe(latest);
    expect(futureDeadline(new Date('2030-01-01T00:00:00Z'), now, null, D)).toBeInstanceOf(Date);
  });
  it('D57: a deadline now or in the past is refused', () => {
    for (const d of [now, new Date(now.getTime() - 1)]) {
      const e = refusal(() => futureDeadline(d, now, latest, D));
      expect(e.code).toBe('VALIDATION');
      expect(e.field).toEqual(D);
    }
  });
  it('D57: a deadline after the RESOLVE due time is refused, not cut', () => {
    expect(() => futureDeadline(new Date(latest.getTime() + 1), now, latest, D)).toThrow(
      DomainError,
    );
  });
  it('D57: an invalid date is refused', () => {
    expect(() => futureDeadline(new Date('nonsense'), now, null, D)).toThrow(DomainError);
  });
});

describe('D57 page sizes', () => {
  it('D57: absent page size takes the default', () => {
    expect(pageSize(null, 20, 'first')).toBe(20);
    expect(pageSize(undefined, 50, 'last')).toBe(50);
  });
  it('D57: page sizes 1 and 100 pass', () => {
    expect(pageSize(1, 20, 'first')).toBe(1);
    expect(pageSize(100, 20, 'first')).toBe(100);
  });
  it('D57: page sizes 0, 101, negative and fractional are refused, not cut', () => {
    for (const v of [0, 101, -1, 1.5]) {
      const e = refusal(() => pageSize(v, 20, 'first'));
      expect(e.code).toBe('VALIDATION');
      expect(e.field).toEqual(['first']);
      expect(e.message).toBe('first must be between 1 and 100');
    }
  });
});
