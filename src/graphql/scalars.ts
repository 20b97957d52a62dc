import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';
import { formatDateTime, isDate, parseDateTime } from './datetime.js';

builder.scalarType('DateTime', {
  description: 'ISO-8601 with offset, e.g. 2026-11-22T09:30:00.000+08:00 (always served in +08:00)',
  serialize: (d) => formatDateTime(d instanceof Date ? d : new Date(d as string)),
  parseValue: (v) => {
    const d = parseDateTime(v);
    if (!d)
      throw new GraphQLError(
        'DateTime must be ISO-8601 with an offset, e.g. 2026-11-22T09:30:00+08:00',
      );
    return d;
  },
});

builder.scalarType('Date', {
  description: 'YYYY-MM-DD, an Asia/Shanghai calendar day',
  serialize: (d) => String(d),
  parseValue: (v) => {
    if (!isDate(v)) throw new GraphQLError('Date must be YYYY-MM-DD');
    return v;
  },
});

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      throw new GraphQLError('JSON literals cannot hold variables');
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});
