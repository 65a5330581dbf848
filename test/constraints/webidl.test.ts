import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { normalizeConstraints } from '../../src/algorithms/constraints/index.js';
import {
  MAX_ADVANCED_CONSTRAINT_SETS,
  MediaStreamConstraints as convertMediaStreamConstraints,
  MediaTrackConstraints as convertMediaTrackConstraints,
} from '../../src/webidl/constraints.js';

const convert = (value: unknown) => convertMediaTrackConstraints(value, 'c');

/** Wraps `target` so every property read is logged as `path.key`, recursively for plain objects and arrays. */
function logged<T extends object>(target: T, log: string[], path = ''): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      const name = typeof key === 'symbol' ? `[${key.description}]` : key;
      log.push(path ? `${path}.${name}` : name);
      const value = Reflect.get(t, key, receiver);
      if (typeof value === 'object' && value !== null && !(value instanceof Set)) return logged(value, log, path ? `${path}.${name}` : name);
      return value;
    },
  });
}

function typeErrorOf(f: () => unknown): TypeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TypeError);
    return e as TypeError;
  }
  throw new Error('expected a TypeError');
}

describe('MediaStreamConstraints', () => {
  test('members default to false; true is {}; a dictionary is converted', () => {
    expect(convertMediaStreamConstraints(undefined, 'c')).toEqual({ audio: false, video: false });
    expect(convertMediaStreamConstraints(null, 'c')).toEqual({ audio: false, video: false });
    expect(convertMediaStreamConstraints({}, 'c')).toEqual({ audio: false, video: false });
    expect(convertMediaStreamConstraints({ audio: true, video: false }, 'c')).toEqual({ audio: {}, video: false });
    expect(convertMediaStreamConstraints({ video: { width: 640 } }, 'c')).toEqual({ audio: false, video: { width: 640 } });
  });

  test('(boolean or MediaTrackConstraints): objects and null are dictionaries, anything else ToBoolean', () => {
    expect(convertMediaStreamConstraints({ video: null }, 'c').video).toEqual({});
    expect(convertMediaStreamConstraints({ video: 0 }, 'c').video).toBe(false);
    expect(convertMediaStreamConstraints({ video: '' }, 'c').video).toBe(false);
    expect(convertMediaStreamConstraints({ video: 'no' }, 'c').video).toEqual({});
    expect(convertMediaStreamConstraints({ video: 1 }, 'c').video).toEqual({});
    expect(convertMediaStreamConstraints({ video: [] }, 'c').video).toEqual({});
    expect(convertMediaStreamConstraints({ video: Symbol('s') }, 'c').video).toEqual({});
  });

  test('a non-object argument is a TypeError', () => {
    expect(typeErrorOf(() => convertMediaStreamConstraints(true, 'getUserMedia: constraints')).message).toContain('getUserMedia: constraints');
    typeErrorOf(() => convertMediaStreamConstraints('video', 'c'));
  });

  test('audio is read and converted completely before video', () => {
    const log: string[] = [];
    convertMediaStreamConstraints(logged({ video: { width: 1 }, audio: { sampleRate: 1 } }, log), 'c');
    expect(log.filter((k) => !k.includes('.') || k.endsWith('.width') || k.endsWith('.sampleRate'))).toEqual([
      'audio',
      'audio.sampleRate',
      'audio.width',
      'video',
      'video.sampleRate',
      'video.width',
    ]);
  });

  test('errors name the member path', () => {
    expect(typeErrorOf(() => convertMediaStreamConstraints({ video: { width: { min: Symbol('x') } } }, 'c')).message).toMatch(/^c\.video\.width\.min /);
    expect(typeErrorOf(() => convertMediaStreamConstraints({ audio: { latency: NaN } }, 'c')).message).toMatch(/^c\.audio\.latency /);
  });
});

