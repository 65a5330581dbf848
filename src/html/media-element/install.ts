/**
 * Makes a window's `<video>` and `<audio>` play, where the window has no media pipeline of its own
 * (jsdom, happy-dom): patches `HTMLMediaElement.prototype` and `HTMLVideoElement.prototype` with
 * HTML's media element attributes and methods, backed by {@link MediaElementState}, and restores
 * what was there on uninstall. A MediaStream of this package plays as `srcObject`; a media file
 * (file:, http(s): or blob: URL, or a path relative to the document) plays as `src`, through ffmpeg.
 */
import type { InterfaceObjects } from '../../algorithms/interface-objects.js';
import type { Track } from '../../algorithms/track/track.js';
import type { Clock } from '../../media/clock/index.js';
import { illegalInvocation } from '../../platform/errors.js';
import { INTERNAL } from '../../platform/interface.js';
import { monotonicNow } from '../../platform/timers.js';
import { streamOf } from '../../interfaces/MediaStream.js';
import { MediaStreamTrackEvent } from '../../interfaces/MediaStreamTrackEvent.js';
import { captureStream as captureElementStream } from './capture-stream.js';
import { FileProvider, type Fetch } from './file-provider.js';
import { MediaError } from './media-error.js';
import { MediaElementState, type ElementContext } from './media-element.js';
import { VideoPlaybackQuality } from './playback-quality.js';
import { setSinkId as changeSinkId, type AudioOutputIds } from './sink-id.js';
import { StreamProvider } from './stream-provider.js';
import { TimeRanges } from './time-ranges.js';
import { windowOf, type ElementLike, type WindowLike } from './dom.js';

/** What the media elements of one installation use. */
export interface MediaElementOptions {
  /** The media clock: the installation's clock (a VirtualClock in deterministic tests). */
  readonly clock: Clock;
  /** Makes the MediaStream and tracks of captureStream(). */
  readonly interfaces: InterfaceObjects;
  /** The audio output device ids enumerateDevices() lists to this window (setSinkId). */
  readonly audioOutputIds: AudioOutputIds;
}

type Proto = Record<string, unknown>;
type Win = WindowLike;

const READY_STATES = { HAVE_NOTHING: 0, HAVE_METADATA: 1, HAVE_CURRENT_DATA: 2, HAVE_FUTURE_DATA: 3, HAVE_ENOUGH_DATA: 4 };
const NETWORK_STATES = { NETWORK_EMPTY: 0, NETWORK_IDLE: 1, NETWORK_LOADING: 2, NETWORK_NO_SOURCE: 3 };

/**
 * Patches `window`'s media element classes. Returns the function that stops every element's
 * playback (ending its ffmpeg processes and sinks) and restores the classes. Does nothing (and
 * returns a no-op) when the window has no `HTMLMediaElement`.
 */
