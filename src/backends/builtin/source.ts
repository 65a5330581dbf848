import type { AudioMode, DeviceDescriptor, VideoMode } from '../../media/modes.js';
import { Source } from '../../media/source.js';
import type { BuiltinDeviceConfig } from './config.js';

/**
 * A built-in synthetic device opened in one native mode. The provider drives its life-cycle
 * (interrupt, resume, unplug); media generation is attached by the media pipeline.
 */
export class BuiltinSource extends Source {
  readonly config: BuiltinDeviceConfig;
  #onStop: (source: BuiltinSource) => void;

  constructor(device: DeviceDescriptor, mode: VideoMode | AudioMode, config: BuiltinDeviceConfig, onStop: (source: BuiltinSource) => void) {
    super(device, mode);
    this.config = config;
    this.#onStop = onStop;
  }

  /** The device was interrupted (muted) or came back. */
  interrupt(muted: boolean): void {
    this.setMuted(muted);
  }

  /** The device went away: every track ends. */
  unplugged(): void {
    this.end('The device was unplugged.');
  }

  /** A synthetic device can run in any of its modes at any time. */
  protected override async reconfigureSource(): Promise<boolean> {
    return true;
  }

  protected stopSource(): void {
    this.#onStop(this);
  }
}
