import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_CATEGORIES } from '../src/domain/enums.js';
import { DomainError } from '../src/domain/errors.js';
import { checkPlugins, LineRegistry, loadPlugins, mergeDetails } from '../src/domain/lines.js';
import { definePlugin } from '../src/domain/plugin.js';

const registry = await loadPlugins();
const F = ['input', 'details'];

/** The DomainError thrown by `fn`, or a failure. */
function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

const refusal = (line: string | null, details: unknown) => {
  const e = domainError(() => registry.validateDetails(line, details, F));
  expect(e.code).toBe('VALIDATION');
  return e;
};

const D58_FIELDS: Record<string, string[]> = {
  'fixed-line': ['phoneNumber', 'faultType'],
  broadband: ['broadbandAccount', 'lineId', 'planMbps'],
  mobile: ['msisdn', 'imei', 'cellId', 'location'],
  enterprise: ['customerCode', 'serviceId', 'slaTier'],
  'billing-dispute': ['billingPeriod', 'disputedAmount', 'disputedItem'],
  interconnection: ['callingNumber', 'calledNumber', 'occurredAt', 'trunkId', 'partnerTicketId'],
  iptv: ['stbId', 'channel', 'symptom'], // D37
};

const fake = (over: Record<string, unknown> = {}) => ({
  code: 'fake-line',
  name: 'Fake',
  categories: [...BASE_CATEGORIES],
  details: z.strictObject({ a: z.string().optional() }),
  ...over,
});

describe('§6 plugin discovery', () => {
  it('§6 D37: loadPlugins finds exactly the seven lines, one per folder', () => {
    expect(
      registry
        .all()
        .map((l) => l.code)
        .sort(),
    ).toEqual(Object.keys(D58_FIELDS).sort());
  });

  it('D4/D58: every line has the five base categories first', () => {
    for (const line of registry.all()) {
      expect(line.categories.slice(0, 5)).toEqual(BASE_CATEGORIES.map((c) => ({ ...c })));
      for (const c of BASE_CATEGORIES) expect(registry.hasCategory(line.code, c.code)).toBe(true);
    }
  });

  it('D58: interconnection adds exactly its four categories, iptv its one; others add none', () => {
    expect(
      registry
        .require('interconnection')
        .categories.slice(5)
        .map((c) => c.code),
    ).toEqual(['CALL_COMPLETION', 'SMS_BLOCKING', 'NUMBER_PORTABILITY', 'SETTLEMENT']);
    expect(registry.hasCategory('mobile', 'SMS_BLOCKING')).toBe(false);
    expect(registry.hasCategory('nope', 'PROCESS')).toBe(false);
    expect(
      registry
        .require('iptv')
        .categories.slice(5)
        .map((c) => c.code),
    ).toEqual(['PLAYBACK']);
    for (const l of registry.all())
      if (l.code !== 'interconnection' && l.code !== 'iptv') expect(l.categories).toHaveLength(5);
  });

  it('D14/D20/D41: line flags and clock overrides', () => {
    expect(registry.require('fixed-line').secondCallback).toBe('ALWAYS');
    expect(registry.require('broadband').secondCallback).toBe('ALWAYS');
    expect(registry.require('mobile').secondCallback).toBeUndefined();
    expect(registry.require('billing-dispute')).toMatchObject({
      callback: 'HANDLING_CITY',
      acceptanceWindowMonths: 5,
    });
    expect(registry.require('interconnection')).toMatchObject({
      alwaysInScope: true,
      registeredBy: 'PARTNERS_AND_LEGAL',
      heldBy: 'LEGAL_OFFICER',
    });
    expect(registry.require('enterprise').clocks).toEqual({
      ACCEPT: { hours: 2 },
      REPAIR: { hours: 4 },
    }); // D72: big customers' repairs
  });

  it('definePlugin freezes the plugin and its categories', () => {
    const line = registry.require('mobile');
    expect(Object.isFrozen(line)).toBe(true);
    expect(Object.isFrozen(line.categories)).toBe(true);
  });

  it('require: an unknown line is a VALIDATION error on the given field', () => {
    const e = domainError(() => registry.require('nope', ['input', 'businessLine']));
    expect([e.code, e.field]).toEqual(['VALIDATION', ['input', 'businessLine']]);
    expect(registry.get('nope')).toBeUndefined();
  });
});

