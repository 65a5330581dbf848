/**
 * The two DOM implementations the media element tests run under: a jsdom window and a happy-dom
 * window, each with a document at a file: URL (so a relative `src` names a file).
 */
import { pathToFileURL } from 'node:url';
import { Window as HappyWindow } from 'happy-dom';
import { JSDOM } from 'jsdom';

export interface TestWindow {
  readonly name: 'jsdom' | 'happy-dom';
  readonly window: Record<string, any> & { document: any };
  close(): void;
}

/** A fresh window of `name` whose document is at `dir`/index.html. */
export function makeWindow(name: 'jsdom' | 'happy-dom', dir = process.cwd()): TestWindow {
  const url = pathToFileURL(`${dir}/index.html`).href;
  if (name === 'jsdom') {
    const dom = new JSDOM('<!doctype html><html><body></body></html>', { url });
    return { name, window: dom.window as never, close: () => dom.window.close() };
  }
  const window = new HappyWindow({ url });
  return { name, window: window as never, close: () => void window.happyDOM.abort().then(() => window.close()) };
}

export const WINDOWS = ['jsdom', 'happy-dom'] as const;
