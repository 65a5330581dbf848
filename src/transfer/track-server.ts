/**
 * The sending side of a transferred track: the "data holder" that keeps the underlying source
 * attached in the original thread (mediacapture-extensions, "Transferable MediaStreamTrack": "the
 * data holder is attached to the underlying source as if it was a track"), and feeds the source's
 * media to the receiving thread while it asks for it.
 */
import type { MessagePort } from 'node:worker_threads';
import { observeTrack, stopTrack, type Track } from '../algorithms/track/track.js';
import type { Media } from '../media/route.js';
import { videoFramePlanes } from '../webcodecs/internal.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { describeVideoFrame, serializeAudioData } from './frame.js';
import type { ClientMessage, ServerMessage } from './protocol.js';
import { SharedBufferPool } from './shared-pool.js';

/**
 * Serves `holder` (a track of the source, made for the transfer) on `port` until either side
 * ends. Media goes as the source makes it: the receiving tracks adapt it to their settings.
 * Video pixels are copied once into a shared buffer (none when they already sit on one).
 */
export function serveTrack(holder: Track, port: MessagePort): void {
  const source = holder.source.media;
  const pool = new SharedBufferPool();
  /** What each lent id keeps alive: a pool buffer to give back, or a frame whose shared bytes were sent as they are. */
  const lent = new Map<number, Uint8Array | VideoFrame>();
  let nextId = 1;
  let unsubscribe: (() => void) | undefined;
  let finished = false;

  const post = (message: ServerMessage, transfer?: readonly ArrayBuffer[]) => {
    if (!finished) port.postMessage(message, transfer as ArrayBuffer[] | undefined);
  };

  const send = (media: Media) => {
    if (finished) return media.close();
    if (!('codedWidth' in media)) {
      const { data, transfer } = serializeAudioData(media);
      post({ t: 'audio', audio: data }, transfer as ArrayBuffer[]);
      return;
    }
    const planes = videoFramePlanes(media);
    const id = nextId++;
    if (planes.data.buffer instanceof SharedArrayBuffer) {
      lent.set(id, media);
      post({ t: 'video', id, frame: describeVideoFrame(media, planes.layout, planes.data) });
      return;
    }
    const shared = pool.take(planes.data.byteLength);
    shared.set(planes.data);
    lent.set(id, shared);
    const frame = describeVideoFrame(media, planes.layout, shared);
    media.close();
    post({ t: 'video', id, frame });
  };

  const setDemand = (active: boolean) => {
    if (active && unsubscribe === undefined && !source.stopped) {
      unsubscribe = source.subscribe(null, send);
      port.ref();
    } else if (!active && unsubscribe !== undefined) {
      unsubscribe();
      unsubscribe = undefined;
      port.unref();
    }
  };

  const finish = () => {
    if (finished) return;
    finished = true;
    unsubscribe?.();
    unsubscribe = undefined;
    unobserve();
    for (const item of lent.values()) if (!(item instanceof Uint8Array)) item.close();
    lent.clear();
    port.close();
    stopTrack(holder);
  };

  const unobserve = observeTrack(holder, {
    mutedChanged: (muted) => post({ t: 'muted', muted }),
    ended: () => {
      post({ t: 'ended', reason: 'The source of the transferred track ended.' });
      finish();
    },
  });

  port.on('message', (message: ClientMessage) => {
    switch (message.t) {
      case 'demand':
        setDemand(message.active);
        break;
      case 'release': {
        const item = lent.get(message.id);
        lent.delete(message.id);
        if (item instanceof Uint8Array) pool.give(item);
        else item?.close();
        break;
      }
      case 'close':
        finish();
        break;
    }
  });
  // The other side is gone (its thread exited): let go of the source.
  port.on('close', finish);
  port.unref();
}
