import { describe, expect, it } from 'vitest';
import { converters, dictionary, interfaceType, promiseOperation, registerInterface, sequence } from '../../src/webidl/index.js';
import { toBoolean, toDOMString, toUnsignedLong } from '../../src/webidl/converters.js';

/** Wraps `target` so that every member read is logged. */
function logged<T extends object>(target: T, log: string[]): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      log.push(String(key));
      return Reflect.get(t, key, receiver);
    },
  });
}

interface Base {
  zeta: boolean;
  alpha?: string;
}
interface Derived extends Base {
  count: number;
  beta: string;
  list: string[];
}

const Base = dictionary<Base>('Base', {
  zeta: { type: toBoolean, default: false },
  alpha: { type: toDOMString },
});
const Derived = dictionary<Derived, Base>('Derived', Base, {
  list: { type: sequence(toDOMString), default: [] },
  count: { type: toUnsignedLong, required: true },
  beta: { type: toDOMString, default: 'b' },
});

describe('dictionary()', () => {
  it('reads inherited members first, then its own, each lexicographically, each once; unknown members never', () => {
    const log: string[] = [];
    Derived(logged({ unknown: 1, count: 1, zeta: true, alpha: 'a', beta: 'x', list: ['l'] }, log), 'init');
    expect(log).toEqual(['alpha', 'zeta', 'beta', 'count', 'list']);
    expect(Derived.members.map(([name]) => name)).toEqual(['alpha', 'zeta', 'beta', 'count', 'list']);
  });

  it('returns a new plain object with the members in that order, defaults filled in', () => {
    const out = Derived({ count: '7', zeta: 1, extra: 'x' }, 'init');
    expect(out).toEqual({ zeta: true, beta: 'b', count: 7, list: [] });
    expect(Object.keys(out)).toEqual(['zeta', 'beta', 'count', 'list']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('gives each conversion its own [] and {} defaults', () => {
    const a = Derived({ count: 1 }, 'init');
    const b = Derived({ count: 1 }, 'init');
    expect(a.list).not.toBe(b.list);
    const Holder = dictionary<{ d: object }>('Holder', { d: { type: (v) => v as object, default: {} } });
    expect(Holder({}, 'h').d).not.toBe(Holder({}, 'h').d);
  });

  it('is a TypeError naming the member and the dictionary when a required member is missing', () => {
    expect(() => Derived({}, "Failed to construct 'X': init")).toThrow(new TypeError("Failed to construct 'X': init.count is required in Derived, but is missing."));
    expect(() => Derived(undefined, 'init')).toThrow(/init\.count is required/);
  });

  it('takes undefined and null as an empty dictionary, and refuses other non-objects', () => {
    expect(Base(undefined, 'b')).toEqual({ zeta: false });
    expect(Base(null, 'b')).toEqual({ zeta: false });
    expect(Base(() => 0, 'b')).toEqual({ zeta: false });
    for (const bad of [0, 'x', true, Symbol('s'), 1n]) expect(() => Base(bad, 'b')).toThrow(/^b is not an object, so it cannot be converted to a Base dictionary/);
  });

  it('names the member in a conversion error, and lets a getter’s own error through', () => {
    expect(() => Derived({ count: 1, list: [1, Symbol('s')] }, 'init')).toThrow(/^init\.list\[1\] is a Symbol/);
    const boom = new RangeError('boom');
    expect(() => Derived({ count: 1, get beta(): string { throw boom; } }, 'init')).toThrow(boom);
  });
});

describe('interfaceType()', () => {
  it('accepts what the registered brand check accepts, and is a TypeError otherwise', () => {
    class Thing {}
    const Converter = interfaceType('TestThing');
    expect(() => Converter(new Thing(), 'x')).toThrow(new TypeError('x is not of type TestThing.'));
    registerInterface('TestThing', (v) => v instanceof Thing);
    const thing = new Thing();
    expect(Converter(thing, 'x')).toBe(thing);
    expect(() => Converter({}, 'x')).toThrow(TypeError);
  });

  it('knows Blob', () => {
    const blob = new Blob([]);
    expect(converters.Blob(blob, 'data')).toBe(blob);
    expect(() => converters.Blob('nope', 'data')).toThrow(/data is not of type Blob/);
  });
});

describe('promiseOperation()', () => {
  it('turns what the steps throw into a rejection', async () => {
    const error = new TypeError('bad');
    const p = promiseOperation(() => {
      throw error;
    });
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toBe(error);
    await expect(promiseOperation(() => Promise.resolve(5))).resolves.toBe(5);
  });
});

describe('converters', () => {
  it('are keyed by IDL type name', () => {
    expect(converters['unsigned long'](-1, 'x')).toBe(4294967295);
    expect(converters['[Clamp] unsigned long'](-1, 'x')).toBe(0);
    expect(() => converters['[EnforceRange] unsigned long'](-1, 'x')).toThrow(/range/);
    expect(() => converters.double(NaN, 'x')).toThrow(TypeError);
    expect(converters['unrestricted double'](NaN, 'x')).toBeNaN();
    expect(converters.USVString('a\uD800b', 'x')).toBe('a\uFFFDb');
    expect(() => converters.float(1e39, 'x')).toThrow(TypeError);
    expect(converters.MediaRecorderOptions(undefined, 'o')).toEqual({ audioBitrateMode: 'variable', mimeType: '' });
    expect(converters.EventInit({ bubbles: 1 }, 'e')).toEqual({ bubbles: true, cancelable: false, composed: false });
  });
});
