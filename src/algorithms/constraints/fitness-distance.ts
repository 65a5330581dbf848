/**
 * The fitness distance between a settings dictionary and a constraint set
 * (https://w3c.github.io/mediacapture-main/#dfn-fitness-distance §11.1.1, "We define the fitness distance ...").
 */
import type { NormalizedConstraint, NormalizedConstraintSet, NumericConstraint, DiscreteConstraint } from './normalize.js';
import { constrainableProperty } from './properties.js';

/** A settings dictionary: one value for each constrainable property an object has. */
export type SettingsDictionary = Readonly<Record<string, number | string | boolean | undefined>>;

/**
 * How a bare value is read: SelectSettings step 3 treats bare values in the basic set as
 * "ideal", step 5 treats bare values in advanced sets as "exact".
 */
export type BareValues = 'ideal' | 'exact';

/**
 * Which properties apply to the object ("If the constraint does not apply for this type of
 * object"). Absent: every supported property applies.
 */
export type Applies = (name: string) => boolean;

/**
 * The fitness distance between `settings` and `constraintSet`: the sum over the set's
 * constraints of {@link constraintFitnessDistance}. Positive infinity means `settings` does not
 * satisfy the set.
 */
export function fitnessDistance(
  settings: SettingsDictionary,
  constraintSet: NormalizedConstraintSet,
  bareValues: BareValues,
  applies?: Applies,
): number {
  let sum = 0;
  for (const constraint of constraintSet) {
    sum += constraintFitnessDistance(settings[constraint.name], constraint, bareValues, applies);
    if (sum === Infinity) return Infinity;
  }
  return sum;
}

/**
 * The fitness distance of one constraint (constraintName, constraintValue) given the settings
 * dictionary's value for that property (`actual`, undefined when it does not exist).
 */
export function constraintFitnessDistance(
  actual: number | string | boolean | undefined,
  constraint: NormalizedConstraint,
  bareValues: BareValues,
  applies?: Applies,
): number {
  const name = constraint.name;
  // 1. If constraintName is not supported by the User Agent, the fitness distance is 0.
  if (constrainableProperty(name) === undefined) return 0;
  // 3. (checked before step 2) If the constraint does not apply for this type of object, the
  //    fitness distance is 0. Taken first because a required constraint on a property the track
  //    does not have would otherwise be infinite by step 2, while the spec means such
  //    constraints to be ignored (getUserMedia step 11.3.3 removes them; w3c/mediacapture-main
  //    PR #542), which is what browsers do.
  if (applies !== undefined && !applies(name)) return 0;
  //    Screen Capture §5.4: the displaySurface constraint "is ignored for all other purposes"
  //    than ordering the user's choices, and can never cause OverconstrainedError.
  if (name === 'displaySurface') return 0;
  // 2. If the constraint is required (min, max or exact, or a bare value in an advanced set) and
  //    the settings dictionary's value does not satisfy it or does not exist: positive infinity.
  if (isRequired(constraint, bareValues) && (actual === undefined || !satisfies(actual, constraint, bareValues))) {
    return Infinity;
  }
  // 4. If constraintValue is a boolean but the property is not: no supported property has such
  //    a union type (ConstrainBooleanOrDouble belongs to Image Capture's PTZ properties).
  // 5. If the settings dictionary's constraintName member does not exist, the distance is 1.
  if (actual === undefined) return 1;
  // 6. If no ideal value is specified, the fitness distance is 0.
  if (constraint.type === 'numeric') {
    const ideal = constraint.ideal ?? (bareValues === 'ideal' ? constraint.bare : undefined);
    if (ideal === undefined) return 0;
    // 7. Positive numeric constraints: (actual == ideal) ? 0 : |actual - ideal| / max(|actual|, |ideal|).
    return numericDistance(actual as number, ideal);
  }
  const ideal = constraint.ideal ?? (bareValues === 'ideal' ? constraint.bare : undefined);
  if (ideal === undefined) return 0;
  // 8. String, enum and boolean constraints: (actual == ideal) ? 0 : 1, where "==" is true when
  //    one of the values in the sequence is exactly the value compared against.
  return ideal.includes(actual as string | boolean) ? 0 : 1;
}

/** Step 7's formula. */
export function numericDistance(actual: number, ideal: number): number {
  return actual === ideal ? 0 : Math.abs(actual - ideal) / Math.max(Math.abs(actual), Math.abs(ideal));
}

/**
 * Whether the constraint is required: "constraintValue either contains one or more members
 * named 'min', 'max', or 'exact', or is itself a bare value in an advanced ConstraintSet".
 */
export function isRequired(constraint: NormalizedConstraint, bareValues: BareValues): boolean {
  if (constraint.exact !== undefined) return true;
  if (bareValues === 'exact' && constraint.bare !== undefined) return true;
  return constraint.type === 'numeric' && (constraint.min !== undefined || constraint.max !== undefined);
}

/** Whether `actual` satisfies the required parts (min, max, exact, exact-like bare) of the constraint. */
export function satisfies(actual: number | string | boolean, constraint: NormalizedConstraint, bareValues: BareValues): boolean {
  return constraint.type === 'numeric'
    ? satisfiesNumeric(actual, constraint, bareValues)
    : satisfiesDiscrete(actual, constraint, bareValues);
}

function satisfiesNumeric(actual: number | string | boolean, c: NumericConstraint, bareValues: BareValues): boolean {
  if (typeof actual !== 'number') return false;
  if (c.min !== undefined && !(actual >= c.min)) return false;
  if (c.max !== undefined && !(actual <= c.max)) return false;
  if (c.exact !== undefined && actual !== c.exact) return false;
  if (bareValues === 'exact' && c.bare !== undefined && actual !== c.bare) return false;
  return true;
}

function satisfiesDiscrete(actual: number | string | boolean, c: DiscreteConstraint, bareValues: BareValues): boolean {
  if (typeof actual === 'number') return false;
  if (c.exact !== undefined && !c.exact.includes(actual)) return false;
  if (bareValues === 'exact' && c.bare !== undefined && !c.bare.includes(actual)) return false;
  return true;
}
