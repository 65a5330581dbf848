/**
 * MediaStreamAudioDestinationNode (https://webaudio.github.io/web-audio-api/#MediaStreamAudioDestinationNode):
 * its `stream` is one of this package's MediaStreams, whose one audio track carries what the graph
 * renders into the node, every frame once, to MediaStreamTrackProcessor and MediaRecorder.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupTemp, concat, decodeAudio, ffprobe, next, tempFile, watch } from '../recorder/helpers.js';
import { until } from '../helpers/wait.js';
import { openAudioTab, toneShare, type AnyObject, type AudioTab } from './helpers.js';

let tab: AudioTab;
afterEach(async () => tab?.close());
afterAll(cleanupTemp);

/** Reads AudioData from a track until `frames` frames came; returns them (channel 0) and the chunks' timestamps and sizes. */
async function readFrames(g: AnyObject, track: AnyObject, frames: number) {
  const reader = new g.MediaStreamTrackProcessor({ track }).readable.getReader();
  const chunks: Float32Array[] = [];
  const timing: { timestamp: number; frames: number; sampleRate: number; channels: number }[] = [];
  let total = 0;
  while (total < frames) {
    const { value } = await reader.read();
    const samples = new Float32Array(value.numberOfFrames);
    value.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
    timing.push({ timestamp: value.timestamp, frames: value.numberOfFrames, sampleRate: value.sampleRate, channels: value.numberOfChannels });
    value.close();
    chunks.push(samples);
    total += samples.length;
  }
  reader.releaseLock();
  const all = new Float32Array(total);
  let at = 0;
  for (const c of chunks) all.set(c, at), (at += c.length);
  return { samples: all, timing };
}

describe('MediaStreamAudioDestinationNode', () => {
  it('stream: one live audio track of our MediaStream; the node has one input, no output, 2 channels explicit', () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    const destination = context.createMediaStreamDestination();
    expect(destination).toBeInstanceOf(g.MediaStreamAudioDestinationNode);
    expect(destination).toBeInstanceOf(g.AudioNode);
    expect(destination.stream).toBeInstanceOf(g.MediaStream);
    expect(destination.stream).toBe(destination.stream);
    const tracks = destination.stream.getTracks();
    expect(tracks.map((t: AnyObject) => [t.kind, t.readyState])).toEqual([['audio', 'live']]);
    expect([destination.numberOfInputs, destination.numberOfOutputs]).toEqual([1, 0]);
    expect([destination.channelCount, destination.channelCountMode, destination.channelInterpretation]).toEqual([2, 'explicit', 'speakers']);
    const mono = new g.MediaStreamAudioDestinationNode(context, { channelCount: 1 });
    expect(mono.channelCount).toBe(1);
  });

  it('every frame the graph renders arrives once, in order, with timestamps that follow on', async () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    // A ramp that counts frames: a frame lost or read twice breaks the count.
    const length = 48000;
    const buffer = context.createBuffer(1, length, context.sampleRate);
    const ramp = new Float32Array(length).map((_, i) => i / length);
    buffer.copyToChannel(ramp, 0);
    const player = new g.AudioBufferSourceNode(context, { buffer, loop: true });
    const destination = context.createMediaStreamDestination();
    player.connect(destination);
    player.start();
    const { samples, timing } = await readFrames(g, destination.stream.getAudioTracks()[0], 24000);
    const step = 1 / length;
    let breaks = 0;
    for (let i = 1; i < samples.length; i++) {
      const d = samples[i]! - samples[i - 1]!;
      if (Math.abs(d - step) > 1e-6 && Math.abs(d - step + 1) > 1e-6) breaks++;
    }
    expect(breaks).toBe(0);
    expect(timing[0]).toMatchObject({ sampleRate: context.sampleRate, channels: 2 });
    for (let i = 1; i < timing.length; i++) {
      expect(Math.abs(timing[i]!.timestamp - (timing[i - 1]!.timestamp + (timing[i - 1]!.frames * 1e6) / context.sampleRate))).toBeLessThanOrEqual(1);
    }
    const settings = destination.stream.getAudioTracks()[0].getSettings();
    expect(settings).toMatchObject({ sampleRate: context.sampleRate, channelCount: 2 });
  });

  it('oscillator → destination → MediaStreamTrackProcessor: the tone, stereo', async () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    const oscillator = new g.OscillatorNode(context, { frequency: 1000 });
    const destination = context.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    const { samples } = await readFrames(g, destination.stream.getAudioTracks()[0], 9600);
    expect(toneShare(samples.subarray(samples.length - 4800), 1000, context.sampleRate)).toBeGreaterThan(0.95);
  });

  it('oscillator → destination → MediaRecorder: ffprobe finds an audio stream of the recorded length, and the tone', async () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    const oscillator = new g.OscillatorNode(context, { frequency: 1000 });
    const destination = context.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    const recorder = new g.MediaRecorder(destination.stream, { mimeType: 'audio/webm;codecs=opus' });
    const log = watch(recorder);
    recorder.start();
    await next(recorder, 'start');
    const startedAt = context.currentTime;
    await until(() => context.currentTime - startedAt >= 1, 'one second of rendering');
    recorder.stop();
    await next(recorder, 'stop');
    const path = tempFile(await concat(log.blobs), 'webm');
    const probe = ffprobe(path);
    const audio = probe.streams.filter((s) => s.codec_type === 'audio');
    expect(audio.map((s) => s.codec_name)).toEqual(['opus']);
    const decoded = decodeAudio(path, 48000);
    expect(decoded.length / 48000).toBeGreaterThan(0.8);
    expect(decoded.length / 48000).toBeLessThan(1.6);
    expect(toneShare(decoded.subarray(4800, 4800 + 24000), 1000, 48000)).toBeGreaterThan(0.9);
  });

  it('a change of the channel count changes the track\'s', async () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    const oscillator = new g.OscillatorNode(context, { frequency: 1000 });
    const destination = context.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    const track = destination.stream.getAudioTracks()[0];
    expect((await readFrames(g, track, 960)).timing[0]!.channels).toBe(2);
    destination.channelCount = 1;
    expect(destination.channelCount).toBe(1);
    const { timing, samples } = await readFrames(g, track, 4800);
    expect(timing[timing.length - 1]!.channels).toBe(1);
    expect(toneShare(samples.subarray(samples.length - 2400), 1000, context.sampleRate)).toBeGreaterThan(0.9);
    expect(() => (destination.channelCount = 0)).toThrow();
  });

  it('nothing is read while nobody consumes the track; closing the context leaves the track live and silent', async () => {
    tab = openAudioTab();
    const g = tab.global;
    const context = tab.context();
    const destination = context.createMediaStreamDestination();
    const track = destination.stream.getAudioTracks()[0];
    await context.close();
    expect(track.readyState).toBe('live');
    track.stop();
    expect(track.readyState).toBe('ended');
    expect(g.AudioContext).toBeDefined();
  });
});