export function installMediaElements(window: object, options: MediaElementOptions): () => void {
  const win = window as Win;
  const MediaElement = win.HTMLMediaElement as (abstract new () => ElementLike) | undefined;
  if (typeof MediaElement !== 'function') return () => {};
  const proto = MediaElement.prototype as unknown as Proto;
  const videoProto = (win.HTMLVideoElement as { prototype?: Proto } | undefined)?.prototype;

  const states = new WeakMap<object, MediaElementState>();
  const active = new Set<MediaElementState>();
  const context: ElementContext = {
    // Read at each use: the installation's clock can change (handle.setClock, reset()).
    get clock() {
      return options.clock;
    },
    providerForObject: (object, host, element) => {
      const stream = streamOf(object);
      return stream ? new StreamProvider(stream, host, element.localName === 'video') : undefined;
    },
    providerForUrl: (url, host, element) => {
      const fetch = ((windowOf(element) ?? win).fetch as Fetch | undefined) ?? (globalThis.fetch as unknown as Fetch);
      return new FileProvider(url, host, element.localName === 'video', fetch);
    },
    track: (state, on) => void (on ? active.add(state) : active.delete(state)),
  };
  const stateOf = (element: unknown, member: string): MediaElementState => {
    if (typeof element !== 'object' || element === null || !Object.prototype.isPrototypeOf.call(proto, element)) {
      throw illegalInvocation('HTMLMediaElement', member);
    }
    let state = states.get(element);
    if (!state) states.set(element, (state = new MediaElementState(element as ElementLike, context)));
    return state;
  };
  const promiseOf = (element: object): PromiseConstructor => {
    return windowOf(element)?.Promise ?? win.Promise ?? Promise;
  };

  const restore: (() => void)[] = [];
  const define = (target: Proto | object, key: string, descriptor: PropertyDescriptor) => {
    const had = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { configurable: true, enumerable: true, ...descriptor });
    restore.push(() => (had ? Object.defineProperty(target, key, had) : delete (target as Proto)[key]));
  };
  const inherited = (key: string) => {
    for (let p: object | null = proto; p; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (d) return d;
    }
    return undefined;
  };
  const getter = (key: string, get: (state: MediaElementState) => unknown) =>
    define(proto, key, {
      get(this: unknown) {
        return get(stateOf(this, key));
      },
    });
  /** An attribute a MediaStream pins (mediacapture-main §6): the original accessor otherwise. */
  const pinnedForStreams = (key: string, value: unknown) => {
    const original = inherited(key);
    define(proto, key, {
      get(this: unknown) {
        return stateOf(this, key).playingStream ? value : original?.get?.call(this);
      },
      set(this: unknown, v: unknown) {
        if (!stateOf(this, key).playingStream) original?.set?.call(this, v);
      },
    });
  };

  // Constants (happy-dom has none).
  for (const [name, value] of Object.entries({ ...READY_STATES, ...NETWORK_STATES })) {
    if (!(name in proto)) define(proto, name, { value, enumerable: true, writable: false });
    if (!(name in MediaElement)) define(MediaElement, name, { value, enumerable: true, writable: false });
  }

  // srcObject: "set the element's assigned media provider object to the new value, and then
  // invoke the element's media element load algorithm".
  define(proto, 'srcObject', {
    get(this: unknown) {
      return stateOf(this, 'srcObject').srcObject;
    },
    set(this: unknown, value: unknown) {
      const state = stateOf(this, 'srcObject');
      if (value !== null && value !== undefined && !streamOf(value)) {
        throw new TypeError("Failed to set the 'srcObject' property on 'HTMLMediaElement': The provided value is not of type 'MediaStream' (a MediaStream of mediacapture).");
      }
      state.srcObject = (value ?? null) as object | null;
      state.load();
    },
  });
  // src: a reflected attribute whose change invokes the load algorithm. setAttribute and
  // removeAttribute of `src` do the same.
  const srcAccessor = inherited('src');
  define(proto, 'src', {
    get(this: unknown) {
      stateOf(this, 'src');
      return srcAccessor?.get?.call(this) ?? (this as ElementLike).getAttribute('src') ?? '';
    },
    set(this: unknown, value: unknown) {
      stateOf(this, 'src');
      (this as ElementLike).setAttribute('src', String(value));
    },
  });
  const nativeSetAttribute = inherited('setAttribute')!.value as (this: ElementLike, name: string, value: string) => void;
  const nativeRemoveAttribute = inherited('removeAttribute')!.value as (this: ElementLike, name: string) => void;
  define(proto, 'setAttribute', {
    writable: true,
    value: function setAttribute(this: ElementLike, name: string, _value: string) {
      nativeSetAttribute.apply(this, arguments as unknown as [string, string]);
      if (String(name).toLowerCase() === 'src' && this.namespaceURI === 'http://www.w3.org/1999/xhtml') stateOf(this, 'setAttribute').load();
    },
  });
  define(proto, 'removeAttribute', {
    writable: true,
    value: function removeAttribute(this: ElementLike, name: string) {
      const had = this.hasAttribute(String(name));
      nativeRemoveAttribute.apply(this, arguments as unknown as [string]);
      if (had && String(name).toLowerCase() === 'src') stateOf(this, 'removeAttribute').load();
    },
  });

  getter('currentSrc', (s) => s.currentSrc);
  getter('networkState', (s) => s.networkState);
  getter('readyState', (s) => s.readyState);
  getter('paused', (s) => s.paused);
  getter('ended', (s) => s.ended);
  getter('seeking', (s) => s.seeking);
  getter('error', (s) => s.error);
  getter('duration', (s) => s.duration);
  getter('sinkId', (s) => s.sinkId);
  // A MediaStream is not preloadable, seekable or buffered; its played range is [0, currentTime].
  getter('buffered', () => new TimeRanges(INTERNAL, []));
  getter('seekable', (s) => new TimeRanges(INTERNAL, s.playingStream || !(s.duration > 0) ? [] : [[0, s.duration]]));
  getter('played', (s) => new TimeRanges(INTERNAL, s.playingStream || s.playedEnd > 0 ? [[0, s.playedEnd]] : []));
  pinnedForStreams('preload', 'none');

  define(proto, 'currentTime', {
    get(this: unknown) {
      return stateOf(this, 'currentTime').currentTime;
    },
    set(this: unknown, value: unknown) {
      const state = stateOf(this, 'currentTime');
      const time = Number(value);
      if (!Number.isFinite(time)) throw new TypeError("Failed to set the 'currentTime' property on 'HTMLMediaElement': The provided double value is non-finite.");
      // A MediaStream: "Any attempt to alter it MUST be ignored." Else seek (HAVE_NOTHING: ignored here).
      if (!state.playingStream) void state.seek(time);
    },
  });
  define(proto, 'fastSeek', {
    writable: true,
    value: function fastSeek(this: unknown, time: unknown) {
      const state = stateOf(this, 'fastSeek');
      if (!state.playingStream) void state.seek(Number(time));
    },
  });
  for (const key of ['playbackRate', 'defaultPlaybackRate'] as const) {
    define(proto, key, {
      get(this: unknown) {
        const state = stateOf(this, key);
        return state.playingStream ? 1 : state[key];
      },
      set(this: unknown, value: unknown) {
        const state = stateOf(this, key);
        const rate = Number(value);
        if (!Number.isFinite(rate)) throw new TypeError(`Failed to set the '${key}' property on 'HTMLMediaElement': The provided double value is non-finite.`);
        if (state.playingStream || state[key] === rate) return;
        state[key] = rate;
        if (key === 'playbackRate') state.rateChanged();
        // "queue a media element task given the media element to fire an event named ratechange".
        state.queueEvent('ratechange');
      },
    });
  }

  define(proto, 'load', {
    writable: true,
    value: function load(this: unknown) {
      stateOf(this, 'load').load();
    },
  });
  define(proto, 'play', {
    writable: true,
    value: function play(this: unknown): Promise<void> {
      const P = promiseOf(this as object);
      let state: MediaElementState;
      try {
        state = stateOf(this, 'play');
      } catch (e) {
        return P.reject(e);
      }
      return new P<void>((resolve, reject) => state.play({ resolve, reject }));
    },
  });
  define(proto, 'pause', {
    writable: true,
    value: function pause(this: unknown) {
      stateOf(this, 'pause').pause();
    },
  });
  define(proto, 'canPlayType', {
    writable: true,
    value: function canPlayType(this: unknown, type: unknown) {
      stateOf(this, 'canPlayType');
      // ffmpeg plays the common containers; "maybe" is what browsers say without codecs.
      return /^(video|audio)\/(webm|mp4|ogg|x-matroska|wav|wave|mpeg|x-wav|quicktime)\b/i.test(String(type)) ? 'maybe' : '';
    },
  });
  define(proto, 'captureStream', {
    writable: true,
    value: function captureStream(this: unknown) {
      const state = stateOf(this, 'captureStream');
      const view = windowOf(this as object) ?? win;
      const EventCtor = (view.MediaStreamTrackEvent as typeof MediaStreamTrackEvent | undefined) ?? MediaStreamTrackEvent;
      const trackEvent = (type: 'addtrack' | 'removetrack', track: Track) => new EventCtor(type, { track: track.object as never });
      return captureElementStream(state, options.interfaces, trackEvent).object;
    },
  });
  define(proto, 'setSinkId', {
    writable: true,
    value: function setSinkId(this: unknown, sinkId: unknown): Promise<void> {
      const P = promiseOf(this as object);
      try {
        const state = stateOf(this, 'setSinkId');
        if (arguments.length < 1) throw new TypeError("Failed to execute 'setSinkId' on 'HTMLMediaElement': 1 argument required, but only 0 present.");
        const id = String(sinkId);
        return new P<void>((resolve, reject) => changeSinkId(state, id, options.audioOutputIds).then(resolve, reject));
      } catch (e) {
        return P.reject(e);
      }
    },
  });

  if (videoProto) {
    const videoState = (element: unknown, member: string) => {
      if (!Object.prototype.isPrototypeOf.call(videoProto, element as object)) throw illegalInvocation('HTMLVideoElement', member);
      return stateOf(element, member);
    };
    define(videoProto, 'videoWidth', {
      get(this: unknown) {
        return videoState(this, 'videoWidth').videoWidth;
      },
    });
    define(videoProto, 'videoHeight', {
      get(this: unknown) {
        return videoState(this, 'videoHeight').videoHeight;
      },
    });
    define(videoProto, 'getVideoPlaybackQuality', {
      writable: true,
      value: function getVideoPlaybackQuality(this: unknown) {
        const state = videoState(this, 'getVideoPlaybackQuality');
        // creationTime is on the window's timeline (its time origin); without a window, Node's.
        const now = (windowOf(this as object) ?? win).performance?.now() ?? monotonicNow();
        return new VideoPlaybackQuality(INTERNAL, now, state.droppedVideoFrames, state.totalVideoFrames + state.droppedVideoFrames);
      },
    });
  }
  // The interfaces these attributes return, where the window has none (jsdom).
  for (const [name, value] of Object.entries({ MediaError, TimeRanges, VideoPlaybackQuality })) {
    if (win[name] === undefined) define(win, name, { value, writable: true, enumerable: false });
  }

  // "When a media element is removed from a Document": await a stable state (a mutation
  // observer's callback runs as a microtask), and if the element is not in a document, run the
  // internal pause steps. So a dropped element stops playing and ends its ffmpeg processes.
  // https://html.spec.whatwg.org/multipage/media.html#playing-the-media-resource
  const Observer = win.MutationObserver as (new (cb: (records: { removedNodes: ArrayLike<unknown> }[]) => void) => { observe(target: unknown, options: object): void; disconnect(): void }) | undefined;
  const document = win.document as { documentElement?: unknown } | undefined;
  let observer: { disconnect(): void } | undefined;
  if (typeof Observer === 'function' && document) {
    const removed = new Observer((records) => {
      for (const record of records) {
        for (const node of Array.from(record.removedNodes)) {
          const list = node as { querySelectorAll?: (s: string) => ArrayLike<unknown> };
          const elements = [node, ...Array.from(list.querySelectorAll?.('video, audio') ?? [])];
          for (const element of elements) {
            const state = states.get(element as object);
            if (state && !(element as { isConnected?: boolean }).isConnected) state.removedFromDocument();
          }
        }
      }
    });
    removed.observe(document, { childList: true, subtree: true });
    observer = removed;
  }

  return () => {
    observer?.disconnect();
    for (const state of [...active]) state.release();
    active.clear();
    for (const r of restore.reverse()) r();
  };
}
