import { sameMode } from '../algorithms/constraints/index.js';
import type { AudioMode, DeviceDescriptor, VideoMode } from '../media/modes.js';
import type { Media } from '../media/route.js';
import { Source } from '../media/source.js';

/** Hooks of a {@link RemoteSource}: what to tell the thread that holds the real source. */
export interface RemoteSourceHooks {
  /** The first sink subscribed (true) or the last one left (false). */
  onDemand(active: boolean): void;
  /** The source stopped: because it ended over there (`ended`), or its last track here ended. */
  onStop(ended: boolean): void;
}

/**
 * The stand-in, in a receiving thread, for a device source that lives in the thread a track was
 * transferred from. It emits the frames that arrive from there (at the device's native mode), so
 * each track here adapts them to its own settings. It cannot change the device's mode: a track
 * here crop-and-scales from the mode the device runs in.
 */
export class RemoteSource extends Source {
  readonly #hooks: RemoteSourceHooks;

  constructor(device: DeviceDescriptor, mode: VideoMode | AudioMode, hooks: RemoteSourceHooks) {
    super(device, mode);
    this.#hooks = hooks;
  }

  /** Media from the other thread (taken over). */
  receive(media: Media): void {
    this.emit(media);
  }

  /** The source over there ended: every track here ends. */
  endRemote(reason: string): void {
    this.end(reason);
  }

  /** The source over there was muted or unmuted. */
  setMutedState(muted: boolean): void {
    this.setMuted(muted);
  }

  protected override async reconfigureSource(mode: VideoMode | AudioMode): Promise<boolean> {
    return sameMode(mode, this.mode);
  }

  protected override demandChanged(active: boolean): void {
    this.#hooks.onDemand(active);
  }

  protected stopSource(): void {
    this.#hooks.onStop(this.ended);
  }
}
