/**
 * TimeRanges (https://html.spec.whatwg.org/multipage/media.html#time-ranges): the `buffered`,
 * `seekable` and `played` attributes. Installed as the window's `TimeRanges` where it has none.
 */
import { illegalConstructor } from '../../platform/errors.js';
import { INTERNAL, exposeInterface } from '../../platform/interface.js';

export class TimeRanges {
  readonly #ranges: readonly (readonly [number, number])[];

  /** Made by the media element only: script gets "Illegal constructor". */
  constructor(token: typeof INTERNAL, ranges: readonly (readonly [number, number])[]) {
    if (token !== INTERNAL) throw illegalConstructor('TimeRanges');
    this.#ranges = ranges;
  }

  get length(): number {
    if (!(#ranges in this)) throw new TypeError('Illegal invocation: TimeRanges.length');
    return this.#ranges.length;
  }

  start(index: number): number {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'start' on 'TimeRanges': 1 argument required, but only 0 present.");
    return this.#at(index, 'start')[0];
  }

  end(index: number): number {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'end' on 'TimeRanges': 1 argument required, but only 0 present.");
    return this.#at(index, 'end')[1];
  }

  #at(index: number, method: string): readonly [number, number] {
    if (!(#ranges in this)) throw new TypeError(`Illegal invocation: TimeRanges.${method}`);
    const i = Number(index) >>> 0;
    const range = this.#ranges[i];
    // "If the index is greater than or equal to the number of ranges, throw an IndexSizeError."
    if (!range) throw new DOMException(`Failed to execute '${method}' on 'TimeRanges': The index provided (${i}) is greater than or equal to the maximum bound (${this.#ranges.length}).`, 'IndexSizeError');
    return range;
  }
}
exposeInterface(TimeRanges);
