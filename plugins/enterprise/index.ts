import { z } from 'zod';
import { definePlugin, provinceCentre, text } from '../../src/domain/plugin.js';

export default definePlugin({
  code: 'enterprise',
  name: '政企 Enterprise',
  details: z.strictObject({
    customerCode: text().optional(),
    serviceId: text().optional(),
    slaTier: z.enum(['GOLD', 'SILVER', 'BRONZE']).optional(),
  }),
  suggest: provinceCentre, // D34: the province's big-customer centre
  personalData: { customerCode: 'account' }, // D50
  // D20: group and big customers are accepted faster; D72: their fault reports are repaired within 4 hours.
  clocks: { ACCEPT: { hours: 2 }, REPAIR: { hours: 4 } },
});