describe('member order and getters', () => {
  const everyMember = {
    width: { ideal: 1, exact: 2, min: 3, max: 4 },
    height: 5,
    aspectRatio: { min: 1 },
    frameRate: 30,
    facingMode: { ideal: 'user', exact: ['user'] },
    resizeMode: 'none',
    sampleRate: 1,
    sampleSize: 1,
    echoCancellation: { ideal: true, exact: 'all' },
    autoGainControl: { exact: true },
    noiseSuppression: false,
    latency: 0.1,
    channelCount: 2,
    deviceId: ['a'],
    groupId: 'g',
    displaySurface: 'monitor',
    logicalSurface: true,
    cursor: 'never',
    restrictOwnAudio: true,
    suppressLocalAudioPlayback: false,
    backgroundBlur: true,
    unknownThing: 1,
    advanced: [{ width: 1 }],
  };

  test('top-level members are read once each, lexicographically, then advanced; unknown members never', () => {
    const log: string[] = [];
    convert(logged(everyMember, log));
    expect(log.filter((k) => !k.includes('.') && !k.startsWith('['))).toEqual([
      'aspectRatio',
      'autoGainControl',
      'channelCount',
      'cursor',
      'deviceId',
      'displaySurface',
      'echoCancellation',
      'facingMode',
      'frameRate',
      'groupId',
      'height',
      'latency',
      'logicalSurface',
      'noiseSuppression',
      'resizeMode',
      'restrictOwnAudio',
      'sampleRate',
      'sampleSize',
      'suppressLocalAudioPlayback',
      'width',
      'advanced',
    ]);
  });

  test('range members: inherited max, min, then exact, ideal; string unions look for an iterator first', () => {
    const log: string[] = [];
    convert(logged(everyMember, log));
    expect(log.filter((k) => k.startsWith('width.'))).toEqual(['width.max', 'width.min', 'width.exact', 'width.ideal']);
    expect(log.filter((k) => k.startsWith('facingMode.')).slice(0, 3)).toEqual([
      'facingMode.[Symbol.iterator]',
      'facingMode.exact',
      'facingMode.exact.[Symbol.iterator]',
    ]);
    expect(log.filter((k) => k.startsWith('echoCancellation.'))).toEqual(['echoCancellation.exact', 'echoCancellation.ideal']);
  });

  test('each getter runs exactly once', () => {
    const calls = new Map<string, number>();
    const counted: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ width: 640, height: { min: 1 }, facingMode: 'user', advanced: [] })) {
      Object.defineProperty(counted, key, {
        get: () => (calls.set(key, (calls.get(key) ?? 0) + 1), value),
        enumerable: true,
      });
    }
    convert(counted);
    expect(Object.fromEntries(calls)).toEqual({ facingMode: 1, height: 1, width: 1, advanced: 1 });
  });

  test('a getter that throws stops the conversion with its own error', () => {
    const boom = new RangeError('boom');
    const read: string[] = [];
    const value = {
      get aspectRatio() {
        read.push('aspectRatio');
        return 1;
      },
      get height() {
        throw boom;
      },
      get width() {
        read.push('width');
        return 1;
      },
    };
    expect(() => convert(value)).toThrow(boom);
    expect(read).toEqual(['aspectRatio']);
    const nested = { advanced: [{ get frameRate(): number { throw boom; } }] };
    expect(() => convert(nested)).toThrow(boom);
    const throwing = { width: { valueOf() { throw boom; } } };
    expect(() => convert({ width: { min: throwing.width } })).toThrow(boom);
  });
});

