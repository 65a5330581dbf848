/**
 * Helpers for the Web Audio tests: a global with the API installed (built-in devices, so contexts
 * play to no device), and the frequency analysis the tests check tones with.
 */
import { openTab, type Tab } from '../core/harness.js';
import type { InstallOptions } from '../../src/index.js';

// Web Audio objects come from node-web-audio-api, typed against lib.dom (not compiled here).
export type AnyObject = any;

export interface AudioTab extends Tab {
  /** Contexts made with {@link AudioTab.context}, closed by {@link AudioTab.close}. */
  contexts: AnyObject[];
  context(options?: object): AnyObject;
  close(): Promise<void>;
}

export function openAudioTab(options: InstallOptions = {}): AudioTab {
  const tab = openTab({ backends: 'builtin', ...options });
  const contexts: AnyObject[] = [];
  return {
    ...tab,
    contexts,
    context(contextOptions?: object) {
      const context = new tab.global.AudioContext(contextOptions);
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) if (c.state !== 'closed') await c.close();
      tab.handle.uninstall();
    },
  };
}

/** The index of the largest value. */
export function peakIndex(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** The power of `samples` at `frequency` (Goertzel), relative to their total power (1: a pure tone). */
export function toneShare(samples: Float32Array, frequency: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequency) / sampleRate;
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (const x of samples) {
    const s0 = x + 2 * Math.cos(w) * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2;
  return total === 0 ? 0 : (2 * power) / (samples.length * total);
}
