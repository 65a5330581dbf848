/**
 * The minimal X11 client: display names, Xauthority cookies, the connection setup reply, and
 * noticing that the server went away. Checked against real Xvfb servers, with and without
 * cookie authentication.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FAMILY_INTERNET,
  FAMILY_LOCAL,
  FAMILY_WILD,
  X11DisplayProvider,
  XConnection,
  findCookie,
  parseDisplayName,
  parseXauthority,
  setupRequest,
} from '../../src/backends/x11/index.js';
import { startXvfb } from './xvfb.js';

const dir = mkdtempSync(join(tmpdir(), 'mediacapture-xauth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An Xauthority file, written as xauth writes it (big-endian counted strings). */
function xauthority(entries: { family: number; address: Buffer | string; number: string; name?: string; data: Buffer }[]): Buffer {
  const counted = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
  return Buffer.concat(
    entries.map((e) =>
      Buffer.concat([
        Buffer.from([e.family >> 8, e.family & 255]),
        counted(Buffer.isBuffer(e.address) ? e.address : Buffer.from(e.address)),
        counted(Buffer.from(e.number)),
        counted(Buffer.from(e.name ?? 'MIT-MAGIC-COOKIE-1')),
        counted(e.data),
      ]),
    ),
  );
}

describe('display names', () => {
  it.each([
    [':0', { host: '', display: 0, screen: 0 }],
    [':99.1', { host: '', display: 99, screen: 1 }],
    ['unix:3', { host: '', display: 3, screen: 0 }],
    ['localhost:10.0', { host: 'localhost', display: 10, screen: 0 }],
    ['192.168.1.5:0', { host: '192.168.1.5', display: 0, screen: 0 }],
  ])('parses %s', (name, parsed) => expect(parseDisplayName(name)).toEqual(parsed));

  it.each(['', 'wayland-0', ':x', '0'])('rejects %j with a TypeError', (name) => expect(() => parseDisplayName(name)).toThrow(TypeError));
});

describe('Xauthority', () => {
  const local = { family: FAMILY_LOCAL, address: hostname(), number: '7', data: Buffer.alloc(16, 7) };
  const other = { family: FAMILY_LOCAL, address: 'elsewhere', number: '7', data: Buffer.alloc(16, 1) };
  const wild = { family: FAMILY_WILD, address: '', number: '', data: Buffer.alloc(16, 9) };
  const inet = { family: FAMILY_INTERNET, address: Buffer.from([10, 0, 0, 2]), number: '0', data: Buffer.alloc(16, 4) };

  it('parses entries, and keeps the complete ones of a truncated file', () => {
    const file = xauthority([local, inet]);
    const entries = parseXauthority(file);
    expect(entries.map((e) => [e.family, e.number, e.name, e.data.length])).toEqual([
      [FAMILY_LOCAL, '7', 'MIT-MAGIC-COOKIE-1', 16],
      [FAMILY_INTERNET, '0', 'MIT-MAGIC-COOKIE-1', 16],
    ]);
    expect(parseXauthority(file.subarray(0, file.length - 3))).toHaveLength(1);
  });

  it('finds the cookie of this host\'s display, a wildcard, or an IPv4 address', () => {
    const h = hostname();
    expect(findCookie(parseXauthority(xauthority([other, local])), parseDisplayName(':7'), h)?.data[0]).toBe(7);
    expect(findCookie(parseXauthority(xauthority([other, local])), parseDisplayName(':8'), h)).toBeUndefined();
    expect(findCookie(parseXauthority(xauthority([other, wild])), parseDisplayName(':8'), h)?.data[0]).toBe(9);
    expect(findCookie(parseXauthority(xauthority([inet])), parseDisplayName('10.0.0.2:0'), h)?.data[0]).toBe(4);
    expect(findCookie(parseXauthority(xauthority([inet])), parseDisplayName('10.0.0.3:0'), h)).toBeUndefined();
  });

  it('writes the setup request with the cookie padded to 4 bytes', () => {
    const req = setupRequest({ name: 'MIT-MAGIC-COOKIE-1', data: Buffer.alloc(16, 1) });
    expect(req.length).toBe(12 + 20 + 16);
    expect([req[0], req.readUInt16LE(2), req.readUInt16LE(6), req.readUInt16LE(8)]).toEqual([0x6c, 11, 18, 16]);
  });
});

