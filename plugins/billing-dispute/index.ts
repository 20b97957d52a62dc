import { z } from 'zod';
import { amount, definePlugin, text } from '../../src/domain/plugin.js';

export default definePlugin({
  code: 'billing-dispute',
  name: '计费争议 Billing dispute',
  details: z.strictObject({
    billingPeriod: z.string().trim().regex(/^\d{4}-(?:0[1-9]|1[0-2])$/, 'must be YYYY-MM with a month 01–12').optional(),
    disputedAmount: amount().optional(),
    disputedItem: text().optional(),
  }),
  callbackByProvince: true, // D14
});
