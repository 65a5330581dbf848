import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface, idlLength } from '../platform/interface.js';
import type { DeviceInfo } from '../algorithms/enumerate-devices.js';
import type { MediaTrackCapabilities } from '../webidl/constraints.js';
import { registerInterface } from '../webidl/index.js';

export type MediaDeviceKind = 'audioinput' | 'audiooutput' | 'videoinput';

interface DeviceInfoInit {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
  groupId: string;
}

let isMediaDeviceInfo: (value: unknown) => boolean;

/** MediaDeviceInfo (mediacapture-main §9.3). Created by enumerateDevices(); not constructible. */
export class MediaDeviceInfo {
  #deviceId: string;
  #kind: MediaDeviceKind;
  #label: string;
  #groupId: string;

  constructor(token?: typeof INTERNAL, init?: DeviceInfoInit) {
    if (token !== INTERNAL || !init) throw illegalConstructor(new.target?.name ?? 'MediaDeviceInfo');
    this.#deviceId = init.deviceId;
    this.#kind = init.kind;
    this.#label = init.label;
    this.#groupId = init.groupId;
  }

  get deviceId(): string {
    if (!(#deviceId in this)) throw illegalInvocation('MediaDeviceInfo', 'deviceId');
    return this.#deviceId;
  }

  get kind(): MediaDeviceKind {
    if (!(#kind in this)) throw illegalInvocation('MediaDeviceInfo', 'kind');
    return this.#kind;
  }

  get label(): string {
    if (!(#label in this)) throw illegalInvocation('MediaDeviceInfo', 'label');
    return this.#label;
  }

  get groupId(): string {
    if (!(#groupId in this)) throw illegalInvocation('MediaDeviceInfo', 'groupId');
    return this.#groupId;
  }

  /** WebIDL's default toJSON: the four attributes. */
  toJSON(): { deviceId: string; kind: MediaDeviceKind; label: string; groupId: string } {
    if (!(#deviceId in this)) throw illegalInvocation('MediaDeviceInfo', 'toJSON');
    return { deviceId: this.#deviceId, kind: this.#kind, label: this.#label, groupId: this.#groupId };
  }

  static {
    isMediaDeviceInfo = (value) => typeof value === 'object' && value !== null && #deviceId in value;
  }
}
exposeInterface(MediaDeviceInfo);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(MediaDeviceInfo, 0);

registerInterface('MediaDeviceInfo', (value) => isMediaDeviceInfo(value));
declare module '../webidl/interface-types.js' {
  interface InterfaceTypes {
    MediaDeviceInfo: MediaDeviceInfo;
  }
}

/** InputDeviceInfo (§9.4): a MediaDeviceInfo for an input, with the device's capabilities. */
export class InputDeviceInfo extends MediaDeviceInfo {
  #capabilities: () => MediaTrackCapabilities;

  constructor(token?: typeof INTERNAL, init?: DeviceInfoInit & { capabilities: () => MediaTrackCapabilities }) {
    super(token, init);
    this.#capabilities = init!.capabilities;
  }

  /**
   * The capabilities a track from this device would report, or `{}` while device information
   * is not exposed (the info was filtered).
   */
  getCapabilities(): MediaTrackCapabilities {
    if (!(#capabilities in this)) throw illegalInvocation('InputDeviceInfo', 'getCapabilities');
    return this.#capabilities();
  }
}
exposeInterface(InputDeviceInfo);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(InputDeviceInfo, 0);

/** The device info object script sees for a device info record: an InputDeviceInfo for an input, else a MediaDeviceInfo. */
export function deviceInfoObject(info: DeviceInfo): MediaDeviceInfo {
  const { deviceId, kind, label, groupId, capabilities } = info;
  if (capabilities === undefined) return new MediaDeviceInfo(INTERNAL, { deviceId, kind, label, groupId });
  return new InputDeviceInfo(INTERNAL, { deviceId, kind, label, groupId, capabilities });
}
