import { z } from 'zod';
import { cityNamedInAddress, definePlugin, text } from '../../src/domain/plugin.js';

/**
 * D37: IPTV and video services, added as this folder alone: the registry
 * finds it, the engine, the read side and the server need no change.
 */
export default definePlugin({
  code: 'iptv',
  name: 'IPTV 视频 IPTV and video',
  extraCategories: [{ code: 'PLAYBACK', name: '播放质量 Playback quality' }],
  details: z.strictObject({
    stbId: text().optional(),
    channel: text().optional(),
    symptom: z.enum(['NO_SIGNAL', 'FREEZING', 'AUTHENTICATION', 'BILLING', 'OTHER']).optional(),
  }),
  personalData: { stbId: 'account' }, // D50: the set-top box identifies the subscriber
  secondCallback: 'ALWAYS', // D14, D37
  suggest: cityNamedInAddress, // D34
  rootCauses: [{ code: 'HEADEND_FAULT', name: '前端故障 Head-end fault' }], // D79
});
