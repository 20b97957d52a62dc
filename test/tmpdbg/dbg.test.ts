import { it } from 'vitest';
import { createRequire } from 'node:module';
import { GraphQLError } from 'graphql';
import { forbidden } from '../../src/graphql/errors.js';
it('dbg', async () => {
  const req = createRequire(import.meta.url);
  const cjs = req('graphql');
  const yogaErr = await import('graphql-yoga');
  console.log('same as cjs', GraphQLError === cjs.GraphQLError, forbidden('x') instanceof cjs.GraphQLError, forbidden('x') instanceof GraphQLError);
  console.log(Object.keys(yogaErr).filter(k => /rror/.test(k)));
  console.log(yogaErr.createGraphQLError('x') instanceof cjs.GraphQLError);
});
