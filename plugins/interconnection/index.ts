import { z } from 'zod';
import { cityNamedInAddress, definePlugin, text } from '../../src/domain/plugin.js';
import { interconnectionSchema } from './schema.js';

export default definePlugin({
  code: 'interconnection',
  name: '互联互通 Interconnection',
  extraCategories: [
    { code: 'CALL_COMPLETION', name: '呼叫接续 Call completion' },
    { code: 'SMS_BLOCKING', name: '短信拦截 SMS blocking' },
    { code: 'NUMBER_PORTABILITY', name: '携号转网 Number portability' },
    { code: 'SETTLEMENT', name: '网间结算 Interconnect settlement' },
  ],
  details: z.strictObject({
    callingNumber: text().optional(),
    calledNumber: text().optional(),
    occurredAt: z
      .string()
      .trim()
      .pipe(z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' }))
      .optional(),
    trunkId: text().optional(),
    partnerTicketId: text().optional(),
  }),
  personalData: { callingNumber: 'phone', calledNumber: 'phone' }, // D50
  alwaysInScope: true, // D8: OUT_OF_SCOPE is refused
  registeredBy: 'PARTNERS_AND_LEGAL', // D40
  heldBy: 'LEGAL_OFFICER', // D41
  suggest: cityNamedInAddress, // D34
  schema: interconnectionSchema, // D36: submitInterconnectionComplaint
});
