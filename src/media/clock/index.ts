/** Clocks that pace Sources: the contract, the wall clock, and the virtual clock for tests. */
export type { Clock, ClockHandle, PeriodicHandle, TickCallback, EveryOptions } from './clock.js';
export { tickDueTime } from './clock.js';
export { RealClock, type RealClockOptions } from './real-clock.js';
export { VirtualClock, type AdvanceAsyncOptions } from './virtual-clock.js';
