// Type-checking stand-in for `mediabunny`, a dependency of werift that only werift's nonstandard
// user-media helpers (which we do not use) import. Its real types reference
// @types/dom-mediacapture-transform, whose global MediaStreamTrackProcessor/Generator declarations
// clash with those `mediacapture/global` makes (src/global.ts). Mapped in tsconfig.json "paths".
export {};
