import { describe, expect, it } from 'vitest';
import { toLong, toLongLong, toUnsignedLong, toUnsignedLongLong, toDouble, toEnforcedInteger } from '../../src/webidl/converters.js';

describe('WebIDL integer and double conversions', () => {
  it('keeps small values and wraps modulo 2^bits', () => {
    expect(toUnsignedLong(7, 'x')).toBe(7);
    expect(toUnsignedLong(-1, 'x')).toBe(4294967295);
    expect(toUnsignedLong(2 ** 32 + 5, 'x')).toBe(5);
    expect(toLong(2 ** 31, 'x')).toBe(-(2 ** 31));
    expect(toLongLong(7, 'x')).toBe(7);
    expect(toLongLong(-7, 'x')).toBe(-7);
    expect(toUnsignedLongLong(7, 'x')).toBe(7);
    expect(toUnsignedLong(NaN, 'x')).toBe(0);
    expect(toUnsignedLong(Infinity, 'x')).toBe(0);
    expect(toUnsignedLong(3.9, 'x')).toBe(3);
  });

  it('rejects non-finite doubles and symbols with a TypeError naming the value', () => {
    expect(() => toDouble(NaN, 'frameRate')).toThrow(/frameRate/);
    expect(() => toDouble(Infinity, 'frameRate')).toThrow(TypeError);
    expect(() => toDouble(Symbol(), 'frameRate')).toThrow(TypeError);
    expect(toDouble('2.5', 'x')).toBe(2.5);
  });

  it('enforces ranges', () => {
    expect(() => toEnforcedInteger(-1, 'timeslice', 0, 10)).toThrow(/range/);
    expect(toEnforcedInteger(9.9, 'timeslice', 0, 10)).toBe(9);
  });
});
