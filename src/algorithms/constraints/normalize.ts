/**
 * The engine's form of constraints: plain data, one entry per constraint, bare values kept apart
 * from `exact` and `ideal` because SelectSettings treats them as ideal in the basic set and as
 * exact in advanced sets (mediacapture-main §11.1.1).
 */
import type { MediaTrackConstraints, MediaTrackConstraintSet } from './dictionaries.js';
import { CONSTRAINABLE_PROPERTIES, type ConstrainablePropertyName, roundAspectRatio } from './properties.js';

/** A constraint on a numeric property (ConstrainULong, ConstrainDouble). */
export interface NumericConstraint {
  readonly name: ConstrainablePropertyName;
  readonly type: 'numeric';
  readonly min?: number;
  readonly max?: number;
  readonly exact?: number;
  readonly ideal?: number;
  /** A bare value: ideal in the basic set, exact in an advanced set. */
  readonly bare?: number;
}

/**
 * A constraint on a string, boolean, or boolean-or-string property. Each member is a list of
 * acceptable values: "==" is true when the setting equals one of them (§11.1.1).
 */
export interface DiscreteConstraint {
  readonly name: ConstrainablePropertyName;
  readonly type: 'discrete';
  readonly exact?: readonly (string | boolean)[];
  readonly ideal?: readonly (string | boolean)[];
  /** A bare value (or list): ideal in the basic set, exact in an advanced set. */
  readonly bare?: readonly (string | boolean)[];
}

/** One constraint: a property name and what it asks for. */
export type NormalizedConstraint = NumericConstraint | DiscreteConstraint;

/** A constraint set: its constraints in WebIDL member order. Empty constraints are left out. */
export type NormalizedConstraintSet = readonly NormalizedConstraint[];

/** `MediaTrackConstraints` in the engine's form. */
export interface NormalizedConstraints {
  readonly basic: NormalizedConstraintSet;
  readonly advanced: readonly NormalizedConstraintSet[];
}

/**
 * Turns a converted `MediaTrackConstraints` dictionary into the engine's form. Unsupported
 * members are dropped; "an empty constraint == no constraint" (SelectSettings step 1), so `{}`
 * and empty lists are dropped too; aspectRatio values are rounded like the setting is.
 */
export function normalizeConstraints(constraints: MediaTrackConstraints): NormalizedConstraints {
  return {
    basic: normalizeConstraintSet(constraints),
    advanced: (constraints.advanced ?? []).map(normalizeConstraintSet),
  };
}

/** One `MediaTrackConstraintSet` in the engine's form. */
export function normalizeConstraintSet(set: MediaTrackConstraintSet): NormalizedConstraintSet {
  const out: NormalizedConstraint[] = [];
  const values = set as Record<string, unknown>;
  for (const property of CONSTRAINABLE_PROPERTIES) {
    const value = values[property.name];
    if (value === undefined) continue;
    const c =
      property.type === 'ConstrainULong' || property.type === 'ConstrainDouble'
        ? numeric(property.name, value)
        : discrete(property.name, value);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** True for the engine's form, false for a `MediaTrackConstraints` dictionary. */
export function isNormalizedConstraints(value: MediaTrackConstraints | NormalizedConstraints): value is NormalizedConstraints {
  return Array.isArray((value as { basic?: unknown }).basic);
}

function numeric(name: ConstrainablePropertyName, value: unknown): NumericConstraint | undefined {
  const round = name === 'aspectRatio' ? roundAspectRatio : (x: number) => x;
  if (typeof value === 'number') return { name, type: 'numeric', bare: round(value) };
  if (typeof value !== 'object' || value === null) return undefined;
  const range = value as { min?: unknown; max?: unknown; exact?: unknown; ideal?: unknown };
  const c: { -readonly [K in keyof NumericConstraint]: NumericConstraint[K] } = { name, type: 'numeric' };
  let any = false;
  for (const key of ['min', 'max', 'exact', 'ideal'] as const) {
    const v = range[key];
    if (typeof v === 'number') {
      c[key] = round(v);
      any = true;
    }
  }
  return any ? c : undefined;
}

function discrete(name: ConstrainablePropertyName, value: unknown): DiscreteConstraint | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return { name, type: 'discrete', bare: [value] };
  if (Array.isArray(value)) return value.length > 0 ? { name, type: 'discrete', bare: [...value] } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const params = value as { exact?: unknown; ideal?: unknown };
  const exact = list(params.exact);
  const ideal = list(params.ideal);
  if (exact === undefined && ideal === undefined) return undefined;
  return {
    name,
    type: 'discrete',
    ...(exact !== undefined ? { exact } : {}),
    ...(ideal !== undefined ? { ideal } : {}),
  };
}

/** A value or list as a list; an empty list is "no constraint". */
function list(value: unknown): (string | boolean)[] | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return [value];
  if (Array.isArray(value) && value.length > 0) return [...value];
  return undefined;
}
