import type { ErrorCode } from './enums.js';

/**
 * The one error class of the domain. Mutations catch it and turn it into a
 * `userErrors` entry (src/graphql/errors.ts); anything else is a bug and is
 * masked by the server.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validation = (field: string[], message: string) =>
  new DomainError('VALIDATION', message, field);
