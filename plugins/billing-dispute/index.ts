import { z } from 'zod';
import { amount, cityNamedInAddress, definePlugin, text } from '../../src/domain/plugin.js';
import { billingDisputeSchema } from './schema.js';

export default definePlugin({
  code: 'billing-dispute',
  name: '计费争议 Billing dispute',
  details: z.strictObject({
    billingPeriod: z
      .string()
      .trim()
      .regex(/^\d{4}-(?:0[1-9]|1[0-2])$/, 'must be YYYY-MM with a month 01–12')
      .optional(),
    disputedAmount: amount().optional(),
    disputedItem: text().optional(),
  }),
  acceptanceWindowMonths: 5, // D8: the regulator's time bar for billing appeals
  callback: 'HANDLING_CITY', // D14: the province's follow-up excludes billing disputes (话费争议除外)
  suggest: cityNamedInAddress, // D34
  schema: billingDisputeSchema, // D36: Complaint.billingAdjustment, recordBillingAdjustment
  remedyRecords: { ADJUSTMENT: { remedy: 'BILL_ADJUSTED', amountField: 'amount' } }, // D31: refunds recorded count as bill adjustments
});
