/**
 * Web Audio's MediaStream nodes over node-web-audio-api, taking and giving this package's
 * MediaStream and MediaStreamTrack:
 * - MediaStreamAudioSourceNode (https://webaudio.github.io/web-audio-api/#MediaStreamAudioSourceNode)
 * - MediaStreamTrackAudioSourceNode (https://webaudio.github.io/web-audio-api/#MediaStreamTrackAudioSourceNode)
 * - MediaStreamAudioDestinationNode (https://webaudio.github.io/web-audio-api/#MediaStreamAudioDestinationNode)
 * - AudioContext with createMediaStreamSource, createMediaStreamTrackSource and
 *   createMediaStreamDestination (https://webaudio.github.io/web-audio-api/#AudioContext).
 *
 * Each node is an AudioNode of the package (so `connect`, `disconnect` and `instanceof AudioNode`
 * work with the package's nodes) whose native object is a GainNode the bridge feeds or reads.
 * The classes extend the package's, which is loaded at run time, so they are made by
 * {@link webAudioClasses}, once per loaded package and set of interface objects (an installation's
 * MediaStream and MediaStreamTrack, which the destination's stream is made of).
 */
import type { InterfaceObjects } from '../algorithms/interface-objects.js';
import { mediaStreamOf, streamOf, type MediaStream as OurMediaStream } from '../interfaces/MediaStream.js';
import { trackOf, type MediaStreamTrack as OurMediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { GeneratorSource } from '../media/generator-source.js';
import { generatorTrackSource, initialGeneratorSettings } from '../algorithms/transform/generator-track-source.js';
import type { Track } from '../algorithms/track/track.js';
import { invalidState } from '../platform/errors.js';
import { GraphToTrack } from './graph-to-track.js';
import { nativeKeyOf, type PkgAudioContext, type PkgAudioNode, type WebAudioPackage } from './package.js';
import { TrackToGraph } from './track-to-graph.js';

/** The classes made for one loaded package. */
export interface WebAudioClasses {
  /** The package's AudioContext with the MediaStream factory methods; plays to the default output. */
  readonly AudioContext: new (options?: object) => PkgAudioContext;
  /** The same, whose default output is none (`sinkId: { type: 'none' }`): for tests and CI. */
  readonly SilentAudioContext: new (options?: object) => PkgAudioContext;
  readonly MediaStreamAudioSourceNode: new (context: PkgAudioContext, options: { mediaStream: OurMediaStream }) => PkgAudioNode & { readonly mediaStream: OurMediaStream };
  readonly MediaStreamTrackAudioSourceNode: new (context: PkgAudioContext, options: { mediaStreamTrack: OurMediaStreamTrack }) => PkgAudioNode;
  readonly MediaStreamAudioDestinationNode: new (context: PkgAudioContext, options?: object) => PkgAudioNode & { readonly stream: OurMediaStream };
}

const made = new WeakMap<WebAudioPackage, WeakMap<InterfaceObjects, WebAudioClasses>>();

/** The MediaStream node classes and AudioContext over `pkg`, making streams with `interfaces` (made once for each pair). */
export function webAudioClasses(pkg: WebAudioPackage, interfaces: InterfaceObjects): WebAudioClasses {
  let byInterfaces = made.get(pkg);
  if (!byInterfaces) made.set(pkg, (byInterfaces = new WeakMap()));
  let classes = byInterfaces.get(interfaces);
  if (!classes) byInterfaces.set(interfaces, (classes = defineClasses(pkg, interfaces)));
  return classes;
}

function defineClasses(pkg: WebAudioPackage, interfaces: InterfaceObjects): WebAudioClasses {
  const BaseAudioContext = pkg.AudioContext;

  /** WebIDL conversion of an `AudioContext context` argument. */
  const requireContext = (context: unknown, where: string): PkgAudioContext => {
    if (!(context instanceof BaseAudioContext)) throw new TypeError(`${where}: parameter 1 is not of type 'AudioContext'.`);
    return context;
  };
  /** WebIDL conversion of a dictionary argument (undefined and null are the empty dictionary). */
  const dictionary = (value: unknown, where: string, type: string): Record<string, unknown> => {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError(`${where}: parameter 2 is not of type '${type}'.`);
    return value as Record<string, unknown>;
  };
  /** The AudioNode of the package whose native object is `carrier`'s: the options its constructor takes. */
  const nativeOf = (carrier: PkgAudioNode) => {
    const key = nativeKeyOf(carrier);
    return { [key]: (carrier as unknown as Record<symbol, unknown>)[key] };
  };

  /** The part both source nodes share: a node with no input whose output is the track's audio. */
  class TrackSourceNode extends pkg.AudioNode {
    constructor(context: PkgAudioContext, track: Track) {
      // Its native object: a GainNode of gain 1 (channelCountMode "max", so the output has the
      // track's channel count), into which the bridge plays the track.
      const carrier = new pkg.GainNode(context);
      super(context, nativeOf(carrier));
      new TrackToGraph(pkg, context, carrier, track);
    }

    /** A MediaStream source node has no input (its native GainNode has one, which is not exposed). */
    override get numberOfInputs(): number {
      return 0;
    }
  }

  class MediaStreamAudioSourceNode extends TrackSourceNode {
    readonly #mediaStream: OurMediaStream;
    readonly #inputTrack: Track;

    constructor(context: PkgAudioContext, options: { mediaStream: OurMediaStream }) {
      const where = "Failed to construct 'MediaStreamAudioSourceNode'";
      if (arguments.length < 2) throw new TypeError(`${where}: 2 arguments required, but only ${arguments.length} present.`);
      requireContext(context, where);
      const mediaStream = dictionary(options, where, 'MediaStreamAudioSourceOptions').mediaStream;
      if (mediaStream === undefined) throw new TypeError(`${where}: required member mediaStream is undefined.`);
      const stream = streamOf(mediaStream);
      if (!stream) throw new TypeError(`${where}: member mediaStream is not of type 'MediaStream' (a MediaStream of mediacapture).`);
      // 1. If the mediaStream member of options does not reference a MediaStream that has at least
      //    one MediaStreamTrack whose kind attribute has the value "audio", throw an
      //    InvalidStateError and abort these steps. Else, let this stream be inputStream.
      // 2. Let tracks be the list of all MediaStreamTracks of inputStream that have a kind of "audio".
      const tracks = [...stream.trackSet].filter((t) => t.kind === 'audio');
      if (tracks.length === 0) throw invalidState(`${where}: the MediaStream has no audio track.`);
      // 3. Sort the elements in tracks based on their id attribute using an ordering on sequences
      //    of code unit values.
      tracks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      // 4. Initialize the AudioNode this, with the context argument.
      // 5. Set an internal slot [[input track]] on this MediaStreamAudioSourceNode to be the first
      //    element of tracks. (Later changes to the stream's track set do not change the input.)
      super(context, tracks[0]!);
      this.#mediaStream = mediaStreamOf(stream);
      this.#inputTrack = tracks[0]!;
    }

    /** The MediaStream given at construction. */
    get mediaStream(): OurMediaStream {
      if (!(#mediaStream in this)) throw new TypeError("Illegal invocation: 'mediaStream' getter on an object that is not a MediaStreamAudioSourceNode.");
      return this.#mediaStream;
    }

    static {
      // Keeps [[input track]] reachable for as long as the node is (the slot exists for that alone).
      void ((node: MediaStreamAudioSourceNode) => node.#inputTrack);
    }
  }

  class MediaStreamTrackAudioSourceNode extends TrackSourceNode {
    constructor(context: PkgAudioContext, options: { mediaStreamTrack: OurMediaStreamTrack }) {
      const where = "Failed to construct 'MediaStreamTrackAudioSourceNode'";
      if (arguments.length < 2) throw new TypeError(`${where}: 2 arguments required, but only ${arguments.length} present.`);
      requireContext(context, where);
      const mediaStreamTrack = dictionary(options, where, 'MediaStreamTrackAudioSourceOptions').mediaStreamTrack;
      if (mediaStreamTrack === undefined) throw new TypeError(`${where}: required member mediaStreamTrack is undefined.`);
      const track = trackOf(mediaStreamTrack);
      if (!track) throw new TypeError(`${where}: member mediaStreamTrack is not of type 'MediaStreamTrack' (a MediaStreamTrack of mediacapture).`);
      // 1. If the mediaStreamTrack's kind attribute is not "audio", throw an InvalidStateError and abort these steps.
      if (track.kind !== 'audio') throw invalidState(`${where}: the MediaStreamTrack is of kind "${track.kind}", not "audio".`);
      // 2. Initialize the AudioNode this, with the context argument.
      super(context, track);
    }
  }

  class MediaStreamAudioDestinationNode extends pkg.AudioNode {
    readonly #stream: OurMediaStream;
    /** Makes the bridge for the node's channel count, replacing the current one. */
    readonly #rebridge: () => void;

    constructor(context: PkgAudioContext, options?: object) {
      const where = "Failed to construct 'MediaStreamAudioDestinationNode'";
      if (arguments.length < 1) throw new TypeError(`${where}: 1 argument required, but only 0 present.`);
      requireContext(context, where);
      const init = dictionary(options, where, 'AudioNodeOptions');
      // Initialize the AudioNode this with context and options, whose defaults for this node are
      // channelCount 2, channelCountMode "explicit", channelInterpretation "speakers" (the
      // carrier GainNode converts and checks them, with the errors AudioNode's setters throw).
      const carrier = new pkg.GainNode(context, {
        channelCount: init.channelCount ?? 2,
        channelCountMode: init.channelCountMode ?? 'explicit',
        channelInterpretation: init.channelInterpretation ?? 'speakers',
      });
      super(context, nativeOf(carrier));
      // stream: "a MediaStream containing a single MediaStreamTrack with the same number of
      // channels as the node itself, and whose kind attribute has the value "audio"". Its source
      // is a generator fed by the bridge while anyone consumes the track.
      let bridge: GraphToTrack | undefined;
      const source = new GeneratorSource('audio', { onDemand: (active) => (active ? bridge?.start() : bridge?.stop()) });
      this.#rebridge = () => {
        const started = bridge?.started ?? false;
        bridge?.close();
        if (context.state === 'closed') return;
        bridge = new GraphToTrack(pkg, context, carrier, carrier.channelCount, (data) => source.write(data));
        if (started) bridge.start();
      };
      this.#rebridge();
      const track = interfaces.createMediaStreamTrack({ source: generatorTrackSource(source), settings: initialGeneratorSettings(source), constraints: {} });
      this.#stream = mediaStreamOf(interfaces.createMediaStream([track]));
      const onStateChange = () => {
        if (context.state !== 'closed') return;
        context.removeEventListener('statechange', onStateChange);
        bridge?.close();
      };
      context.addEventListener('statechange', onStateChange);
    }

    /** The MediaStream whose one audio track carries what this node's input renders. */
    get stream(): OurMediaStream {
      if (!(#stream in this)) throw new TypeError("Illegal invocation: 'stream' getter on an object that is not a MediaStreamAudioDestinationNode.");
      return this.#stream;
    }

    /** The node's channel count, which is also the track's: a change makes the track's audio that many channels. */
    override get channelCount(): number {
      return super.channelCount;
    }

    override set channelCount(value: number) {
      const before = super.channelCount;
      super.channelCount = value;
      if (#stream in this && super.channelCount !== before) this.#rebridge();
    }

    /** A destination has no output (its native GainNode has one, which is not exposed). */
    override get numberOfOutputs(): number {
      return 0;
    }

    /** connect(): output 0 is out of bounds, as the node has no output (IndexSizeError). */
    override connect(): never {
      throw new DOMException("Failed to execute 'connect' on 'AudioNode': output index 0 exceeds the number of outputs (0) of a MediaStreamAudioDestinationNode.", 'IndexSizeError');
    }
  }

  const withFactories = (silentByDefault: boolean) =>
    class AudioContext extends BaseAudioContext {
      constructor(options?: object) {
        const init = options as { sinkId?: unknown } | undefined | null;
        super(silentByDefault && (init === undefined || init === null || (typeof init === 'object' && init.sinkId === undefined)) ? { ...init, sinkId: { type: 'none' } } : options);
      }

      /** https://webaudio.github.io/web-audio-api/#dom-audiocontext-createmediastreamsource */
      createMediaStreamSource(mediaStream: OurMediaStream): InstanceType<typeof MediaStreamAudioSourceNode> {
        if (!(this instanceof BaseAudioContext)) throw new TypeError("Illegal invocation: 'createMediaStreamSource' on an object that is not an AudioContext.");
        if (arguments.length < 1) throw new TypeError("Failed to execute 'createMediaStreamSource' on 'AudioContext': 1 argument required, but only 0 present.");
        return new MediaStreamAudioSourceNode(this, { mediaStream });
      }

      /** https://webaudio.github.io/web-audio-api/#dom-audiocontext-createmediastreamtracksource */
      createMediaStreamTrackSource(mediaStreamTrack: OurMediaStreamTrack): InstanceType<typeof MediaStreamTrackAudioSourceNode> {
        if (!(this instanceof BaseAudioContext)) throw new TypeError("Illegal invocation: 'createMediaStreamTrackSource' on an object that is not an AudioContext.");
        if (arguments.length < 1) throw new TypeError("Failed to execute 'createMediaStreamTrackSource' on 'AudioContext': 1 argument required, but only 0 present.");
        return new MediaStreamTrackAudioSourceNode(this, { mediaStreamTrack });
      }

      /** https://webaudio.github.io/web-audio-api/#dom-audiocontext-createmediastreamdestination */
      createMediaStreamDestination(): InstanceType<typeof MediaStreamAudioDestinationNode> {
        if (!(this instanceof BaseAudioContext)) throw new TypeError("Illegal invocation: 'createMediaStreamDestination' on an object that is not an AudioContext.");
        return new MediaStreamAudioDestinationNode(this);
      }
    };

  for (const [ctor, name] of [
    [MediaStreamAudioSourceNode, 'MediaStreamAudioSourceNode'],
    [MediaStreamTrackAudioSourceNode, 'MediaStreamTrackAudioSourceNode'],
    [MediaStreamAudioDestinationNode, 'MediaStreamAudioDestinationNode'],
  ] as const) {
    Object.defineProperty(ctor.prototype, Symbol.toStringTag, { value: name, configurable: true });
  }
  return {
    AudioContext: withFactories(false),
    SilentAudioContext: withFactories(true),
    MediaStreamAudioSourceNode,
    MediaStreamTrackAudioSourceNode,
    MediaStreamAudioDestinationNode,
  };
}
