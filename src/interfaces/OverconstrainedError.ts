/**
 * OverconstrainedError (https://w3c.github.io/mediacapture-main/#overconstrainederror-interface
 * §7.1). The algorithms throw it, so the class is defined with the other errors, in
 * src/platform/errors.ts, below them; this module is its place among the IDL classes.
 */
export { OverconstrainedError, overconstrained } from '../platform/errors.js';
