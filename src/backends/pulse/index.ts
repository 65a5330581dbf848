/** The PulseAudio backend: see provider.ts. */
export { PulseProvider, type PulseProviderOptions } from './provider.js';
export { PulseSource, type SamplesCallback, type PulseSourceOptions } from './source.js';
export { pulseDevices, groupKeyOf, expectedLatency, REQUESTED_LATENCY_MS, type PulseInventory } from './descriptors.js';
export {
  parsePactlList,
  parsePactlInfo,
  parseSampleSpec,
  parseSubscribeLine,
  type PactlObject,
  type SampleSpec,
  type PulseEvent,
} from './pactl-text.js';
