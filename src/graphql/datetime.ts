/** The GraphQL layer's DateTime/Date formats are the wire formats of src/wire (the hash chain is defined over them). */
export * from '../wire/datetime.js';
