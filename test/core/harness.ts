import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installGlobals, type InstallOptions, type MediaCaptureHandle } from '../../src/index.js';
import type { MediaDevices } from '../../src/interfaces/MediaDevices.js';

/** A global object of its own (like one browser tab) with the API installed. */
export interface Tab {
  global: Record<string, any>;
  navigator: Record<string, any>;
  mediaDevices: MediaDevices;
  handle: MediaCaptureHandle;
}

const saltDir = mkdtempSync(join(tmpdir(), 'mediacapture-test-'));
export const testSaltPath = join(saltDir, 'salt');

export function openTab(options: InstallOptions = {}): Tab {
  const global: Record<string, any> = {};
  const handle = installGlobals(global, { saltPath: testSaltPath, ...options });
  return { global, navigator: global.navigator, mediaDevices: handle.mediaDevices, handle };
}

/** Waits for every task queued so far (and the microtasks they cause). */
export async function tasks(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Collects events of the given types on a target, in order. */
export function record(target: EventTarget, ...types: string[]): string[] {
  const log: string[] = [];
  for (const t of types) target.addEventListener(t, () => log.push(t));
  return log;
}
