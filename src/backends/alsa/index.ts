/** The ALSA backend (no sound server): see provider.ts. */
export { AlsaProvider, type AlsaProviderOptions } from './provider.js';
export { AlsaSource, type AlsaSourceOptions } from './source.js';
export {
  alsaDevices,
  audioModesOf,
  parseAsoundCards,
  parseAsoundPcm,
  parseHwParams,
  PERIOD_SECONDS,
  type AlsaInventory,
  type AsoundCard,
  type AsoundPcm,
  type HwParams,
  type HwRange,
} from './asound.js';
export { AlsaWithoutServer, hasSoundCards } from './fallback.js';
