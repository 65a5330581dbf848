/**
 * The command line as a user runs it: `node bin/mediacapture.js ...` against the built dist/
 * (npm test builds first), on the built-in synthetic devices configured through
 * MEDIACAPTURE_DEVICES and MEDIACAPTURE_PERMISSIONS.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { inCi } from '../setup/services.js';
import { startXvfb, type Xvfb } from '../x11/xvfb.js';
import { childEnv, decodeImage, onPath, pngHeader, runCli, tempDir, type RunResult } from './helpers.js';

const dir = tempDir('cli');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (extra: Record<string, string | undefined> = {}) => childEnv(dir, extra);

/** Two cameras with one native mode each, and a microphone. */
const TWO_CAMERAS = JSON.stringify([
  { kind: 'videoinput', id: 'small', label: 'Small camera', videoModes: [{ width: 320, height: 240, frameRate: 15 }] },
  { kind: 'videoinput', id: 'wide', label: 'Wide camera', facingMode: 'environment', videoModes: [{ width: 1920, height: 1080, frameRate: 30 }] },
  { kind: 'audioinput', id: 'mic', label: 'Desk microphone', audioModes: [{ sampleRate: 16000, channelCount: 1, sampleSize: 16, latency: 0.02 }] },
]);

/** An error as the CLI reports it: the status, and exactly one line on stderr that starts with the command. */
function expectError(result: RunResult, code: number, command: string, ...mentions: RegExp[]): void {
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code });
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^mediacapture ${command}: `));
  for (const m of mentions) expect(lines[0]).toMatch(m);
}

describe('mediacapture --help', () => {
  it('lists the commands, every exit status and the environment variables', async () => {
    const r = await runCli(['--help'], env());
    expect(r.code).toBe(0);
    for (const command of ['devices', 'constraints', 'snapshot', 'record']) expect(r.stdout).toContain(`mediacapture ${command}`);
    for (let status = 0; status <= 10; status++) expect(r.stdout).toMatch(new RegExp(`^  ${status} +\\S`, 'm'));
    for (const variable of ['MEDIACAPTURE_DEVICES', 'MEDIACAPTURE_PERMISSIONS', 'MEDIACAPTURE_FFMPEG']) expect(r.stdout).toContain(variable);
  });

  it('without a command, prints the help and exits with the usage status', async () => {
    const r = await runCli([], env());
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage:');
  });

  it('has help for each command', async () => {
    const r = await runCli(['snapshot', '--help'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--width N');
  });
});

describe('mediacapture devices', () => {
  it('--json: every device with its id, kind, label, group and, for inputs, capabilities', async () => {
    const r = await runCli(['devices', '--json'], env());
    expect(r.code).toBe(0);
    const { devices, notes, backends } = JSON.parse(r.stdout) as { devices: Record<string, unknown>[]; notes: string[]; backends: string[] };
    expect(notes).toEqual([]);
    expect(backends).toEqual(['builtin']);
    expect(devices.map((d) => d.kind)).toEqual(['audioinput', 'videoinput', 'audiooutput', 'audiooutput']);
    for (const d of devices) {
      expect(Object.keys(d).sort()).toEqual(d.kind === 'audiooutput' ? ['deviceId', 'groupId', 'kind', 'label'] : ['capabilities', 'deviceId', 'groupId', 'kind', 'label']);
      expect(d.deviceId).toMatch(/^([0-9a-f]{64}|default)$/);
      expect(d.groupId).toMatch(/^[0-9a-f]{64}$/);
      expect(d.label).not.toBe('');
    }
    const camera = devices[1]!;
    expect(camera.label).toBe('Built-in Camera (synthetic)');
    expect(camera.capabilities).toMatchObject({
      deviceId: camera.deviceId,
      width: { min: 1, max: 1920 },
      height: { min: 1, max: 1080 },
      frameRate: { max: 30 },
      facingMode: ['user'],
      resizeMode: ['none', 'crop-and-scale'],
    });
    expect(devices[0]!.capabilities).toMatchObject({ sampleRate: { min: 44100, max: 48000 }, channelCount: { min: 1, max: 2 }, echoCancellation: [true, false] });
  });

  it('gives the same ids on every run (the salt is kept)', async () => {
    const ids = async () => (JSON.parse((await runCli(['devices', '--json'], env())).stdout) as { devices: { deviceId: string }[] }).devices.map((d) => d.deviceId);
    expect(await ids()).toEqual(await ids());
  });

  it('shows the devices MEDIACAPTURE_DEVICES configures, and only those, with their capabilities', async () => {
    // Without MEDIACAPTURE_BACKENDS: the configured devices imply the built-in backend alone,
    // whatever real devices the machine (or the test services) has.
    const r = await runCli(['devices', '--json'], env({ MEDIACAPTURE_DEVICES: TWO_CAMERAS, MEDIACAPTURE_BACKENDS: undefined }));
    expect(r.code).toBe(0);
    const { devices, backends } = JSON.parse(r.stdout) as { devices: { label: string; capabilities?: Record<string, unknown> }[]; backends: string[] };
    // Screens for getDisplayMedia come from DISPLAY whatever the device backends are.
    expect(backends.filter((b) => !b.endsWith('(screens)'))).toEqual(['builtin']);
    expect(devices.map((d) => d.label)).toEqual(['Desk microphone', 'Small camera', 'Wide camera']);
    expect(devices[1]!.capabilities).toMatchObject({ width: { max: 320 }, height: { max: 240 }, frameRate: { max: 15 } });
    expect(devices[2]!.capabilities).toMatchObject({ width: { max: 1920 }, facingMode: ['environment'] });
    expect(devices[0]!.capabilities).toMatchObject({ sampleRate: { min: 16000, max: 16000 }, latency: { min: 0.02, max: 0.02 } });
  });

  it('prints a table: kind, short id, label, and the capabilities under each input', async () => {
    const r = await runCli(['devices'], env());
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KIND\s+ID\s+LABEL$/);
    expect(r.stdout).toMatch(/^videoinput\s+[0-9a-f]{8}\s+Built-in Camera \(synthetic\)$/m);
    expect(r.stdout).toMatch(/^\s+.*width 1–1920/m);
    expect(r.stdout).toMatch(/^\s+.*sampleRate 44100–48000/m);
    expect(r.stdout).toMatch(/^audiooutput\s+default\s+Default - Built-in Speaker \(synthetic\)$/m);
  });

  it('with the camera permission denied, lists the camera without label or id and says why', async () => {
    const r = await runCli(['devices', '--json'], env({ MEDIACAPTURE_PERMISSIONS: 'camera=denied' }));
    expect(r.code).toBe(0);
    const { devices, notes } = JSON.parse(r.stdout) as { devices: { kind: string; label: string; deviceId: string }[]; notes: string[] };
    expect(devices.find((d) => d.kind === 'videoinput')).toMatchObject({ label: '', deviceId: '' });
    expect(devices.find((d) => d.kind === 'audioinput')!.label).toBe('Built-in Microphone (synthetic)');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/camera labels are hidden.*camera=granted/);
  });
});

interface Report {
  kinds: {
    kind: string;
    pick: string | null;
    devices: {
      deviceId: string;
      label: string;
      advanced: boolean[];
      candidates: { mode: Record<string, number>; resizeMode?: string; chosen: boolean; rejected?: string | number; failed: string[]; distance?: number; settings?: Record<string, unknown> }[];
      result: { settings?: Record<string, unknown>; distance?: number; failed?: string };
    }[];
  }[];
  getUserMedia: { tracks?: { kind: string; label: string; settings: Record<string, unknown> }[]; error?: { name: string; constraint?: string; message: string } };
}

describe('mediacapture constraints', () => {
  it('shows the fitness distance of each candidate and the one SelectSettings picks', async () => {
    const r = await runCli(['constraints', '--json', '{"video":{"width":{"min":640,"ideal":1280},"height":{"min":480,"ideal":720}}}'], env());
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const [video] = report.kinds;
    expect(video!.kind).toBe('video');
    const camera = video!.devices[0]!;
    // Three native modes, each as it is and cropped/scaled.
    expect(camera.candidates).toHaveLength(6);
    const chosen = camera.candidates.filter((c) => c.chosen);
    expect(chosen).toHaveLength(1);
    expect(chosen[0]).toMatchObject({ mode: { width: 1280, height: 720 }, resizeMode: 'none', distance: 0 });
    const native640 = camera.candidates.find((c) => c.mode.width === 640 && c.resizeMode === 'none')!;
    expect(native640.distance).toBeCloseTo(0.5 + 1 / 3, 6); // width |640-1280|/1280 + height |480-720|/720
    expect(camera.result).toMatchObject({ distance: 0, settings: { width: 1280, height: 720 } });
    expect(video!.pick).toBe(camera.deviceId);
    expect(report.getUserMedia.tracks![0]!.settings).toMatchObject({ width: 1280, height: 720, resizeMode: 'none' });
  });

  it('prints the candidates as a table with the chosen one marked', async () => {
    const r = await runCli(['constraints', '{"video":{"width":{"min":640,"ideal":1280},"height":{"min":480,"ideal":720}}}'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+✓\s+1280x720@30 native\s+0\s+meets every ideal$/m);
    expect(r.stdout).toMatch(/^\s+640x480@30 native\s+0\.8333\s+height 0\.3333, width 0\.5$/m);
    expect(r.stdout).toContain('getUserMedia resolved:');
  });

  it('names the constraint that fails on every candidate, and exits with the overconstrained status', async () => {
    const r = await runCli(['constraints', '--json', '{"video":{"width":{"min":2000}}}'], env());
    expect(r.code).toBe(8);
    const report = JSON.parse(r.stdout) as Report;
    const camera = report.kinds[0]!.devices[0]!;
    expect(camera.result).toEqual({ failed: 'width' });
    for (const c of camera.candidates) expect(c).toMatchObject({ rejected: 'basic', failed: ['width'], chosen: false });
    expect(report.kinds[0]!.pick).toBeNull();
    expect(report.getUserMedia.error).toMatchObject({ name: 'OverconstrainedError', constraint: 'width' });
    expect(r.stderr).toMatch(/^mediacapture constraints: No camera can satisfy the constraint "width"\./);
  });

  it('shows which advanced sets were kept and which candidates they dropped (the spec example)', async () => {
    const r = await runCli(['constraints', '--json', '{"video":{"advanced":[{"width":1920,"height":1280},{"aspectRatio":1.3333333333}]}}'], env());
    expect(r.code).toBe(0);
    const camera = (JSON.parse(r.stdout) as Report).kinds[0]!.devices[0]!;
    expect(camera.advanced).toEqual([false, true]);
    const dropped = camera.candidates.filter((c) => c.rejected === 1);
    expect(dropped.length).toBeGreaterThan(0);
    const chosen = camera.candidates.find((c) => c.chosen)!;
    expect(chosen.settings!.aspectRatio).toBeCloseTo(4 / 3, 6);
  });

  it('traces every device and shows the one getUserMedia picks', async () => {
    const r = await runCli(['constraints', '--json', '{"video":{"width":{"min":1280}},"audio":true}'], env({ MEDIACAPTURE_DEVICES: TWO_CAMERAS }));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.kinds.map((k) => k.kind)).toEqual(['audio', 'video']);
    const video = report.kinds[1]!;
    const [small, wide] = video.devices;
    expect(small!.label).toBe('Small camera');
    expect(small!.result).toEqual({ failed: 'width' });
    expect(wide!.result.settings).toMatchObject({ width: 1920, height: 1080 });
    expect(video.pick).toBe(wide!.deviceId);
    expect(report.getUserMedia.tracks!.map((t) => t.label).sort()).toEqual(['Desk microphone', 'Wide camera']);
  });
});

describe('mediacapture snapshot', () => {
  it('writes a PNG of the size asked for, showing the camera picture', async () => {
    const path = join(dir, 'photo.png');
    const r = await runCli(['snapshot', path, '--width', '320', '--height', '240'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('320x240 PNG');
    expect(pngHeader(path)).toEqual({ width: 320, height: 240, bitDepth: 8, colorType: 2 });
    // The test pattern's colour bars across the upper half: grey, yellow, cyan, green, magenta, red, blue.
    const rgb = await decodeImage(path);
    const y = 200 - 100; // well inside the bars, below the frame code box
    const bars = [0, 1, 2, 3, 4, 5, 6].map((i) => {
      const x = Math.round(((i + 0.5) * 320) / 7);
      const at = (y * 320 + x) * 3;
      return [rgb[at]!, rgb[at + 1]!, rgb[at + 2]!];
    });
    const colour = ([r, g, b]: number[]) => [r! > 128 ? 'R' : '', g! > 128 ? 'G' : '', b! > 128 ? 'B' : ''].join('');
    expect(bars.map(colour)).toEqual(['RGB', 'RG', 'GB', 'G', 'RB', 'R', 'B']);
  });

  it('writes a JPEG through ffmpeg; one side given, the other follows the aspect ratio', async () => {
    const path = join(dir, 'photo.jpg');
    const r = await runCli(['snapshot', path, '--width', '160'], env());
    expect(r.code).toBe(0);
    const rgb = await decodeImage(path);
    expect(rgb.length).toBe(160 * 120 * 3);
    expect(r.stdout).toContain('160x120 JPEG');
  });

  it('--device picks a camera by id prefix', async () => {
    const e = env({ MEDIACAPTURE_DEVICES: TWO_CAMERAS });
    const { devices } = JSON.parse((await runCli(['devices', '--json'], e)).stdout) as { devices: { label: string; deviceId: string }[] };
    const small = devices.find((d) => d.label === 'Small camera')!;
    const path = join(dir, 'small.png');
    const r = await runCli(['snapshot', path, '--device', small.deviceId.slice(0, 8)], e);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('from "Small camera"');
    expect(pngHeader(path)).toMatchObject({ width: 320, height: 240 });
  });
});

describe.skipIf(!onPath('Xvfb') && !inCi())('mediacapture snapshot --screen', () => {
  let xvfb: Xvfb;
  beforeAll(async () => {
    xvfb = await startXvfb({ size: '320x240x24' });
    await xvfb.paint('#00ff00');
  });
  afterAll(async () => {
    await xvfb?.stop();
  });

  it('captures the screen (getDisplayMedia on an X display) into a PNG', async () => {
    const path = join(dir, 'screen.png');
    const r = await runCli(['snapshot', path, '--screen'], env({ MEDIACAPTURE_BACKENDS: `builtin,x11:${xvfb.display}`, DISPLAY: xvfb.display }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(pngHeader(path)).toMatchObject({ width: 320, height: 240 });
    const rgb = await decodeImage(path);
    // Away from the middle, where the X server draws its cursor.
    const at = (40 * 320 + 40) * 3;
    expect([rgb[at], rgb[at + 1], rgb[at + 2]].map((v) => Math.round(v! / 255))).toEqual([0, 1, 0]);
  });

  it('scales the screen down to --width', async () => {
    const path = join(dir, 'screen-small.png');
    const r = await runCli(['snapshot', path, '--screen', '--width', '160'], env({ MEDIACAPTURE_BACKENDS: `builtin,x11:${xvfb.display}`, DISPLAY: xvfb.display }));
    expect(r.code).toBe(0);
    expect(pngHeader(path)).toMatchObject({ width: 160, height: 120 });
  });

  it('6: no screen to capture (no display backend)', async () => {
    expectError(await runCli(['snapshot', join(dir, 'none.png'), '--screen'], env({ MEDIACAPTURE_BACKENDS: 'builtin' })), 6, 'snapshot', /screen/);
  });

  it('5: screen capture denied', async () => {
    const e = env({ MEDIACAPTURE_BACKENDS: `builtin,x11:${xvfb.display}`, DISPLAY: xvfb.display, MEDIACAPTURE_PERMISSIONS: 'display-capture=denied' });
    expectError(await runCli(['snapshot', join(dir, 'denied.png'), '--screen'], e), 5, 'snapshot', /screen/, /display-capture=granted/);
  });
});

describe('errors: one line saying what happened and what to do, and a distinct exit status', () => {
  const png = () => join(dir, 'error.png');

  it('2: an unknown command, an unknown option, a missing file name, a bad MEDIACAPTURE_DEVICES', async () => {
    expectError(await runCli(['snap'], env()), 2, 'snap', /not a mediacapture command/);
    expectError(await runCli(['devices', '--jsn'], env()), 2, 'devices', /no option --jsn/);
    expectError(await runCli(['snapshot'], env()), 2, 'snapshot', /one file name/);
    expectError(await runCli(['snapshot', join(dir, 'x.gif')], env()), 2, 'snapshot', /\.png, \.jpg or \.jpeg/);
    expectError(await runCli(['snapshot', png(), '--width', 'wide'], env()), 2, 'snapshot', /--width must be a positive whole number/);
    expectError(await runCli(['devices'], env({ MEDIACAPTURE_DEVICES: '{' })), 2, 'devices', /MEDIACAPTURE_DEVICES is not valid/);
    expectError(await runCli(['devices'], env({ MEDIACAPTURE_PERMISSIONS: 'camera=maybe' })), 2, 'devices', /MEDIACAPTURE_PERMISSIONS is not valid/);
    expectError(await runCli(['devices'], env({ MEDIACAPTURE_BACKENDS: 'webcam' })), 2, 'devices', /MEDIACAPTURE_BACKENDS is not valid: Unknown device backend "webcam"/);
    expectError(await runCli(['devices'], env({ MEDIACAPTURE_DEVICES: '[{"kind":"videoinput","videoModes":[]}]' })), 2, 'devices', /MEDIACAPTURE_DEVICES is not valid: .*at least one video mode/);
  });

  it('3: constraints that are not JSON, or not MediaStreamConstraints', async () => {
    expectError(await runCli(['constraints', '{video:true}'], env()), 3, 'constraints', /not valid JSON/, /Quote it/);
    expectError(await runCli(['constraints', '{"width":1280}'], env()), 3, 'constraints', /neither audio nor video/, /\{"video":\{"width":1280\}\}/);
    expectError(await runCli(['constraints', '{"video":{"advanced":7}}'], env()), 3, 'constraints', /Invalid constraints/);
    expectError(await runCli(['record', join(dir, 'x.webm'), '--video={"width":'], env()), 3, 'record', /--video is not valid JSON/);
  });

  it('4: ffmpeg missing (MEDIACAPTURE_FFMPEG pointing nowhere, or not on PATH)', async () => {
    expectError(await runCli(['snapshot', join(dir, 'x.jpg')], env({ MEDIACAPTURE_FFMPEG: '/nonexistent/ffmpeg' })), 4, 'snapshot', /ffmpeg/, /apt-get install ffmpeg/);
    expectError(await runCli(['record', join(dir, 'x.webm'), '--duration', '1s'], env({ PATH: '/nonexistent' })), 4, 'record', /"ffmpeg" on PATH: not found/);
  });

  it('5: permission denied', async () => {
    expectError(await runCli(['snapshot', png()], env({ MEDIACAPTURE_PERMISSIONS: 'camera=denied' })), 5, 'snapshot', /Permission to use the camera was denied/, /camera=granted/);
    expectError(await runCli(['constraints', '{"audio":true}'], env({ MEDIACAPTURE_PERMISSIONS: '{"microphone":"denied"}' })), 5, 'constraints', /microphone/);
  });

  it('6: no device of the kind asked for', async () => {
    expectError(await runCli(['snapshot', png()], env({ MEDIACAPTURE_DEVICES: '[]' })), 6, 'snapshot', /No camera found/, /mediacapture devices/);
    expectError(await runCli(['constraints', '{"audio":true}'], env({ MEDIACAPTURE_DEVICES: '[{"kind":"videoinput"}]' })), 6, 'constraints', /No microphone found/);
    expectError(await runCli(['snapshot', png(), '--device', 'ffffffff'], env()), 6, 'snapshot', /No camera has an id starting with "ffffffff"/);
  });

  it('7: the device is busy', async () => {
    const busy = JSON.stringify([{ kind: 'videoinput', label: 'Held camera', failing: true }]);
    expectError(await runCli(['snapshot', png()], env({ MEDIACAPTURE_DEVICES: busy })), 7, 'snapshot', /could not be started/, /Held camera/, /Close any other program/);
  });

  it('8: no device satisfies the required constraints', async () => {
    expectError(await runCli(['snapshot', png(), '--width', '5000'], env()), 8, 'snapshot', /constraint "width"/, /ideal/);
  });
});
