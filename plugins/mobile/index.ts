import { z } from 'zod';
import { cityNamedInAddress, definePlugin, text } from '../../src/domain/plugin.js';

export default definePlugin({
  code: 'mobile',
  name: '移动 Mobile',
  details: z.strictObject({
    msisdn: text().optional(),
    imei: z
      .string()
      .trim()
      .regex(/^\d{15}$/, 'must be 15 digits')
      .optional(),
    cellId: text().optional(),
    location: text().optional(),
  }),
  suggest: cityNamedInAddress, // D34
  personalData: { msisdn: 'phone' }, // D50
});
