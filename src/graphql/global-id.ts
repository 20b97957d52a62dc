/** The GraphQL layer's global IDs are the wire formats of src/wire (the hash chain is defined over them). */
export * from '../wire/global-id.js';
