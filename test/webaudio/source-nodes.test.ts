/**
 * MediaStreamAudioSourceNode and MediaStreamTrackAudioSourceNode on this package's streams
 * (https://webaudio.github.io/web-audio-api/#MediaStreamAudioSourceNode), through
 * node-web-audio-api: what an AnalyserNode fed from the built-in microphone measures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { measuredPeak, openAudioTab, type AnyObject, type AudioTab } from './helpers.js';

let tab: AudioTab;
afterEach(async () => tab?.close());

/** The peak frequency (Hz) an analyser on `node` measures, once a window of unbroken tone came. */
async function peakFrequency(context: AnyObject, node: AnyObject, tone = 440): Promise<number> {
  const analyser = new tab.global.AnalyserNode(context, { fftSize: 4096 });
  node.connect(analyser);
  return measuredPeak(analyser, context.sampleRate, tone);
}

describe('installGlobals', () => {
  it('puts AudioContext, the MediaStream nodes and the other Web Audio interfaces on the global', () => {
    tab = openAudioTab();
    const g = tab.global;
    for (const name of ['AudioContext', 'OfflineAudioContext', 'AudioNode', 'AnalyserNode', 'GainNode', 'OscillatorNode', 'MediaStreamAudioSourceNode', 'MediaStreamTrackAudioSourceNode', 'MediaStreamAudioDestinationNode']) {
      expect(typeof g[name], name).toBe('function');
    }
    expect(Object.prototype.toString.call(g.MediaStreamAudioDestinationNode.prototype)).toBe('[object MediaStreamAudioDestinationNode]');
  });

  it('with built-in devices only, a context plays to no device unless a sinkId is given', async () => {
    tab = openAudioTab();
    const context = tab.context();
    expect(context.sinkId).toEqual({ type: 'none' });
    expect(context.state).toBe('running');
  });

  it('uninstall() takes the Web Audio interfaces away again', async () => {
    tab = openAudioTab();
    const g = tab.global;
    tab.handle.uninstall();
    expect(g.AudioContext).toBeUndefined();
    expect(g.MediaStreamAudioDestinationNode).toBeUndefined();
  });
});