describe('ConstrainULong: ([Clamp] unsigned long or ConstrainULongRange)', () => {
  test.each([
    [640, 640],
    [-5, 0],
    [-0, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [2 ** 32, 2 ** 32 - 1],
    [1e300, 2 ** 32 - 1],
    [Infinity, 2 ** 32 - 1],
    [-Infinity, 0],
    [NaN, 0],
    ['640', 640],
    ['abc', 0],
    [true, 1],
    [false, 0],
  ])('%s → %s', (input, expected) => {
    expect(convert({ width: input }).width).toBe(expected);
    expect(convert({ width: { exact: input } }).width).toEqual({ exact: expected });
  });

  test('-0 becomes +0', () => {
    expect(Object.is(convert({ width: -0.2 }).width, 0)).toBe(true);
  });

  test('objects, arrays, functions and null are the range dictionary', () => {
    expect(convert({ width: null }).width).toEqual({});
    expect(convert({ width: [5] }).width).toEqual({});
    expect(convert({ width: Object.assign(() => 0, { min: 5 }) }).width).toEqual({ min: 5 });
    expect(convert({ width: { min: { valueOf: () => 7 } } }).width).toEqual({ min: 7 });
  });

  test('Symbols and BigInts are a TypeError naming the member', () => {
    expect(typeErrorOf(() => convert({ height: Symbol('x') })).message).toMatch(/^c\.height is a Symbol/);
    expect(typeErrorOf(() => convert({ height: { ideal: 10n } })).message).toMatch(/^c\.height\.ideal is a BigInt/);
  });
});

describe('ConstrainDouble: (double or ConstrainDoubleRange)', () => {
  test('numbers, numeric strings and booleans convert; the range dictionary keeps max, min, exact, ideal', () => {
    expect(convert({ frameRate: 29.97 }).frameRate).toBe(29.97);
    expect(convert({ frameRate: '30' }).frameRate).toBe(30);
    expect(convert({ frameRate: true }).frameRate).toBe(1);
    expect(convert({ frameRate: -1.5 }).frameRate).toBe(-1.5);
    expect(convert({ aspectRatio: { ideal: 1.5, exact: 2, min: 1, max: 3 } }).aspectRatio).toEqual({ max: 3, min: 1, exact: 2, ideal: 1.5 });
    expect(Object.keys(convert({ aspectRatio: { ideal: 1.5, exact: 2, min: 1, max: 3 } }).aspectRatio as object)).toEqual(['max', 'min', 'exact', 'ideal']);
  });

  test.each([NaN, Infinity, -Infinity, 'abc', undefined])('restricted double: a bare or member %s is a TypeError naming the member', (bad) => {
    if (bad !== undefined) expect(typeErrorOf(() => convert({ frameRate: bad })).message).toMatch(/^c\.frameRate is not a finite number/);
    expect(typeErrorOf(() => convert({ advanced: [{}, { latency: { max: bad ?? NaN } }] })).message).toMatch(/^c\.advanced\[1\]\.latency\.max /);
  });
});

describe('ConstrainBoolean and ConstrainBooleanOrDOMString', () => {
  test('ConstrainBoolean: objects and null are parameters, anything else ToBoolean', () => {
    expect(convert({ autoGainControl: 0 }).autoGainControl).toBe(false);
    expect(convert({ autoGainControl: 'x' }).autoGainControl).toBe(true);
    expect(convert({ autoGainControl: Symbol() }).autoGainControl).toBe(true);
    expect(convert({ autoGainControl: null }).autoGainControl).toEqual({});
    expect(convert({ noiseSuppression: { exact: 0, ideal: 'yes' } }).noiseSuppression).toEqual({ exact: false, ideal: true });
    expect(convert({ logicalSurface: [] }).logicalSurface).toEqual({});
  });

  test('ConstrainBooleanOrDOMString: booleans stay booleans, other primitives become strings', () => {
    expect(convert({ echoCancellation: true }).echoCancellation).toBe(true);
    expect(convert({ echoCancellation: 'remote-only' }).echoCancellation).toBe('remote-only');
    expect(convert({ echoCancellation: 5 }).echoCancellation).toBe('5');
    expect(convert({ echoCancellation: { exact: 'all', ideal: false } }).echoCancellation).toEqual({ exact: 'all', ideal: false });
    expect(convert({ echoCancellation: { exact: null } }).echoCancellation).toEqual({ exact: 'null' });
    expect(typeErrorOf(() => convert({ echoCancellation: Symbol() })).message).toMatch(/^c\.echoCancellation /);
  });
});

describe('ConstrainDOMString: (DOMString or sequence<DOMString> or ConstrainDOMStringParameters)', () => {
  test('strings, sequences from any iterable, and parameters', () => {
    expect(convert({ facingMode: 'user' }).facingMode).toBe('user');
    expect(convert({ facingMode: 5 }).facingMode).toBe('5');
    expect(convert({ facingMode: ['user', 7] }).facingMode).toEqual(['user', '7']);
    expect(convert({ facingMode: new Set(['left']) }).facingMode).toEqual(['left']);
    expect(convert({ deviceId: (function* () { yield 'a'; yield 'b'; })() }).deviceId).toEqual(['a', 'b']);
    expect(convert({ deviceId: { exact: new Set(['x']), ideal: 'y' } }).deviceId).toEqual({ exact: ['x'], ideal: 'y' });
    expect(convert({ groupId: null }).groupId).toEqual({});
    expect(convert({ groupId: { exact: null } }).groupId).toEqual({ exact: 'null' });
    expect(convert({ groupId: { exact: {} } }).groupId).toEqual({ exact: '[object Object]' });
  });

  test('a Symbol, or a non-callable @@iterator, is a TypeError naming the member', () => {
    expect(typeErrorOf(() => convert({ facingMode: ['user', Symbol()] })).message).toMatch(/^c\.facingMode\[1\] /);
    expect(typeErrorOf(() => convert({ resizeMode: { [Symbol.iterator]: 5 } })).message).toMatch(/^c\.resizeMode /);
    expect(typeErrorOf(() => convert({ resizeMode: { exact: { [Symbol.iterator]: () => 5 } } })).message).toMatch(/^c\.resizeMode\.exact /);
  });

  test('an endless iterable stops with a TypeError instead of hanging', () => {
    const endless = { *[Symbol.iterator]() { for (;;) yield 'x'; } };
    expect(typeErrorOf(() => convert({ facingMode: endless })).message).toMatch(/^c\.facingMode has more than 10000 items/);
    expect(typeErrorOf(() => convert({ facingMode: { ideal: endless } })).message).toMatch(/^c\.facingMode\.ideal has more/);
  });
});

describe('advanced', () => {
  test('a sequence of constraint sets; each item must be an object, null or undefined', () => {
    expect(convert({ advanced: [{ width: 1 }, null, undefined, { advanced: [{ width: 2 }] }] }).advanced).toEqual([{ width: 1 }, {}, {}, {}]);
    expect(typeErrorOf(() => convert({ advanced: [{}, 5] })).message).toMatch(/^c\.advanced\[1\] is not an object/);
    expect(typeErrorOf(() => convert({ advanced: 5 })).message).toMatch(/^c\.advanced /);
    expect(typeErrorOf(() => convert({ advanced: {} })).message).toMatch(/^c\.advanced is not iterable/);
    expect(typeErrorOf(() => convert({ advanced: 'ab' })).message).toMatch(/^c\.advanced /);
  });

  test(`more than ${MAX_ADVANCED_CONSTRAINT_SETS} sets is a TypeError, found quickly even for huge arrays`, () => {
    expect(convert({ advanced: new Array(MAX_ADVANCED_CONSTRAINT_SETS).fill({}) }).advanced).toHaveLength(MAX_ADVANCED_CONSTRAINT_SETS);
    // Quickly: the conversion reads one item past the limit, not the 2^32 - 1 of the array.
    let reads = 0;
    const huge = new Proxy(new Array(2 ** 32 - 1), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    expect(typeErrorOf(() => convert({ advanced: huge })).message).toMatch(/^c\.advanced has more than 10000 items/);
    expect(reads).toBe(MAX_ADVANCED_CONSTRAINT_SETS + 1);
  });
});

describe('the converted value', () => {
  test('unknown members are ignored, whatever their value', () => {
    expect(convert({ foo: Symbol(), backgroundBlur: Symbol(), volume: NaN, width: 5 })).toEqual({ width: 5 });
  });

  test('cyclic objects convert without recursion into the cycle', () => {
    const c: Record<string, unknown> = { width: 640 };
    c.self = c;
    c.advanced = [c, c];
    const out = convert(c);
    expect(out).toEqual({ width: 640, advanced: [{ width: 640 }, { width: 640 }] });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  test('is fresh plain data that shares nothing with the input', () => {
    const input = { facingMode: ['user'], width: { min: 1 }, advanced: [{ height: 2 }] };
    const out = convert(input);
    expect(out.facingMode).not.toBe(input.facingMode);
    expect(out.width).not.toBe(input.width);
    expect(out.advanced).not.toBe(input.advanced);
    input.facingMode.push('left');
    expect(out.facingMode).toEqual(['user']);
  });

  test('keeps what was given (getConstraints returns it), in WebIDL member order', () => {
    const out = convert({ width: 640, facingMode: [], aspectRatio: {}, advanced: [] });
    expect(out).toEqual({ aspectRatio: {}, facingMode: [], width: 640, advanced: [] });
    expect(Object.keys(out)).toEqual(['aspectRatio', 'facingMode', 'width', 'advanced']);
  });

  test('property: any JSON-like input converts or throws a TypeError; converting the result again changes nothing', () => {
    const member = fc.oneof(
      fc.anything(),
      fc.record({ min: fc.anything(), max: fc.double(), exact: fc.oneof(fc.string(), fc.array(fc.string())), ideal: fc.anything() }, { requiredKeys: [] }),
    );
    const set = fc.dictionary(fc.constantFrom('width', 'height', 'aspectRatio', 'frameRate', 'facingMode', 'deviceId', 'echoCancellation', 'autoGainControl', 'cursor', 'x'), member);
    const constraints = fc.oneof(fc.anything(), set, fc.record({ advanced: fc.array(set, { maxLength: 4 }) }));
    fc.assert(
      fc.property(constraints, (input) => {
        let out;
        try {
          out = convert(input);
        } catch (e) {
          expect(e).toBeInstanceOf(TypeError);
          return;
        }
        expect(convert(out)).toEqual(out);
        expect(() => normalizeConstraints(out)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});
