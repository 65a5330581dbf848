import { mediacapture } from 'mediacapture/global';
import { afterEach, describe, expect, it } from 'vitest';
import { createCameraWidget } from './camera-widget.js';

/**
 * The camera widget's tests, shared by the jsdom and happy-dom files: each of those sets its
 * environment, imports 'mediacapture/global', and calls this.
 */
export function cameraWidgetSuite(environment: string): void {
  describe(`camera widget under ${environment}`, () => {
    afterEach(() => {
      mediacapture.permissions.set('camera', 'granted');
    });

    it('starts the built-in camera and shows its settings', async () => {
      const widget = createCameraWidget(document);
      document.body.append(widget.root);
      const stream = await widget.start({ width: 1280, height: 720 });
      expect(stream).toBeInstanceOf(MediaStream);
      expect(document.querySelector('.status')!.textContent).toBe('Built-in Camera (synthetic): 1280x720@30');
      expect(document.querySelector('option')!.textContent).toBe('Built-in Camera (synthetic)');
      widget.stop();
    });

    it('tells the user to allow access when the permission is denied', async () => {
      mediacapture.permissions.set('camera', 'denied');
      const widget = createCameraWidget(document);
      expect(await widget.start()).toBe(null);
      expect(widget.root.querySelector('.status')!.textContent).toBe('Please allow camera access');
    });

    it('notices when the camera is unplugged', async () => {
      const widget = createCameraWidget(document);
      const stream = await widget.start();
      // Wait for the event the widget reacts to, not for some time: the track's `ended`. This
      // listener comes after the widget's, so the widget has seen the event when it runs.
      const [track] = stream!.getVideoTracks();
      const ended = new Promise((resolve) => track!.addEventListener('ended', resolve, { once: true }));
      mediacapture.devices.unplug('builtin-camera');
      await ended;
      expect(widget.root.querySelector('.status')!.textContent).toBe('Camera disconnected');
      mediacapture.devices.plug({ kind: 'videoinput', id: 'builtin-camera', label: 'Built-in Camera (synthetic)' });
    });
  });
}
