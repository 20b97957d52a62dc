import { createHash } from 'node:crypto';
import type { AppAbility } from '../auth/abilities.js';
import type { Context } from '../graphql/context.js';

const audiences = new WeakMap<AppAbility, string>();

/**
 * Who a result is computed for: the viewer and a digest of its rules.
 * Two contexts with the same audience get the same answer from the same
 * selection, so live feeds decide and execute once per audience and event
 * (shared-subscriptions.ts), not once per subscription.
 */
export function audienceOf(ctx: Pick<Context, 'viewer' | 'ability'>): string {
  let a = audiences.get(ctx.ability);
  if (a === undefined) {
    const rules = createHash('sha256')
      .update(JSON.stringify(ctx.ability.rules))
      .digest('base64url');
    audiences.set(
      ctx.ability,
      (a = `${ctx.viewer?.kind ?? 'anonymous'}:${ctx.viewer?.id ?? ''}:${rules}`),
    );
  }
  return a;
}
