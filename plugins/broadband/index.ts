import { z } from 'zod';
import { cityNamedInAddress, definePlugin, text } from '../../src/domain/plugin.js';

export default definePlugin({
  code: 'broadband',
  name: '宽带 Broadband',
  details: z.strictObject({
    broadbandAccount: text().optional(),
    lineId: text().optional(),
    planMbps: z.int('must be an integer').positive('must be positive').optional(),
  }),
  suggest: cityNamedInAddress, // D34
  personalData: { broadbandAccount: 'account' }, // D50
  secondCallback: 'ALWAYS', // D14
});
