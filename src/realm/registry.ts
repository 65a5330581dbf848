/**
 * The IDL classes a realm copies: every class that calls `exposeInterface` is listed here, by its
 * prototype, so that a host object of one of them that reaches a realm can be recognised.
 */
export type HostClass = abstract new (...args: never[]) => object;

const byPrototype = new Map<object, HostClass>();

/** Lists `ctor` as an IDL class of this package (platform/interface.ts `exposeInterface` does it). */
export function registerHostClass(ctor: HostClass): void {
  byPrototype.set(ctor.prototype, ctor);
}

/** The IDL class whose prototype `proto` is, if any. */
export function hostClassOfPrototype(proto: object | null): HostClass | undefined {
  return proto === null ? undefined : byPrototype.get(proto);
}
