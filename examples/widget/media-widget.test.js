// The widget's one test file, run unchanged by Vitest (jsdom, happy-dom) and Jest (jsdom, CommonJS
// and ESM). The only set-up is the runner's set-up file, mediacapture/vitest or mediacapture/jest,
// which installs the API and resets it after each test. `describe`, `it`, `expect` are the
// runner's globals.
import { mediacapture } from 'mediacapture/global';
import { createMediaWidget } from './media-widget.js';

/** Resolves with the next `type` event of `target`. */
const next = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

describe('the media widget', () => {
  let widget;
  beforeEach(() => {
    widget = createMediaWidget(document);
    document.body.append(widget.root);
  });
  afterEach(async () => {
    await widget.stop();
    widget.root.remove();
  });

  it('starts the camera and the microphone, and lists the cameras by name', async () => {
    const stream = await widget.start();
    expect(stream).toBeInstanceOf(MediaStream);
    expect(stream.getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    expect(widget.root.querySelector('.status').textContent).toBe('Built-in Camera (synthetic) is on');
    expect([...widget.root.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Built-in Camera (synthetic)']);
  });

  it('asks the user to allow the camera when the permission is denied', async () => {
    mediacapture.permissions.set('camera', 'denied');
    expect(await widget.start()).toBe(null);
    expect(widget.root.querySelector('.status').textContent).toBe('Please allow camera access');
  });

  it('says so when the camera is unplugged', async () => {
    const stream = await widget.start();
    const ended = next(stream.getVideoTracks()[0], 'ended');
    mediacapture.devices.unplug('builtin-camera');
    await ended;
    expect(widget.root.querySelector('.status').textContent).toBe('Camera disconnected');
  });

  it('finds the camera again in the next test (the set-up file resets after each)', async () => {
    expect(mediacapture.devices.deviceIds).toContain('builtin-camera');
    expect(mediacapture.permissions.state('camera')).toBe('granted');
    expect(await widget.start()).not.toBe(null);
  });

  it('records the camera and the microphone to a WebM file', async () => {
    await widget.start({ width: 320, height: 240 });
    const recording = widget.record();
    await next(recording.recorder, 'start');
    const file = await recording.stop();
    expect(file.type).toMatch(/^video\/webm/);
    expect(file.size).toBeGreaterThan(0);
  });

  it('shows the camera in the <video> at its size', async () => {
    await widget.start({ width: 640, height: 480 });
    expect(await widget.showPreview()).toBe('640x480');
    expect(widget.video.readyState).toBeGreaterThanOrEqual(2);
    expect(widget.video.paused).toBe(false);
  });

  it('takes a snapshot of the picture on the <canvas>', async () => {
    await widget.start({ width: 640, height: 480 });
    await widget.showPreview();
    const url = widget.snapshot();
    expect(url).toMatch(/^data:image\/png;base64,/);
    // The built-in camera's test pattern starts with a light grey colour bar on the left.
    const [r, g, b] = widget.canvas.getContext('2d').getImageData(20, 100, 1, 1).data;
    expect(Math.min(r, g, b)).toBeGreaterThan(150);
  });

  it('meters the microphone: the built-in tone gives a level', async () => {
    await widget.start();
    const meter = widget.startMeter();
    // Wait until the analyser's window is full of the tone (a 440 Hz sine at a steady level): the
    // first windows are partly silence, and more so on a busy machine. Silence never reaches it.
    let level = 0;
    const since = performance.now();
    while (level <= 0.05 && performance.now() - since < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      level = meter.readLevel();
    }
    expect(level).toBeGreaterThan(0.05);
  });
});
