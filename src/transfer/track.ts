/**
 * Transferable MediaStreamTrack (https://w3c.github.io/mediacapture-extensions/#transferable-mediastreamtrack, "Transferable
 * MediaStreamTrack"), for Node's worker threads.
 *
 * `postMessage` cannot carry our class instances, so transfer is explicit: `serializeTrack(track)`
 * (interfaces/transfer.ts) runs the transfer steps here and returns plain data with a
 * `MessagePort`; post it with its transfer list, and the receiving thread runs the
 * transfer-receiving steps with `deserializeTrack(data)`, which gives a live MediaStreamTrack
 * there. Both threads must load this package.
 *
 * As the spec requires, the source stays in the original thread (it keeps the device, its
 * privacy indicators and its permission; stopping all sources there ends the transferred track),
 * and a data holder stays attached to it until the receiving side's tracks have all ended (or its
 * thread exits). Frames flow over the port only while a consumer in the receiving thread wants
 * them, at the source's native size; tracks there crop-and-scale them in their own thread.
 * Video pixels are copied once into SharedArrayBuffers that the receiver reads in place.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { MediaTrackCapabilities, MediaTrackConstraints, MediaTrackSettings } from '../algorithms/constraints/index.js';
import { getCapabilities, getConstraints } from '../algorithms/track/constrainable.js';
import { DeviceTrackSource } from '../algorithms/device-track.js';
import { generatorTrackSource } from '../algorithms/transform/generator-track-source.js';
import type { InterfaceObjects } from '../algorithms/interface-objects.js';
import type { TrackSource } from '../algorithms/track/source.js';
import { cloneTrack, setContentHint, setEnabled, stopTrack, type MediaStreamTrackState, type Track } from '../algorithms/track/track.js';
import { GeneratorSource } from '../media/generator-source.js';
import type { AudioMode, DeviceDescriptor, VideoMode } from '../media/modes.js';
import type { MediaPermissionName } from '../scope/permissions.js';
import { deserializeAudioData, videoFrameFrom, type TransferRecord } from './frame.js';
import type { ClientMessage, ServerMessage } from './protocol.js';
import { RemoteSource } from './remote-source.js';
import { serveTrack } from './track-server.js';

/** A transferred track's data holder, as plain data plus the port its media comes through. */
export interface SerializedTrack {
  readonly type: 'MediaStreamTrack';
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly readyState: MediaStreamTrackState;
  readonly enabled: boolean;
  readonly muted: boolean;
  readonly contentHint: string;
  readonly constraints: MediaTrackConstraints;
  /** The settings SelectSettings chose for the track (what its media is adapted to). */
  readonly settings: MediaTrackSettings;
  readonly capabilities: MediaTrackCapabilities;
  readonly permission: MediaPermissionName | null;
  /** Whether the source is a generator (VideoTrackGenerator, MediaStreamTrackGenerator) or a device. */
  readonly origin: 'generator' | 'device';
  /** The device and the native mode it runs in (device origin). */
  readonly device: DeviceDescriptor;
  readonly mode: VideoMode | AudioMode;
  /** The port media comes through; null for a track that had ended. */
  readonly port: MessagePort | null;
}

/**
 * The MediaStreamTrack transfer steps. Afterwards `track` is ended (no `ended` event) and cannot
 * be transferred again; its source keeps running for the receiving thread, held by a clone made
 * with `interfaces`. Throws a DataCloneError DOMException for a track that was transferred already.
 */
export function trackTransferSteps(track: Track, interfaces: Pick<InterfaceObjects, 'createMediaStreamTrack'>): TransferRecord<SerializedTrack> {
  // 1. If value.[[IsDetached]] is true, throw a "DataCloneError" DOMException.
  if (track.detached) throw new DOMException('serializeTrack: this MediaStreamTrack was transferred already.', 'DataCloneError');
  // 2. (The agent cluster: a Node process and its worker threads are one.)
  const source = track.source.media;
  const live = track.readyState === 'live';
  // The data holder is attached to the source as a track is, and serves it over a port.
  let port: MessagePort | null = null;
  if (live) {
    const channel = new MessageChannel();
    serveTrack(cloneTrack(track, interfaces), channel.port1);
    port = channel.port2;
  }
  // 3.–11. id, kind, label, readyState, enabled, muted, source, constraints, content hint.
  const data: SerializedTrack = {
    type: 'MediaStreamTrack',
    id: track.id,
    kind: track.kind,
    label: track.label,
    readyState: track.readyState,
    enabled: track.enabled,
    muted: track.muted,
    contentHint: track.contentHint,
    constraints: getConstraints(track),
    settings: structuredClone(track.settings),
    capabilities: structuredClone(getCapabilities(track)),
    permission: track.source.permission,
    origin: source instanceof GeneratorSource ? 'generator' : 'device',
    device: plainDevice(source.device),
    mode: { ...source.mode },
    port,
  };
  // 12. Set value.[[IsDetached]] to true.
  track.detached = true;
  // 13. Set value.[[ReadyState]] to "ended", without stopping the underlying source or firing an
  //     ended event: stop() does just that, as the data holder keeps the source.
  stopTrack(track);
  return { data, transfer: port ? [port] : [] };
}

