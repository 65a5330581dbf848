/**
 * Helpers for the Web Audio tests: a global with the API installed (built-in devices, so contexts
 * play to no device), and the frequency analysis the tests check tones with.
 */
import { openTab, type Tab } from '../core/harness.js';
import { until } from '../helpers/wait.js';
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

/**
 * Whether `samples` hold a tone of about `frequency` Hz without a break. A render thread starved
 * on a busy machine cuts the audio the bridge schedules (a chunk dropped or started late is a
 * jump, an underrun a stretch of silence), and a cut window no longer peaks at the tone. Neither
 * check assumes more than the tone's slope: a sample-to-sample step at most 1.5 times the steepest
 * a sine of `frequency` at the window's peak level makes (so a tone 10 % off still passes and is
 * caught by the frequency check), and no 3 samples in a row near zero (a sine crosses zero in one).
 */
export function unbrokenTone(samples: Float32Array, frequency: number, sampleRate: number): boolean {
  let peak = 0;
  for (const x of samples) peak = Math.max(peak, Math.abs(x));
  if (peak < 0.01) return false;
  const maxStep = 1.5 * peak * ((2 * Math.PI * frequency) / sampleRate);
  let quiet = 0;
  for (let i = 0; i < samples.length; i++) {
    if (i > 0 && Math.abs(samples[i]! - samples[i - 1]!) > maxStep) return false;
    quiet = Math.abs(samples[i]!) < 0.02 * peak ? quiet + 1 : 0;
    if (quiet >= 3) return false;
  }
  return true;
}

/**
 * The peak frequency (Hz) `analyser` measures once its whole window holds the tone unbroken
 * ({@link unbrokenTone}, checked before and after the frequency read, so the window it analysed
 * was unbroken too). Smoothing is turned off: it would mix in earlier windows.
 */
export async function measuredPeak(analyser: AnyObject, sampleRate: number, tone = 440): Promise<number> {
  analyser.smoothingTimeConstant = 0;
  const bins = new Uint8Array(analyser.frequencyBinCount);
  const time = new Float32Array(analyser.fftSize);
  const unbroken = () => (analyser.getFloatTimeDomainData(time), unbrokenTone(time, tone, sampleRate));
  await until(() => unbroken() && (analyser.getByteFrequencyData(bins), unbroken()), `a window of unbroken tone (${tone} Hz) in the analyser`);
  return (peakIndex(bins) * sampleRate) / analyser.fftSize;
}
