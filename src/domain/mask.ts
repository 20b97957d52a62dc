// Masks of personal data for viewers who do not work the case (D50).
// Lengths are counted in Unicode code points, so '张三' has two characters.

const stars = (n: number) => '*'.repeat(Math.max(0, n));

/** Keeps the first character: '张三' → '张*', '欧阳娜娜' → '欧***'; a 1-character name → '*'. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return stars(chars.length);
  return chars[0] + stars(chars.length - 1);
}

/**
 * Only digits are considered; separators are dropped ('020-87654321' → '020****4321').
 * - 11 or more digits: the first 3 and the last 4 are kept ('13812345678' → '138****5678').
 * - 5 to 10 digits: only the last 4 are kept ('10000' → '*0000').
 * - fewer than 5: every digit is masked.
 * A leading '+' is kept and not counted, so the first 3 digits of an
 * international number include its country code ('+8613812345678' → '+861******5678').
 * One '*' per hidden digit.
 */
export function maskPhone(phone: string): string {
  const plus = phone.trimStart().startsWith('+') ? '+' : '';
  const digits = phone.replace(/\D/g, '');
  const n = digits.length;
  if (n >= 11) return plus + digits.slice(0, 3) + stars(n - 7) + digits.slice(-4);
  if (n >= 5) return plus + stars(n - 4) + digits.slice(-4);
  return plus + stars(n);
}

// The first 区, 县 or 旗 ends the district or county (自治县 and 自治旗 included),
// except a 区 that is none: the province-level 自治区 and 特别行政区, and
// 小区/社区 (residential compounds). Over-masking is the safe failure.
const DISTRICT = /^[\s\S]*?(?:(?<!自治|特别行政|小|社)区|[县旗])/u;

/**
 * Keeps up to and including the district or county, then '****':
 * '广东省广州市天河区体育西路1号' → '广东省广州市天河区****'. Without one, the first 6
 * characters ('Room 5, Some Road' → 'Room 5****'), but always hides at least one.
 */
export function maskAddress(address: string): string {
  if (address === '') return '';
  const district = DISTRICT.exec(address);
  if (district) return `${district[0]}****`;
  const chars = [...address];
  return `${chars.slice(0, Math.min(6, chars.length - 1)).join('')}****`;
}

/** Keeps the last 4 characters, one '*' per hidden one: '6222021234565678' → '************5678'; ≤ 4 → all '*'. */
export function maskAccount(account: string): string {
  const chars = [...account];
  if (chars.length <= 4) return stars(chars.length);
  return stars(chars.length - 4) + chars.slice(-4).join('');
}

export interface CustomerPersonalData {
  name: string | null;
  phone: string | null;
  address: string | null;
  accountNumber: string | null;
}

const maybe = (f: (s: string) => string, v: string | null) => (v === null ? null : f(v));

/** The same record with its personal data masked; nulls stay null, other fields are kept. */
export function maskCustomer<T extends CustomerPersonalData>(c: T): T {
  return {
    ...c,
    name: maybe(maskName, c.name),
    phone: maybe(maskPhone, c.phone),
    address: maybe(maskAddress, c.address),
    accountNumber: maybe(maskAccount, c.accountNumber),
  };
}

/** D50: `details` with the line's personal-data fields masked by their kind; other fields as they are. */
export function maskDetails(
  details: Record<string, unknown>,
  fields: Readonly<Record<string, 'name' | 'phone' | 'address' | 'account'>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...details };
  for (const [field, kind] of Object.entries(fields)) {
    const v = out[field];
    if (typeof v !== 'string') continue;
    out[field] =
      kind === 'name'
        ? maskName(v)
        : kind === 'phone'
          ? maskPhone(v)
          : kind === 'address'
            ? maskAddress(v)
            : maskAccount(v);
  }
  return out;
}

/** What a viewer is served of a case's customer; `masked` false only when the full data is shown (and must be logged, D50). */
export type CustomerView = CustomerPersonalData & { masked: boolean };

type CustomerColumns = {
  customerName: string | null;
  customerPhone: string | null;
  customerAddress: string | null;
  customerAccount: string | null;
  anonymisedAt: Date | null;
};

/**
 * D50, the one customer view the API and the CSV export serve: in full for
 * those who work the case (`seesPersonalData`, src/auth), masked for every
 * other reader; an anonymised case (D15) shows its anonymised values, masked.
 */
export function customerView(c: CustomerColumns, seesPersonalData: boolean): CustomerView {
  const full = {
    name: c.customerName,
    phone: c.customerPhone,
    address: c.customerAddress,
    accountNumber: c.customerAccount,
  };
  if (c.anonymisedAt) return { ...full, masked: true };
  if (seesPersonalData) return { ...full, masked: false };
  return { ...maskCustomer(full), masked: true };
}