describe('MediaStreamAudioSourceNode', () => {
  it('an AnalyserNode fed from the built-in microphone peaks at its tone (440 Hz)', async () => {
    tab = openAudioTab();
    const stream = await tab.mediaDevices.getUserMedia({ audio: true });
    const context = tab.context();
    const source = context.createMediaStreamSource(stream);
    expect(source).toBeInstanceOf(tab.global.MediaStreamAudioSourceNode);
    expect(source).toBeInstanceOf(tab.global.AudioNode);
    expect(source.mediaStream).toBe(stream);
    expect(source.numberOfInputs).toBe(0);
    expect(source.numberOfOutputs).toBe(1);
    const peak = await peakFrequency(context, source);
    // One bin of a 4096-point FFT at 48 kHz is 11.7 Hz wide.
    expect(Math.abs(peak - 440)).toBeLessThan(context.sampleRate / 4096);
    // The levels are the tone's: the time-domain signal swings as far as the tone does.
    const analyser = new tab.global.AnalyserNode(context, { fftSize: 2048 });
    source.connect(analyser);
    const time = new Float32Array(2048);
    await until(() => (analyser.getFloatTimeDomainData(time), Math.max(...time) > 0.1), 'a level');
    stream.getTracks()[0]!.stop();
  });

  it('the constructor takes the audio track whose id is first in code unit order', async () => {
    tab = openAudioTab({
      devices: [
        { kind: 'audioinput', label: 'Low', tone: { frequency: 300 } },
        { kind: 'audioinput', label: 'High', tone: { frequency: 1200 } },
      ] as never,
    });
    // Labels are exposed once a microphone was granted.
    (await tab.mediaDevices.getUserMedia({ audio: true })).getTracks()[0]!.stop();
    const devices = (await tab.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
    const low = (await tab.mediaDevices.getUserMedia({ audio: { deviceId: { exact: devices.find((d) => d.label === 'Low')!.deviceId } } })).getAudioTracks()[0]!;
    const high = (await tab.mediaDevices.getUserMedia({ audio: { deviceId: { exact: devices.find((d) => d.label === 'High')!.deviceId } } })).getAudioTracks()[0]!;
    const [first, second] = low.id < high.id ? [low, high] : [high, low];
    const expected = first === low ? 300 : 1200;
    // Whatever the order in the track set, the node plays the track with the smaller id.
    const context = tab.context();
    const node = new tab.global.MediaStreamAudioSourceNode(context, { mediaStream: new tab.global.MediaStream([second, first]) });
    expect(Math.abs((await peakFrequency(context, node, expected)) - expected)).toBeLessThan(context.sampleRate / 4096);
    // createMediaStreamTrackSource plays the track it is given.
    const other = second === low ? 300 : 1200;
    const context2 = tab.context();
    expect(Math.abs((await peakFrequency(context2, context2.createMediaStreamTrackSource(second), other)) - other)).toBeLessThan(context2.sampleRate / 4096);
  });

  it('a track at another sample rate than the context is resampled (as Chromium does; the spec sets no rule)', async () => {
    tab = openAudioTab();
    const stream = await tab.mediaDevices.getUserMedia({ audio: { sampleRate: { exact: 44100 } } });
    expect(stream.getAudioTracks()[0]!.getSettings().sampleRate).toBe(44100);
    const context = tab.context();
    expect(context.sampleRate).toBe(48000);
    expect(Math.abs((await peakFrequency(context, context.createMediaStreamSource(stream))) - 440)).toBeLessThan(context.sampleRate / 4096);
  });

  it('the samples of the track come out of the node as they are, in order, both channels', async () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    // A stereo generator track: a ramp counting samples on the left, its negative on the right,
    // written in 10 ms chunks kept about 50 ms ahead of the context's time.
    const generator = new g.MediaStreamTrackGenerator({ kind: 'audio' });
    const writer = generator.writable.getWriter();
    const step = 1 / 2 ** 20;
    let written = 0;
    const started = context.currentTime;
    const timer = setInterval(() => {
      // Until the reader has what it waits for: chunks a starved render thread made the bridge
      // drop (one cut of up to 150 ms) may have held the count it waits for.
      while (written / 48000 < context.currentTime - started + 0.05) {
        const data = new Float32Array(960);
        for (let i = 0; i < 480; i++) (data[i] = (written + i + 1) * step), (data[480 + i] = -data[i]!);
        writer.write(new g.AudioData({ format: 'f32-planar', sampleRate: 48000, numberOfFrames: 480, numberOfChannels: 2, timestamp: (written / 48) * 1000, data }));
        written += 480;
      }
    }, 5);
    const destination = context.createMediaStreamDestination();
    context.createMediaStreamTrackSource(generator).connect(destination);
    const reader = new g.MediaStreamTrackProcessor({ track: destination.stream.getAudioTracks()[0] }).readable.getReader();
    const left: number[] = [];
    let mirrored = true;
    while (left.length === 0 || left[left.length - 1]! < 40000 * step) {
      const { value } = await reader.read();
      const l = new Float32Array(value.numberOfFrames);
      const r = new Float32Array(value.numberOfFrames);
      value.copyTo(l, { planeIndex: 0, format: 'f32-planar' });
      value.copyTo(r, { planeIndex: 1, format: 'f32-planar' });
      value.close();
      for (let i = 0; i < l.length; i++) {
        if (l[i] !== -r[i]!) mirrored = false;
        if (l[i]! > 0) left.push(l[i]!);
      }
    }
    clearInterval(timer);
    expect(mirrored).toBe(true);
    // Between the samples that came, the count goes up: none repeated, none out of order. A
    // systematic error (a chunk played twice, chunks or channels swapped) breaks that hundreds of
    // times. On a machine so busy that the render thread is starved, a few steps back still
    // happen (3-4 seen with two busy loops and a full test run beside; where node-web-audio-api
    // makes them is not pinned down): a handful are tolerated, no more. Chunks skipped for coming
    // late depend on the load and are not counted.
    let backwards = 0;
    for (let i = 1; i < left.length; i++) if (Math.round((left[i]! - left[i - 1]!) / step) < 1) backwards++;
    expect(backwards).toBeLessThanOrEqual(8);
    expect(left.length).toBeGreaterThan(24000);
  });

  it('removing the input track from the stream later does not change the input', async () => {
    tab = openAudioTab();
    const stream = await tab.mediaDevices.getUserMedia({ audio: true });
    const context = tab.context();
    const node = context.createMediaStreamSource(stream);
    stream.removeTrack(stream.getAudioTracks()[0]!);
    expect(Math.abs((await peakFrequency(context, node)) - 440)).toBeLessThan(context.sampleRate / 4096);
  });
});

describe('bad input', () => {
  it('a stream without an audio track: InvalidStateError, from the factory and the constructor', async () => {
    tab = openAudioTab();
    const context = tab.context();
    const empty = new tab.global.MediaStream();
    expect(() => context.createMediaStreamSource(empty)).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    expect(() => new tab.global.MediaStreamAudioSourceNode(context, { mediaStream: empty })).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    const video = await tab.mediaDevices.getUserMedia({ video: true });
    expect(() => context.createMediaStreamSource(video)).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    // createMediaStreamTrackSource with a video track: InvalidStateError too.
    expect(() => context.createMediaStreamTrackSource(video.getVideoTracks()[0])).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    video.getTracks()[0]!.stop();
  });

  it('what is not a MediaStream, a MediaStreamTrack or an AudioContext: TypeError naming it', () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    expect(() => context.createMediaStreamSource({})).toThrow(/not of type 'MediaStream'/);
    expect(() => context.createMediaStreamSource()).toThrow(TypeError);
    expect(() => new g.MediaStreamAudioSourceNode(context, {})).toThrow(/mediaStream is undefined/);
    expect(() => new g.MediaStreamAudioSourceNode(context)).toThrow(TypeError);
    expect(() => context.createMediaStreamTrackSource('audio')).toThrow(/not of type 'MediaStreamTrack'/);
    const offline = new g.OfflineAudioContext(1, 128, 48000);
    expect(() => new g.MediaStreamAudioSourceNode(offline, { mediaStream: new g.MediaStream() })).toThrow(/not of type 'AudioContext'/);
    expect(() => new g.MediaStreamAudioDestinationNode(offline)).toThrow(/not of type 'AudioContext'/);
    // A destination has no output to connect.
    const destination = context.createMediaStreamDestination();
    expect(() => destination.connect(context.destination)).toThrow(expect.objectContaining({ name: 'IndexSizeError' }));
  });
});
