// @vitest-environment jsdom
/**
 * Under Vitest's jsdom environment the package runs in Node's realm with jsdom's EventTarget,
 * Event and DOMException as the globals (the host realm of docs/realms.md): the events the user
 * agent fires are jsdom events, trusted, and the page's own events dispatch through our objects.
 */
import { afterEach, expect, it } from 'vitest';
import { installGlobals, type MediaCaptureHandle } from '../../src/index.js';

let handle: MediaCaptureHandle | undefined;
afterEach(() => handle?.uninstall());

it('fires trusted jsdom events, and takes events script makes', async () => {
  handle = installGlobals(globalThis, { backends: 'builtin' });
  const stream = await navigator.mediaDevices.getUserMedia({ video: true });
  const track = stream.getVideoTracks()[0]!;
  expect(track).toBeInstanceOf(EventTarget);
  const ended = new Promise<Event>((resolve) => track.addEventListener('ended', resolve));
  const own: boolean[] = [];
  track.addEventListener('mute', (e) => own.push(e.isTrusted));
  track.dispatchEvent(new Event('mute'));
  handle.devices.unplug('builtin-camera');
  const e = await ended;
  expect([e.isTrusted, e instanceof Event, own]).toEqual([true, true, [false]]);
});