describe('D58 detailsSchema', () => {
  it.each(Object.entries(D58_FIELDS))(
    'D58: %s publishes a strict JSON Schema with its fields',
    (code, fields) => {
      const s = registry.detailsSchema(code) as {
        type: string;
        properties: object;
        additionalProperties: unknown;
        required?: unknown;
      };
      expect(s.type).toBe('object');
      expect(Object.keys(s.properties)).toEqual(fields);
      expect(s.additionalProperties).toBe(false);
      expect(s.required).toBeUndefined(); // all optional
      expect(registry.detailsSchema(code)).toBe(s); // cached
    },
  );

  it('D58: schema carries the field constraints for portals', () => {
    const props = (code: string) =>
      (registry.detailsSchema(code) as { properties: Record<string, Record<string, unknown>> })
        .properties;
    expect(props('fixed-line').faultType.enum).toEqual([
      'NO_DIAL_TONE',
      'NOISE',
      'DROPPED_CALLS',
      'OTHER',
    ]);
    expect(props('broadband').planMbps).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
    expect(props('billing-dispute').disputedAmount).toMatchObject({
      type: 'number',
      minimum: 0,
      multipleOf: 0.01,
    });
    expect(props('interconnection').occurredAt).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(props('mobile').msisdn).toMatchObject({ type: 'string', maxLength: 100 });
  });
});

