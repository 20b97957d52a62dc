import { z } from 'zod';
import { cityNamedInAddress, definePlugin, text } from '../../src/domain/plugin.js';

export default definePlugin({
  code: 'fixed-line',
  name: '固话 Fixed-line',
  details: z.strictObject({
    phoneNumber: text().optional(),
    faultType: z.enum(['NO_DIAL_TONE', 'NOISE', 'DROPPED_CALLS', 'OTHER']).optional(),
  }),
  suggest: cityNamedInAddress, // D34
  personalData: { phoneNumber: 'phone' }, // D50
  secondCallback: 'ALWAYS', // D14
});