/**
 * The MediaStreamTrack transfer-receiving steps: a MediaStreamTrack (made with `interfaces`) in
 * this thread whose media comes from the source in the thread `data` was serialized in. Each
 * `data` can be received once.
 */
export function trackTransferReceivingSteps(data: SerializedTrack, interfaces: Pick<InterfaceObjects, 'createMediaStreamTrack'>): Track {
  const port = data.port;
  // 1. (One agent cluster: nothing to check.)
  const post = (message: ClientMessage) => port?.postMessage(message);
  const onDemand = (active: boolean) => {
    post({ t: 'demand', active });
    if (active) port?.ref();
    else port?.unref();
  };
  const onStop = (endedThere: boolean) => {
    if (!endedThere) post({ t: 'close' });
    port?.close();
  };
  let source: GeneratorSource | RemoteSource;
  let trackSource: TrackSource;
  if (data.origin === 'generator') {
    const generator = new GeneratorSource(data.kind === 'audio' ? 'audio' : 'video', { onDemand, onStop: (reason) => onStop(reason === 'closed') });
    source = generator;
    trackSource = generatorTrackSource(generator);
  } else {
    const remote = new RemoteSource(data.device, data.mode, { onDemand, onStop });
    source = remote;
    trackSource = remoteDeviceTrackSource(remote, data);
  }
  // 7. muted, as the source is.
  if (data.muted) source.setMutedState(true);
  // 5. readyState: a track that had ended arrives ended.
  if (data.readyState !== 'live' || port === null) endSource(source, 'The track had ended before it was transferred.');
  // 2.–4., 9.–10. kind, label and source (from the track source); constraints (and settings).
  const track = interfaces.createMediaStreamTrack({ source: trackSource, id: data.id, settings: data.settings, constraints: data.constraints });
  // 6. enabled; 8. the application-set content hint.
  setEnabled(track, data.enabled);
  setContentHint(track, data.contentHint);
  if (port !== null && !source.stopped) receive(port, source);
  return track;
}

/** Feeds what arrives on `port` into `source`. */
function receive(port: MessagePort, source: GeneratorSource | RemoteSource): void {
  const deliver = (media: Parameters<RemoteSource['receive']>[0]) => (source instanceof GeneratorSource ? source.write(media) : source.receive(media));
  port.on('message', (message: ServerMessage) => {
    switch (message.t) {
      case 'video': {
        const id = message.id;
        deliver(videoFrameFrom(message.frame, () => port.postMessage({ t: 'release', id } satisfies ClientMessage)));
        break;
      }
      case 'audio':
        deliver(deserializeAudioData(message.audio));
        break;
      case 'muted':
        source.setMutedState(message.muted);
        break;
      case 'ended':
        endSource(source, message.reason);
        break;
    }
  });
  // The sending thread is gone: so is the source.
  port.on('close', () => endSource(source, 'The thread that held the source of this track has gone.'));
  port.unref();
}

function endSource(source: GeneratorSource | RemoteSource, reason: string): void {
  if (source instanceof GeneratorSource) source.close(reason);
  else source.endRemote(reason);
}

/**
 * The source of a received device track: the capabilities it had, and SelectSettings over the
 * device's native modes restricted to the mode it runs in (the device is the other thread's).
 */
function remoteDeviceTrackSource(source: RemoteSource, data: SerializedTrack): TrackSource {
  const ids = { deviceId: String(data.settings.deviceId ?? ''), groupId: String(data.settings.groupId ?? '') };
  return new DeviceTrackSource({
    media: source,
    device: data.device,
    ids,
    label: data.label,
    permission: data.permission,
    capabilities: data.capabilities,
    runningModeOnly: true,
  });
}

/** The data of a device descriptor (a getter-backed one, like a generator's, read now). */
function plainDevice(device: DeviceDescriptor): DeviceDescriptor {
  const { rawId, kind, label, groupKey, facingMode, videoModes, audioModes, echoCancellation, autoGainControl, noiseSuppression, isDefault } = device;
  const out: Record<string, unknown> = { rawId, kind, label, groupKey, facingMode, videoModes, audioModes, echoCancellation, autoGainControl, noiseSuppression, isDefault };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return structuredClone(out) as unknown as DeviceDescriptor;
}
