/**
 * The ALSA backend's listing, on the files a laptop with an HDA codec (card0, ALC257) and a USB
 * webcam (Logitech C920, card1) shows: /proc/asound/{cards,pcm} and `arecord --dump-hw-params`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { AlsaProvider, alsaDevices, audioModesOf, parseAsoundCards, parseAsoundPcm, parseHwParams } from '../../src/backends/alsa/index.js';
import { listVideoNodes } from '../../src/backends/common/sysfs.js';
import { makeSysfs } from '../v4l2/sysfs-tree.js';

const dir = fileURLToPath(new URL('./fixtures/laptop-c920/', import.meta.url));
const fixture = (name: string) => readFileSync(`${dir}${name}`, 'utf8');

describe('/proc/asound parsers', () => {
  it('reads the cards with their ids, drivers and long names', () => {
    expect(parseAsoundCards(fixture('cards'))).toEqual([
      { index: 0, id: 'PCH', driver: 'HDA-Intel', name: 'HDA Intel PCH', longName: 'HDA Intel PCH at 0x6001120000 irq 147' },
      { index: 1, id: 'C920', driver: 'USB-Audio', name: 'HD Pro Webcam C920', longName: 'HD Pro Webcam C920 at usb-0000:00:14.0-1, high speed' },
    ]);
    expect(parseAsoundCards('--- no soundcards ---\n')).toEqual([]);
  });

  it('reads the PCMs with their playback and capture subdevice counts', () => {
    const pcms = parseAsoundPcm(fixture('pcm'));
    expect(pcms).toHaveLength(5);
    expect(pcms[0]).toEqual({ card: 0, device: 0, id: 'ALC257 Analog', name: 'ALC257 Analog', playback: 1, capture: 1 });
    expect(pcms[1]).toEqual({ card: 0, device: 3, id: 'HDMI 0', name: 'HDMI 0', playback: 1, capture: 0 });
    expect(pcms[4]).toEqual({ card: 1, device: 0, id: 'USB Audio', name: 'USB Audio', playback: 0, capture: 1 });
  });

  it('reads rates, channels and formats from arecord --dump-hw-params', () => {
    expect(parseHwParams(fixture('dump-hw-params-hw1.txt'))).toEqual({ formats: ['S16_LE'], channels: { min: 2, max: 2 }, rate: { min: 16000, max: 32000 } });
    expect(parseHwParams(fixture('dump-hw-params-hw0.txt'))).toEqual({ formats: ['S16_LE', 'S32_LE'], channels: { min: 2, max: 2 }, rate: { min: 44100, max: 192000 } });
    const nullPcm = parseHwParams(readFileSync(fileURLToPath(new URL('./fixtures/dump-hw-params-null.txt', import.meta.url)), 'utf8'))!;
    expect(nullPcm.channels).toEqual({ min: 1, max: 1073741823 });
    expect(nullPcm.formats).toContain('S16_LE');
    expect(parseHwParams('arecord: main:831: audio open error: No such file or directory\n')).toBeUndefined();
  });

  it('offers the preferred rates a device supports, in stereo where it can', () => {
    expect(audioModesOf(parseHwParams(fixture('dump-hw-params-hw1.txt'))).map((m) => [m.sampleRate, m.channelCount])).toEqual([[32000, 2], [16000, 2]]);
    expect(audioModesOf(parseHwParams(fixture('dump-hw-params-hw0.txt'))).map((m) => m.sampleRate)).toEqual([48000, 44100]);
    expect(audioModesOf({ formats: ['S16_LE'], channels: { min: 1, max: 1 }, rate: { min: 22050, max: 22050 } })).toEqual([{ sampleRate: 22050, channelCount: 1, sampleSize: 16, latency: 0.01 }]);
    expect(audioModesOf(undefined)).toEqual([{ sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 }]);
  });
});

describe('ALSA devices', () => {
  it('lists the capture PCMs only, by card id, the first as default', () => {
    const devices = alsaDevices({ cards: parseAsoundCards(fixture('cards')), pcms: parseAsoundPcm(fixture('pcm')), groups: new Map() });
    expect(devices.map((d) => [d.rawId, d.label, d.isDefault ?? false, d.groupKey])).toEqual([
      ['plughw:CARD=PCH,DEV=0', 'HDA Intel PCH: ALC257 Analog', true, 'alsa-card:0'],
      ['plughw:CARD=C920,DEV=0', 'HD Pro Webcam C920: USB Audio', false, 'alsa-card:1'],
    ]);
    expect(devices.every((d) => d.kind === 'audioinput')).toBe(true);
  });

  it("groups the webcam's microphone with its camera through sysfs", async () => {
    const { sysRoot, devRoot } = makeSysfs();
    const mics = await new AlsaProvider({ asoundRoot: dir, sysRoot }).enumerate();
    const cameras = await listVideoNodes(sysRoot, devRoot);
    const c920 = mics.find((d) => d.label.startsWith('HD Pro Webcam C920'))!;
    const pch = mics.find((d) => d.label.startsWith('HDA Intel PCH'))!;
    expect(c920.groupKey).toBe('usb:/devices/pci0000:00/0000:00:14.0/usb1/1-1');
    expect(pch.groupKey).toBe('sysfs:/devices/pci0000:00/0000:00:1f.3');
    expect(cameras.filter((c) => c.groupKey === c920.groupKey).map((c) => c.node)).toEqual(['video0', 'video1']);
    expect(cameras.some((c) => c.groupKey === pch.groupKey)).toBe(false);
  });

  it('tells watchers when the PCM list changes', async () => {
    // /proc/asound/pcm is a named pipe here, so that the test hands the watcher each read itself:
    // opening the pipe for writing waits until the watcher opens it to read (its next poll
    // begins), and the watcher reads what is written until the pipe is closed. Each read gets a
    // pipe of its own, put in place as soon as the previous one is open.
    const root = mkdtempSync(join(tmpdir(), 'mediacapture-asound-'));
    const pcm = join(root, 'pcm');
    let pipes = 0;
    const install = (): void => {
      const next = join(root, `pcm.${pipes++}`);
      execFileSync('mkfifo', [next]);
      renameSync(next, pcm);
    };
    /** Waits for the watcher's next read. */
    const nextRead = async (): Promise<FileHandle> => {
      const pipe = await open(pcm, 'w');
      install();
      return pipe;
    };
    const answer = async (pipe: FileHandle, text: string): Promise<void> => {
      await pipe.writeFile(text);
      await pipe.close();
    };
    try {
      writeFileSync(join(root, 'cards'), fixture('cards'));
      install();
      const full = fixture('pcm');
      const fewer = full.split('\n').slice(0, 4).join('\n');
      const provider = new AlsaProvider({ asoundRoot: root, sysRoot: '/nonexistent', pollMs: 20 });
      let calls = 0;
      const unwatch = provider.watch(() => calls++);
      // Polls run one at a time: when a read begins, the previous one has been dealt with.
      await answer(await nextRead(), full); // the first poll: what there is
      await answer(await nextRead(), full); // unchanged
      let pipe = await nextRead();
      expect(calls).toBe(0);
      await answer(pipe, fewer); // changed
      pipe = await nextRead();
      expect(calls).toBe(1);
      // Unwatched while this read runs: it calls nobody, and no read follows.
      unwatch();
      writeFileSync(join(root, 'pcm.file'), fewer);
      renameSync(join(root, 'pcm.file'), pcm);
      await answer(pipe, full);
      expect(calls).toBe(1);
      expect((await provider.enumerate()).map((d) => d.rawId)).toEqual(['plughw:CARD=PCH,DEV=0']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