describe('XConnection against Xvfb', () => {
  it('reads the screens\' sizes, and says when the server goes away', async () => {
    const x = await startXvfb({ size: '321x123x24', extraArgs: ['-screen', '1', '64x48x16'] });
    try {
      const c = await XConnection.connect(x.display, { env: x.env });
      expect(c.info.protocolMajor).toBe(11);
      expect(c.info.vendor).toMatch(/X\.Org/);
      expect(c.info.screens.map((s) => [s.width, s.height, s.rootDepth])).toEqual([
        [321, 123, 24],
        [64, 48, 16],
      ]);
      let closed = false;
      void c.closed.then(() => (closed = true));
      await x.stop();
      await c.closed;
      expect(closed).toBe(true);
      expect(c.closedHere).toBe(false);
    } finally {
      await x.stop();
    }
  });

  it('keeps Node running while it connects (a pending getDisplayMedia must), not while it idles after', async () => {
    const x = await startXvfb({ size: '64x48x24' });
    try {
      const pipes = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('Pipe')).length;
      const before = pipes();
      const pending = XConnection.connect(x.display, { env: x.env });
      expect(pipes()).toBeGreaterThan(before);
      const c = await pending;
      expect(pipes()).toBe(before);
      c.close();
    } finally {
      await x.stop();
    }
  });

  it('lists one surface per screen, with modes at the capture rate and lower grab rates, each with and without the cursor', async () => {
    const x = await startXvfb({ size: '320x240x24', extraArgs: ['-screen', '1', '160x120x24'] });
    try {
      const devices = await new X11DisplayProvider({ display: x.display, env: () => x.env, frameRate: 15 }).enumerate();
      const modes = (w: number, h: number) =>
        [15, 10, 5, 1].flatMap((frameRate) => [
          { width: w, height: h, frameRate, pixelFormat: 'I420', cursor: 'always' },
          { width: w, height: h, frameRate, pixelFormat: 'I420', cursor: 'never' },
        ]);
      expect(devices.map((d) => [d.rawId, d.label, d.videoModes])).toEqual([
        [`${x.display}.0`, `Screen 1 (${x.display}.0)`, modes(320, 240)],
        [`${x.display}.1`, `Screen 2 (${x.display}.1)`, modes(160, 120)],
      ]);
    } finally {
      await x.stop();
    }
  });

  it('authenticates with the MIT-MAGIC-COOKIE-1 of XAUTHORITY, and is refused without it', async () => {
    const cookie = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const serverAuth = join(dir, 'server.auth');
    writeFileSync(serverAuth, xauthority([{ family: FAMILY_WILD, address: '', number: '', data: cookie }]));
    const clientAuth = join(dir, 'client.auth');
    const x = await startXvfb({ extraArgs: ['-auth', serverAuth] });
    try {
      const n = x.display.slice(1);
      writeFileSync(clientAuth, xauthority([{ family: FAMILY_LOCAL, address: hostname(), number: n, data: cookie }]));
      const c = await XConnection.connect(x.display, { env: { ...x.env, XAUTHORITY: clientAuth } });
      expect(c.info.screens).toHaveLength(1);
      c.close();
      await expect(XConnection.connect(x.display, { env: { ...x.env, XAUTHORITY: join(dir, 'none') } })).rejects.toThrow(/refused|authentication/);
      // The provider reports the refusal as the reason there is no surface.
      const provider = new X11DisplayProvider({ display: x.display, env: () => ({ ...x.env, XAUTHORITY: join(dir, 'none') }) });
      expect(await provider.enumerate()).toEqual([]);
      expect(provider.lastError).toMatch(/refused|authentication/);
      // And capture works with the cookie (ffmpeg's libxcb reads the same file).
      const ok = new X11DisplayProvider({ display: x.display, env: () => ({ ...x.env, XAUTHORITY: clientAuth }) });
      const [screen] = await ok.enumerate();
      const source = await ok.open(screen!, { mode: screen!.videoModes![1]! });
      const observer = { sourceMutedChanged() {}, sourceEnded() {} };
      source.attach(observer);
      source.detach(observer);
      await source.exited;
    } finally {
      await x.stop();
    }
  });
});
