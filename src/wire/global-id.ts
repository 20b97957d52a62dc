/**
 * Relay global IDs: opaque base64url of `Type:uuid`. Decoding is strict: a
 * string that does not name a known type and a UUID names nothing (D57:
 * `null` in a query, `VALIDATION` in a mutation).
 */
export const NODE_TYPES = [
  'OrgUnit',
  'User',
  'Partner',
  'Complaint',
  'ComplaintEvent',
  'Rectification',
  'Incident',
  'AnalysisReport',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const toGlobalId = (type: NodeType, id: string) =>
  Buffer.from(`${type}:${id}`).toString('base64url');

export function fromGlobalId(globalId: string): { type: NodeType; id: string } | null {
  if (typeof globalId !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  const type = decoded.slice(0, sep) as NodeType;
  const id = decoded.slice(sep + 1);
  if (sep < 0 || !NODE_TYPES.includes(type) || !UUID.test(id)) return null;
  return { type, id };
}

/** The id of a node of the expected type, or null. */
export function idOf(globalId: string | null | undefined, type: NodeType): string | null {
  if (globalId == null) return null;
  const parsed = fromGlobalId(globalId);
  return parsed?.type === type ? parsed.id : null;
}