describe('D58 validateDetails', () => {
  it('D58: details are optional: null and undefined give {}', () => {
    expect(registry.validateDetails('mobile', null, F)).toEqual({});
    expect(registry.validateDetails(null, undefined, F)).toEqual({});
  });

  it('D58: details without a business line are refused', () => {
    expect(refusal(null, { imei: '123456789012345' }).field).toEqual(F);
  });

  it('D58: details for an unknown line are refused on businessLine', () => {
    expect(refusal('nope', {}).field).toEqual(['input', 'businessLine']);
  });

  it('D58: details that are not an object are refused', () => {
    expect(refusal('mobile', 'imei').field).toEqual(F);
    expect(refusal('mobile', ['x']).field).toEqual(F);
  });

  it.each([
    ['fixed-line', { phoneNumber: '020-12345678', faultType: 'NOISE' }],
    ['broadband', { broadbandAccount: 'GZ-001', lineId: 'L9', planMbps: 1000 }],
    [
      'mobile',
      { msisdn: '13800138000', imei: '490154203237518', cellId: 'C1', location: '天河区' },
    ],
    ['enterprise', { customerCode: 'E1', serviceId: 'S1', slaTier: 'GOLD' }],
    ['billing-dispute', { billingPeriod: '2026-11', disputedAmount: 12.5, disputedItem: '流量费' }],
    [
      'interconnection',
      {
        callingNumber: '13800138000',
        calledNumber: '13900139000',
        occurredAt: '2026-11-22T10:00:00+08:00',
        trunkId: 'T1',
        partnerTicketId: 'P-1',
      },
    ],
  ])('D58: %s accepts valid details', (code, details) => {
    expect(registry.validateDetails(code, details, F)).toEqual(details);
  });

  it('D57: text is trimmed; blank text is refused', () => {
    expect(registry.validateDetails('mobile', { cellId: '  C1 ' }, F)).toEqual({ cellId: 'C1' });
    expect(refusal('mobile', { cellId: '   ' }).field).toEqual([...F, 'cellId']);
    expect(refusal('mobile', { location: 'x'.repeat(101) }).field).toEqual([...F, 'location']);
  });

  it.each([
    ['fixed-line', { faultType: 'BROKEN' }, 'faultType'],
    ['fixed-line', { phone: '1' }, 'phone'],
    ['broadband', { planMbps: 0 }, 'planMbps'],
    ['broadband', { planMbps: 100.5 }, 'planMbps'],
    ['broadband', { planMbps: '100' }, 'planMbps'],
    ['mobile', { imei: '12345678901234' }, 'imei'],
    ['mobile', { imei: '1234567890123456' }, 'imei'],
    ['mobile', { imei: '12345678901234a' }, 'imei'],
    ['mobile', { msisdn: 13800138000 }, 'msisdn'],
    ['enterprise', { slaTier: 'PLATINUM' }, 'slaTier'],
    ['enterprise', { imei: '490154203237518' }, 'imei'],
    ['billing-dispute', { billingPeriod: '2026-13' }, 'billingPeriod'],
    ['billing-dispute', { billingPeriod: '2026-00' }, 'billingPeriod'],
    ['billing-dispute', { billingPeriod: '2026-1' }, 'billingPeriod'],
    ['billing-dispute', { disputedAmount: '12.5' }, 'disputedAmount'],
    ['interconnection', { occurredAt: '2026-11-22T10:00:00' }, 'occurredAt'],
    ['interconnection', { occurredAt: '2026-11-22' }, 'occurredAt'],
    ['interconnection', { trunk: 'T1' }, 'trunk'],
  ])('D58: %s refuses %j, path names the field', (code, details, key) => {
    expect(refusal(code, details).field).toEqual([...F, key]);
  });

  it('D58: mobile imei must be 15 digits, path names the field', () => {
    const e = refusal('mobile', { imei: '123' });
    expect(e.field).toEqual(['input', 'details', 'imei']);
    expect(e.message).toMatch(/15 digits/);
  });

  it('D58: an unknown key is refused and named', () => {
    const e = refusal('mobile', { imei: '490154203237518', color: 'red' });
    expect(e.field).toEqual([...F, 'color']);
    expect(e.message).toMatch(/unknown field/);
  });

  it('D57: amounts are ≥ 0 with at most 2 decimals', () => {
    expect(refusal('billing-dispute', { disputedAmount: 1.005 }).field).toEqual([
      ...F,
      'disputedAmount',
    ]);
    expect(refusal('billing-dispute', { disputedAmount: 12.345 }).message).toMatch(/2 decimals/);
    expect(refusal('billing-dispute', { disputedAmount: -1 }).message).toMatch(/negative/);
    for (const ok of [0, 19.99, 0.1 + 0.2, 1234567.89, 100])
      expect(registry.validateDetails('billing-dispute', { disputedAmount: ok }, F)).toEqual({
        disputedAmount: ok,
      });
  });

  it('D58: interconnection occurredAt accepts Z and numeric offsets', () => {
    for (const occurredAt of ['2026-11-22T02:00:00Z', '2026-11-22T10:00:00.123+08:00'])
      expect(registry.validateDetails('interconnection', { occurredAt }, F)).toEqual({
        occurredAt,
      });
  });

  it('D58: acceptance merges its details over those registered, then validates the whole', () => {
    const merged = mergeDetails(
      { msisdn: '13800138000', cellId: 'C1' },
      { cellId: 'C2', imei: '490154203237518' },
    );
    expect(merged).toEqual({ msisdn: '13800138000', cellId: 'C2', imei: '490154203237518' });
    expect(registry.validateDetails('mobile', merged, F)).toEqual(merged);
    expect(mergeDetails({ cellId: 'C1' }, undefined)).toEqual({ cellId: 'C1' });
    expect(mergeDetails(null, null)).toBeNull();
    // registered mobile details do not fit a broadband line set at acceptance
    expect(
      refusal('broadband', mergeDetails({ imei: '490154203237518' }, { lineId: 'L1' })).field,
    ).toEqual([...F, 'imei']);
    expect(refusal('mobile', mergeDetails({ cellId: 'C1' }, 'x')).field).toEqual(F);
  });
});

