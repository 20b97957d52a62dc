/**
 * Inputs of the case actions tests play most often, named by what they do, so that a
 * played story reads one step a line: `x.act('gd.agent', 'ACCEPT', c, accepted('MAJOR'))`.
 */

/** ACCEPT: the line, category and severity a case is accepted under (a mobile network fault unless told). */
export const accepted = (
  severity: 'ORDINARY' | 'MAJOR' | 'URGENT',
  businessLine = 'mobile',
  category = 'NETWORK_TECHNICAL',
) => ({ businessLine, category, severity });

/** CONTACT_CUSTOMER: one contact with the customer. */
export const contact = (method: 'PHONE' | 'SMS' | 'EMAIL', content: string) => ({
  method,
  content,
});

/** RECORD_INVESTIGATION: the initial investigation's findings. */
export const investigation = (findings: string) => ({ kind: 'INITIAL' as const, findings });

/** DETERMINE_RESPONSIBILITY: a valid complaint, its service restored. */
export const validRestored = (rootCause: string) => ({
  nature: 'VALID' as const,
  rootCause,
  remedy: { kind: 'SERVICE_RESTORED' as const },
});

/** A partner's interconnection complaint (submitInterconnectionComplaint); `over` replaces fields. */
export const interconnectionInput = (
  idempotencyKey: string,
  over: Record<string, unknown> = {},
) => ({
  idempotencyKey,
  title: 'Calls to our subscribers fail',
  description: 'Calls from our network to 138 numbers fail at the trunk since 08:00.',
  category: 'CALL_COMPLETION',
  customer: { name: '李四', phone: '13900001111' },
  ...over,
});
