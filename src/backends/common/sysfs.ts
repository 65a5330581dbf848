/**
 * Video4Linux nodes and the hardware they belong to, read from sysfs (no udev needed):
 * `/sys/class/video4linux/videoN/{name,index,device}`.
 *
 * Group keys: a webcam's camera and its microphone are separate USB interfaces of one USB device,
 * e.g. `…/usb1/1-1/1-1:1.0` (video) and `…/usb1/1-1/1-1:1.3` (audio, whose ALSA card is
 * `…/1-1:1.3/sound/card1`). Both map to the key of the USB device, `usb:/devices/…/usb1/1-1`,
 * so that the two get one groupId. The PulseAudio backend can compute the same key from a card's
 * `sysfs.path` property with {@link groupKeyOfSysfsPath}, and the ALSA card numbers' keys come
 * from {@link soundCardGroups}.
 */
import { readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';

/** One /dev/videoN node. */
export interface VideoNode {
  /** "video0" */
  readonly node: string;
  /** "/dev/video0" */
  readonly path: string;
  /** The device's name (sysfs `name`), e.g. "HD Pro Webcam C920". */
  readonly name: string;
  /** sysfs `index`: 0 for a device's main node, 1… for its other nodes (a UVC camera's metadata node). */
  readonly index: number;
  /** The hardware device's sysfs path without the /sys prefix, e.g. "/devices/pci0000:00/…/1-1/1-1:1.0". */
  readonly sysfsPath?: string;
  /** Shared by the nodes and sound cards of one physical product. */
  readonly groupKey: string;
}

/** A USB device's directory name: "1-1", "3-2.4" (bus-port[.port…]). */
const USB_DEVICE = /^\d+-\d+(\.\d+)*$/;

/**
 * The USB device a sysfs path lies under ("usb:" + its path), or undefined when the path is not
 * on USB. `/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.3/sound/card1` →
 * `usb:/devices/pci0000:00/0000:00:14.0/usb1/1-1`.
 */
export function usbDeviceKey(sysfsPath: string): string | undefined {
  const parts = sysfsPath.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    if (USB_DEVICE.test(parts[i]!)) return `usb:${parts.slice(0, i + 1).join('/')}`;
  }
  return undefined;
}

/** The group key of a device at a sysfs path: its USB device's, else the path itself. */
export function groupKeyOfSysfsPath(sysfsPath: string): string {
  return usbDeviceKey(sysfsPath) ?? `sysfs:${sysfsPath}`;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** The device link's target without the sysfs root, or undefined (a virtual device without one). */
async function devicePath(sysRoot: string, link: string): Promise<string | undefined> {
  try {
    const [target, root] = await Promise.all([realpath(link), realpath(sysRoot)]);
    return target.startsWith(root) ? target.slice(root.length) : target;
  } catch {
    return undefined;
  }
}

/** The video nodes the kernel lists, in number order. None when sysfs has no video4linux class. */
export async function listVideoNodes(sysRoot = '/sys', devRoot = '/dev'): Promise<VideoNode[]> {
  const classDir = join(sysRoot, 'class', 'video4linux');
  let entries: string[];
  try {
    entries = (await readdir(classDir)).filter((e) => /^video\d+$/.test(e));
  } catch {
    return [];
  }
  entries.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  return Promise.all(
    entries.map(async (node): Promise<VideoNode> => {
      const dir = join(classDir, node);
      const [name, index, sysfsPath] = await Promise.all([readText(join(dir, 'name')), readText(join(dir, 'index')), devicePath(sysRoot, join(dir, 'device'))]);
      return {
        node,
        path: join(devRoot, node),
        name: name || node,
        index: Number(index ?? 0) || 0,
        ...(sysfsPath ? { sysfsPath } : {}),
        groupKey: sysfsPath ? groupKeyOfSysfsPath(sysfsPath) : `v4l2:${node}`,
      };
    }),
  );
}

/** The group key of each ALSA sound card (by card number), from `/sys/class/sound/cardN/device`. */
export async function soundCardGroups(sysRoot = '/sys'): Promise<Map<number, string>> {
  const dir = join(sysRoot, 'class', 'sound');
  const out = new Map<number, string>();
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter((e) => /^card\d+$/.test(e));
  } catch {
    return out;
  }
  for (const card of entries) {
    const path = await devicePath(sysRoot, join(dir, card, 'device'));
    if (path) out.set(Number(card.slice(4)), groupKeyOfSysfsPath(path));
  }
  return out;
}
