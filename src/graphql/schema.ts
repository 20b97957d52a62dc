import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import type { LineRegistry } from '../domain/lines.js';
import { builder } from './builder.js';
import { lineApi } from './line-api.js';
import './scalars.js';
import './errors.js';
import './node.js';
import './org-unit.js';
import './identity.js';
import './connection.js';
import './complaint.js';
import './events.js';
import './complaint-mutations.js';
import './complaint-list.js';
import './calendar.js';
import './subscriptions.js';
import './personal-data.js';
import './audit.js';
import './stats.js';
import './chain-verification.js';
import './rectification-incidents.js';
import './contacts.js';
import './hotspots.js';
import './analysis-report.js';

let schema: GraphQLSchema | undefined;
const added = new Set<string>();

/**
 * The whole schema: every type file is imported above for its side effect on
 * the builder, and each business line's own API (D36) is added from `lines`
 * before it is built, once per process. A line with an API that arrives after
 * the schema was built is a programming error (the server loads its lines
 * first).
 */
export function getSchema(lines?: LineRegistry): GraphQLSchema {
  for (const line of lines?.all() ?? []) {
    if (!line.schema || added.has(line.code)) continue;
    if (schema)
      throw new Error(
        `Business line ${line.code} adds GraphQL after the schema was built: load the lines first`,
      );
    line.schema(lineApi(line.code));
    added.add(line.code);
  }
  return (schema ??= builder.toSchema());
}

export const printSortedSchema = (lines?: LineRegistry) =>
  `${printSchema(lexicographicSortSchema(getSchema(lines)))}\n`;
