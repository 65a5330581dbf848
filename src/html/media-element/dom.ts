/**
 * The parts of a DOM element the media element code uses. The package is compiled without the
 * DOM library (it runs in Node); jsdom's and happy-dom's elements have these members.
 */
export interface ElementLike extends EventTarget {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly ownerDocument: { readonly URL: string; readonly defaultView: unknown } | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
}

/** The window an element belongs to, as far as its constructors go. */
export type WindowLike = Record<string, unknown> & { Promise?: PromiseConstructor; Event?: typeof Event; performance?: { now(): number } };

/** The element's window (its node document's browsing context), or undefined. */
export function windowOf(element: object): WindowLike | undefined {
  const view = (element as Partial<ElementLike>).ownerDocument?.defaultView;
  return typeof view === 'object' && view !== null ? (view as WindowLike) : undefined;
}
