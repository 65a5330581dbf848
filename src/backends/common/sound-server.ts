/**
 * Whether a sound server answers: a PulseAudio server, or PipeWire's pipewire-pulse. The pulse
 * backend uses only a server that answers; the ALSA backend steps aside while one does, since
 * the server holds the cards (capturing a `hw:` device beside it fails with "Device or resource
 * busy") and lists them itself.
 */
import { runProgram } from './process.js';

/** The environment pactl and parec run in: `base`, in the C locale (their text is translated otherwise). */
export function cLocale(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, LC_ALL: 'C', LANG: 'C', LANGUAGE: '' };
}

/** Whether `pactl info` gets an answer within `timeoutMs` in `env`. Never throws. */
export async function soundServerAnswers(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3000): Promise<boolean> {
  try {
    await runProgram('pactl', ['info'], { env: cLocale(env), timeoutMs });
    return true;
  } catch {
    return false;
  }
}
