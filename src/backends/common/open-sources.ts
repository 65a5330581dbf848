import type { Source } from '../../media/source.js';

/**
 * The sources a provider has open now: each one added leaves the set when it is released (its
 * last track stopped, or it ended). Providers keep one for `openSources`, which tests and
 * diagnostics read.
 */
export class OpenSources<S extends Source> {
  readonly #sources = new Set<S>();

  /** Adds `source` until it is released; returns it. */
  add(source: S): S {
    this.#sources.add(source);
    source.whenReleased(() => this.#sources.delete(source));
    return source;
  }

  /** The open sources, oldest first. */
  get list(): readonly S[] {
    return [...this.#sources];
  }
}
