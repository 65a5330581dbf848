import { describe, expect, it } from 'vitest';
import { groupKeyOf } from '../../src/backends/pulse/descriptors.js';
import { groupKeyOfSysfsPath } from '../../src/backends/common/sysfs.js';
import { mediaDevicesInternals } from '../../src/interfaces/MediaDevices.js';
import { openTab } from './harness.js';

describe('groupId', () => {
  it('ties a webcam\'s V4L2 camera to its PulseAudio microphone through the USB device', () => {
    const usb = '/devices/pci0000:00/0000:00:14.0/usb1/1-2';
    const cameraKey = groupKeyOfSysfsPath(`${usb}/1-2:1.0/video4linux/video0`);
    const micKey = groupKeyOf({ index: 1, fields: { Name: 'alsa_input.usb-webcam' }, properties: { 'sysfs.path': `${usb}/1-2:1.2/sound/card1` } } as never, new Map());
    expect(micKey).toBe(cameraKey);
    const state = mediaDevicesInternals.state(openTab().mediaDevices);
    const camera = { key: 'v4l2:/dev/video0', provider: { name: 'v4l2' }, descriptor: { groupKey: cameraKey } } as never;
    const mic = { key: 'pulse:alsa_input.usb-webcam', provider: { name: 'pulse' }, descriptor: { groupKey: micKey } } as never;
    expect(state.groupIdOf(camera)).toBe(state.groupIdOf(mic));
    // Keys that do not name hardware stay apart across backends.
    const a = { key: 'builtin:x', provider: { name: 'builtin' }, descriptor: { groupKey: 'same' } } as never;
    const b = { key: 'file:x', provider: { name: 'file' }, descriptor: { groupKey: 'same' } } as never;
    expect(state.groupIdOf(a)).not.toBe(state.groupIdOf(b));
  });
});
