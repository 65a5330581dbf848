/**
 * A fake /sys laid out as the kernel lays it out (class entries are symlinks into /sys/devices,
 * each with a `device` link to the hardware), for a machine with:
 *
 * - a Logitech C920 on USB port 1-1: video0 (capture), video1 (metadata) on interface 1-1:1.0,
 *   its microphone as ALSA card1 on interface 1-1:1.2;
 * - an Elgato Cam Link 4K behind a hub, port 1-3.2: video2 on interface 1-3.2:1.0;
 * - the onboard sound card (PCI, HDA) as card0;
 * - a v4l2loopback node, video9, with no hardware behind it.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const C920_USB = '/devices/pci0000:00/0000:00:14.0/usb1/1-1';
export const CAMLINK_USB = '/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3.2';

export function makeSysfs(): { sysRoot: string; devRoot: string } {
  const root = mkdtempSync(join(tmpdir(), 'mediacapture-sysfs-'));
  const sysRoot = join(root, 'sys');
  const devRoot = join(root, 'dev');
  mkdirSync(devRoot, { recursive: true });
  const link = (target: string, at: string) => {
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(relative(dirname(at), target), at);
  };
  const videoNode = (hardware: string | undefined, node: string, name: string, index: number) => {
    const dir = hardware ? join(sysRoot, hardware, 'video4linux', node) : join(sysRoot, 'devices/virtual/video4linux', node);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'name'), `${name}\n`);
    writeFileSync(join(dir, 'index'), `${index}\n`);
    writeFileSync(join(dir, 'dev'), `81:${node.slice(5)}\n`);
    if (hardware) link(join(sysRoot, hardware), join(dir, 'device'));
    link(dir, join(sysRoot, 'class/video4linux', node));
  };
  const soundCard = (hardware: string, card: string) => {
    const dir = join(sysRoot, hardware, 'sound', card);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'number'), `${card.slice(4)}\n`);
    link(join(sysRoot, hardware), join(dir, 'device'));
    link(dir, join(sysRoot, 'class/sound', card));
  };
  videoNode(`${C920_USB}/1-1:1.0`, 'video0', 'HD Pro Webcam C920', 0);
  videoNode(`${C920_USB}/1-1:1.0`, 'video1', 'HD Pro Webcam C920', 1);
  videoNode(`${CAMLINK_USB}/1-3.2:1.0`, 'video2', 'Cam Link 4K: Cam Link 4K', 0);
  videoNode(undefined, 'video9', 'Dummy video device (0x0000)', 0);
  soundCard(`${C920_USB}/1-1:1.2`, 'card1');
  soundCard('/devices/pci0000:00/0000:00:1f.3', 'card0');
  return { sysRoot, devRoot };
}
