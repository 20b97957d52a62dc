import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
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

let schema: GraphQLSchema | undefined;

/** The whole schema; every type file is imported above for its side effect on the builder. */
export function getSchema(): GraphQLSchema {
  return (schema ??= builder.toSchema());
}

export const printSortedSchema = () => printSchema(lexicographicSortSchema(getSchema())) + '\n';
