/**
 * mediacapture: the W3C Media Capture and Streams API for Node.js.
 *
 * The interfaces are exported as classes; `installGlobals()` (or `import 'mediacapture/global'`)
 * puts them and `navigator.mediaDevices` on a global object. Backends (device providers, display
 * providers, encoders) plug in through `registerBackend`; the package's own are registered here.
 */
import { registerPackageBackends } from './backends/index.js';

registerPackageBackends();

export { MediaStream } from './interfaces/MediaStream.js';
export { MediaStreamTrack, type MediaStreamTrackState } from './interfaces/MediaStreamTrack.js';
export { MediaStreamTrackEvent, type MediaStreamTrackEventInit } from './interfaces/MediaStreamTrackEvent.js';
export { MediaStreamTrackAudioStats, type MediaStreamTrackAudioStatsJSON } from './interfaces/MediaStreamTrackAudioStats.js';
export { MediaStreamTrackVideoStats } from './interfaces/MediaStreamTrackVideoStats.js';
export { MediaDevices } from './interfaces/MediaDevices.js';
export { MediaDeviceInfo, InputDeviceInfo, type MediaDeviceKind } from './interfaces/MediaDeviceInfo.js';
export { DeviceChangeEvent, type DeviceChangeEventInit } from './interfaces/DeviceChangeEvent.js';
export { OverconstrainedError } from './interfaces/OverconstrainedError.js';
export { CaptureController } from './interfaces/CaptureController.js';
export { PermissionStatus, Permissions } from './interfaces/Permissions.js';
export { MediaStreamTrackProcessor, type MediaStreamTrackProcessorInit } from './interfaces/MediaStreamTrackProcessor.js';
export { VideoTrackGenerator } from './interfaces/VideoTrackGenerator.js';
export { MediaStreamTrackGenerator, type MediaStreamTrackGeneratorInit } from './interfaces/MediaStreamTrackGenerator.js';
export { MediaRecorder, type MediaRecorderOptions, type RecordingState, type BitrateMode } from './interfaces/MediaRecorder.js';
export { BlobEvent, type BlobEventInit } from './interfaces/BlobEvent.js';
export { ErrorEvent, type ErrorEventInit } from './interfaces/ErrorEvent.js';
export { attachSink, type TrackSink } from './interfaces/sink.js';
export { registerEncoderBackend } from './algorithms/recorder/encoder.js';
export type { EncoderBackend, EncoderConfig, EncoderSession, EncoderCallbacks, FinishOptions, FinishResult, InputQueue, VideoEncoderConfig, AudioEncoderConfig, VideoCodec, AudioCodec, Container } from './backends/encoder.js';
export type { MediaStreamConstraints } from './interfaces/MediaDevices.js';
export type { MediaTrackConstraints, MediaTrackConstraintSet, MediaTrackSettings, MediaTrackCapabilities, MediaTrackSupportedConstraints } from './algorithms/constraints/dictionaries.js';
export {
  RTCPeerConnection,
  RTCRtpSender,
  RTCRtpReceiver,
  RTCRtpTransceiver,
  RTCSessionDescription,
  RTCIceCandidate,
  RTCTrackEvent,
  RTCPeerConnectionIceEvent,
} from './webrtc/index.js';
export { publishWhip, playWhep, WhipError, type WhipOptions, type WhipSession } from './webrtc/whip.js';
export { iceGatheringComplete } from './webrtc/gathering.js';
export { JanusSession, JanusHandle, JanusError, type JanusSessionOptions, type JanusMessage, type PluginAnswer } from './webrtc/janus/session.js';
export { JanusVideoRoom, type VideoRoomParticipant, type VideoRoomPeer, type VideoRoomPublisher, type VideoRoomStream, type VideoRoomSubscriber } from './webrtc/janus/videoroom.js';
export { installGlobals, getInstallation, type InstallOptions, type MediaCaptureHandle } from './install.js';
export { loadWebAudio, WEB_AUDIO_PACKAGE, type WebAudioClasses } from './webaudio/index.js';
export { BuiltinProvider } from './backends/builtin/provider.js';
export type { BuiltinDeviceConfig } from './backends/builtin/config.js';
export type { DeviceProvider, OpenRequest } from './backends/provider.js';
export {
  registerBackend,
  backendRegistry,
  type BackendRegistry,
  type BackendPlugin,
  type DeviceBackendPlugin,
  type EncoderBackendPlugin,
  type BackendKind,
  type DeviceBackendKind,
  type BackendEnvironment,
  type BackendArgument,
  type BackendCreateOptions,
} from './backends/registry.js';
export { deviceHub, type DeviceHub } from './backends/hub.js';
export type { DeviceManager, DeviceManagerOptions, ProvidedDevice } from './backends/device-manager.js';
export type { DeviceDescriptor, VideoMode, AudioMode, DeviceKind } from './media/modes.js';
export { Source, type SourceObserver } from './media/source.js';
export type { MediaPermissionName, PermissionState, PromptHandler, PermissionPrompt } from './scope/permissions.js';
export { flushTasks } from './platform/tasks.js';
export { VideoFrame, AudioData, VideoColorSpace } from './webcodecs/index.js';
export { VirtualClock, RealClock, type Clock } from './media/clock/index.js';
export { decodeFrameNumber } from './media/synthetic/frame-code.js';
export {
  serializeTrack,
  deserializeTrack,
  serializeVideoFrame,
  deserializeVideoFrame,
  serializeAudioData,
  deserializeAudioData,
  type SerializedTrack,
  type SerializedVideoFrame,
  type SerializedAudioData,
} from './interfaces/transfer.js';
export { FileProvider, type FileDeviceConfig, type FileProviderOptions } from './backends/file/provider.js';
export { V4l2Provider, type V4l2ProviderOptions } from './backends/v4l2/provider.js';
export { X11DisplayProvider, type X11ProviderOptions } from './backends/x11/provider.js';
export { PulseProvider, type PulseProviderOptions } from './backends/pulse/provider.js';
export { selectBackends, parseBackendList, BACKENDS_VARIABLE, type BackendSelectionOptions, type SelectedBackends, type BackendListEntry } from './backends/select.js';
export { SyntheticScreen } from './backends/builtin/screen.js';
export type { DisplayMediaStreamOptions } from './interfaces/MediaDevices.js';
export { AlsaProvider } from './backends/alsa/provider.js';