describe('§6 checkPlugins', () => {
  it('accepts well-formed plugins, with or without definePlugin', () => {
    const defined = definePlugin({
      code: 'x-line',
      name: 'X',
      details: z.strictObject({}),
      extraCategories: [{ code: 'OWN', name: 'Own' }],
    });
    expect(defined.categories.map((c) => c.code)).toEqual([
      ...BASE_CATEGORIES.map((c) => c.code),
      'OWN',
    ]);
    expect(checkPlugins([fake(), defined])).toHaveLength(2);
  });

  it('refuses duplicate line codes, naming both', () => {
    expect(() => checkPlugins([fake(), fake()])).toThrow(/duplicate line code "fake-line"/);
    expect(() => checkPlugins([fake(), fake()], ['folder a', 'folder b'])).toThrow(
      /folder b: duplicate line code "fake-line" \(also folder a\)/,
    );
  });

  it.each([
    [{ code: undefined }, /#1: code undefined is missing or not kebab-case/],
    [{ code: 'Fake_Line' }, /code "Fake_Line" is missing or not kebab-case/],
    [{ name: '' }, /"fake-line": name is missing/],
    [
      { categories: [...BASE_CATEGORIES, { code: 'bad-code', name: 'Bad' }] },
      /"fake-line": category code "bad-code" is not UPPER_SNAKE/,
    ],
    [
      { categories: [...BASE_CATEGORIES, { code: 'PROCESS', name: 'Again' }] },
      /duplicate category code PROCESS/,
    ],
    [{ categories: BASE_CATEGORIES.slice(1) }, /base categories missing: SERVICE_QUALITY/],
    [{ details: { parse() {} } }, /details must be a zod object/],
    [{ details: z.object({}) }, /details must be a strict object/],
    [
      { clocks: { ACCEPTANCE: { hours: 2 } } },
      /"fake-line": clock override for unknown clock ACCEPTANCE/,
    ],
    [{ clocks: { ACCEPT: { hours: 0 } } }, /clock override ACCEPT must be .*positive integer/],
    [{ clocks: { ACCEPT: { hours: -2 } } }, /clock override ACCEPT/],
    [{ clocks: { ACCEPT: { weeks: 1 } } }, /clock override ACCEPT/],
    [{ clocks: { ACCEPT: { hours: 1, minutes: 5 } } }, /clock override ACCEPT/],
    [{ secondCallback: 'SOMETIMES' }, /secondCallback must be ALWAYS or SAMPLE/],
    [{ hooks: { afterEverything() {} } }, /hooks.afterEverything is not a known hook/],
    [{ extraCategories: [] }, /unknown property extraCategories/],
  ])('refuses %o', (over, message) => {
    expect(() => checkPlugins([fake(over)])).toThrow(message);
  });

  it('refuses a default export that is not an object', () => {
    expect(() => checkPlugins([undefined], ['in folder "x"'])).toThrow(
      /in folder "x": the default export is not a plugin object/,
    );
  });

  it('LineRegistry checks the plugins it is given', () => {
    expect(() => new LineRegistry([fake(), fake()])).toThrow(/duplicate line code/);
    expect(new LineRegistry([fake()]).require('fake-line').name).toBe('Fake');
  });
});

describe('§6 loadPlugins from a folder', () => {
  async function withPlugins(files: Record<string, string>, fn: (dir: string) => Promise<void>) {
    const dir = await mkdtemp(join(tmpdir(), 'lines-'));
    try {
      for (const [folder, src] of Object.entries(files)) {
        await mkdir(join(dir, folder));
        await writeFile(join(dir, folder, 'index.js'), src);
      }
      await mkdir(join(dir, 'empty-folder')); // no index: ignored
      await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('§6: an invalid plugin stops the boot with a message naming its folder', () =>
    withPlugins(
      {
        'bad-line': `export default { code: 'Bad Line', name: 'Bad', categories: [], details: {} };`,
      },
      (dir) =>
        expect(loadPlugins(dir)).rejects.toThrow(
          /folder "bad-line": code "Bad Line" is missing or not kebab-case/,
        ),
    ));

  it('§6: a folder without a default export is named', () =>
    withPlugins({ 'no-default': `export const plugin = {};` }, (dir) =>
      expect(loadPlugins(dir)).rejects.toThrow(
        /folder "no-default": the default export is not a plugin object/,
      ),
    ));

  it('§6: a folder that fails to import is named', () =>
    withPlugins({ broken: `export default {` }, (dir) =>
      expect(loadPlugins(dir)).rejects.toThrow(/folder "broken": failed to load/),
    ));

  it('§6: an empty plugins folder gives an empty registry', () =>
    withPlugins({}, async (dir) => expect((await loadPlugins(dir)).all()).toEqual([])));
});
