import { describe, expect, it } from 'vitest';
import { openTab, record, tasks } from './harness.js';

async function camera(options = {}) {
  const tab = openTab(options);
  const stream = await tab.mediaDevices.getUserMedia({ video: true });
  return { tab, track: stream.getVideoTracks()[0]! };
}

describe('MediaStreamTrack', () => {
  it('exposes kind, id, label, enabled, muted and readyState', async () => {
    const { track } = await camera();
    expect(track.kind).toBe('video');
    expect(track.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(track.label).toBe('Built-in Camera (synthetic)');
    expect(track.enabled).toBe(true);
    expect(track.muted).toBe(false);
    expect(track.readyState).toBe('live');
    track.enabled = false;
    expect(track.enabled).toBe(false);
    (track as any).enabled = 'yes';
    expect(track.enabled).toBe(true);
  });

  it('clone() has a new id, the same source and settings, and its own enabled state', async () => {
    const { tab, track } = await camera();
    track.enabled = false;
    const clone = track.clone();
    expect(clone.id).not.toBe(track.id);
    expect(clone.label).toBe(track.label);
    expect(clone.enabled).toBe(false);
    expect(clone.getSettings()).toEqual(track.getSettings());
    expect(clone.getConstraints()).toEqual(track.getConstraints());
    clone.enabled = true;
    expect(track.enabled).toBe(false);
    // Same source: stopping the original keeps the device open for the clone.
    track.stop();
    expect(tab.handle.devices.sourcesOf('builtin-camera')).toHaveLength(1);
    clone.stop();
    expect(tab.handle.devices.sourcesOf('builtin-camera')).toHaveLength(0);
  });

  it('stop() ends the track without an ended event and releases the source with the last track', async () => {
    const { tab, track } = await camera();
    const log = record(track, 'ended');
    track.stop();
    expect(track.readyState).toBe('ended');
    track.stop();
    await tasks();
    expect(log).toEqual([]);
    expect(tab.handle.devices.sourcesOf()).toHaveLength(0);
  });

  it('a clone of an ended track is ended', async () => {
    const { track } = await camera();
    track.stop();
    expect(track.clone().readyState).toBe('ended');
  });

  it('unplugging the device ends every track of it with exactly one queued ended event', async () => {
    const { tab, track } = await camera();
    const clone = track.clone();
    const log1 = record(track, 'ended');
    const log2 = record(clone, 'ended');
    tab.handle.devices.unplug('builtin-camera');
    expect(track.readyState).toBe('live'); // queued, not synchronous
    expect(log1).toEqual([]);
    await tasks();
    expect(track.readyState).toBe('ended');
    expect(log1).toEqual(['ended']);
    expect(log2).toEqual(['ended']);
    await tasks();
    expect(log1).toEqual(['ended']);
  });

  it('an interruption mutes then unmutes, as queued tasks', async () => {
    const { tab, track } = await camera();
    const log = record(track, 'mute', 'unmute', 'ended');
    tab.handle.devices.interrupt('builtin-camera');
    expect(track.muted).toBe(false);
    await tasks();
    expect(track.muted).toBe(true);
    tab.handle.devices.resume('builtin-camera');
    await tasks();
    expect(track.muted).toBe(false);
    expect(log).toEqual(['mute', 'unmute']);
  });

  it('mute comes before ended when a device is interrupted and then unplugged', async () => {
    const { tab, track } = await camera();
    const log = record(track, 'mute', 'unmute', 'ended');
    tab.handle.devices.interrupt('builtin-camera');
    tab.handle.devices.unplug('builtin-camera');
    await tasks();
    expect(log).toEqual(['mute', 'ended']);
  });

  it('a track created while its device is interrupted starts muted', async () => {
    const tab = openTab();
    tab.handle.devices.interrupt('builtin-camera');
    const track = (await tab.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0]!;
    expect(track.muted).toBe(true);
  });

  it('getSettings() after the end keeps only deviceId, groupId and facingMode', async () => {
    const { track } = await camera();
    const live = track.getSettings();
    expect(live).toMatchObject({ width: expect.any(Number), height: expect.any(Number), frameRate: expect.any(Number) });
    track.stop();
    expect(track.getSettings()).toEqual({ deviceId: live.deviceId, groupId: live.groupId, facingMode: live.facingMode });
  });

  it('validates contentHint per kind and ignores invalid values', async () => {
    const { track } = await camera();
    expect(track.contentHint).toBe('');
    track.contentHint = 'detail';
    expect(track.contentHint).toBe('detail');
    track.contentHint = 'speech';
    expect(track.contentHint).toBe('detail');
    track.contentHint = '';
    expect(track.contentHint).toBe('');
  });

  it('applyConstraints() changes settings in a queued task and keeps getConstraints()', async () => {
    const { track } = await camera();
    const p = track.applyConstraints({ width: { exact: 320 }, height: { exact: 240 } });
    expect(track.getSettings().width).not.toBe(320);
    await p;
    expect(track.getSettings()).toMatchObject({ width: 320, height: 240, resizeMode: 'crop-and-scale' });
    expect(track.getConstraints()).toEqual({ width: { exact: 320 }, height: { exact: 240 } });
  });

  it('applyConstraints() rejects with OverconstrainedError naming the constraint and keeps the old state', async () => {
    const { track } = await camera();
    const before = track.getSettings();
    const err = await track.applyConstraints({ width: { min: 100000 } }).catch((e) => e);
    expect(err.name).toBe('OverconstrainedError');
    expect(err.constraint).toBe('width');
    expect(track.getSettings()).toEqual(before);
    expect(track.getConstraints()).toEqual({});
  });

  it('applyConstraints() on an ended track resolves and changes nothing', async () => {
    const { track } = await camera();
    track.stop();
    await expect(track.applyConstraints({ width: { exact: 1 } })).resolves.toBeUndefined();
  });

  it('applyConstraints() calls settle in order', async () => {
    const { track } = await camera();
    const order: number[] = [];
    await Promise.all([
      track.applyConstraints({ width: { exact: 320 } }).then(() => order.push(1)),
      track.applyConstraints({ width: { exact: 640 } }).then(() => order.push(2)),
    ]);
    expect(order).toEqual([1, 2]);
    expect(track.getSettings().width).toBe(640);
  });

  it('a shared source keeps its native mode: applyConstraints crops and scales from it', async () => {
    const { track } = await camera();
    const clone = track.clone();
    await clone.applyConstraints({ width: { exact: 1920 } }).catch(() => {});
    expect(track.getSettings().width).toBe(640);
    clone.stop();
    await track.applyConstraints({ width: { exact: 1920 } });
    expect(track.getSettings().width).toBe(1920);
  });
});
