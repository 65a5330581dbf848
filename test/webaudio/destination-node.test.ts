/**
 * MediaStreamAudioDestinationNode (https://webaudio.github.io/web-audio-api/#MediaStreamAudioDestinationNode):
 * its `stream` is one of this package's MediaStreams, whose one audio track carries what the graph
 * renders into the node, every frame once, to MediaStreamTrackProcessor and MediaRecorder.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupTemp, concat, decodeAudio, ffprobe, next, tempFile, watch } from '../recorder/helpers.js';
import { until } from '../helpers/wait.js';
import { mediaRecorderInternals } from '../../src/interfaces/MediaRecorder.js';
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

  it('every frame the graph renders arrives once, in order, with timestamps that follow on (a gap only where frames were lost, and as long)', async () => {
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
    expect(timing[0]).toMatchObject({ sampleRate: context.sampleRate, channels: 2 });
    /** How many frames the ramp advanced from sample i - 1 to sample i (modulo its length). */
    const advance = (i: number) => (((Math.round((samples[i]! - samples[i - 1]!) * length) % length) + length) % length);
    // Within a chunk the ramp goes up one frame per sample: nothing repeated, lost or reordered.
    // From one chunk to the next it goes up as far as the timestamps do: one frame when they
    // follow on. Only a render thread starved for longer than the bridge can hold (0.68 s; it
    // then renders the lag in one burst) loses frames; they show as a gap in the timestamps as
    // long as the ramp's, never as a silent jump. Idle, no chunk has a gap.
    let at = 0;
    let lost = 0;
    for (let k = 0; k < timing.length; k++) {
      if (k > 0) {
        const gap = Math.round(((timing[k]!.timestamp - timing[k - 1]!.timestamp) * context.sampleRate) / 1e6) - timing[k - 1]!.frames;
        expect(gap, `the gap before chunk ${k}`).toBeGreaterThanOrEqual(0);
        expect(advance(at), `the ramp's advance into chunk ${k}`).toBe((gap + 1) % length);
        lost += gap;
      }
      for (let i = at + 1; i < at + timing[k]!.frames; i++) expect(advance(i), `sample ${i - at} of chunk ${k}`).toBe(1);
      at += timing[k]!.frames;
    }
    expect(lost).toBeLessThan(samples.length);
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
    // What is checked is that the graph's audio is recorded: the encoder is given as long as it
    // needs after stop() (on a busy machine the stop deadline would drop the tail it has not
    // reached; that deadline has tests of its own).
    mediaRecorderInternals.setStopDeadline(recorder, 60_000);
    const log = watch(recorder);
    // One second of what the track delivered after 'start', counted by a second consumer (a
    // clone: the same chunks reach both). The context's time is no measure of that: a render
    // thread starved on a busy machine renders in bursts, and audio rendered after the bridge's
    // last read is not yet on the track.
    const tap = new g.MediaStreamTrackProcessor({ track: destination.stream.getAudioTracks()[0].clone() }).readable.getReader();
    let delivered = 0;
    let started = false;
    // Gaps in the track's timestamps (frames a starved render thread lost): the recording holds
    // silence for them.
    let gapMicros = 0;
    let end: number | undefined;
    const counting = (async () => {
      for (let chunk = await tap.read(); !chunk.done; chunk = await tap.read()) {
        const { timestamp, numberOfFrames, sampleRate } = chunk.value;
        if (started) delivered += numberOfFrames;
        if (end !== undefined) gapMicros += Math.max(0, timestamp - end);
        end = timestamp + (numberOfFrames * 1e6) / sampleRate;
        chunk.value.close();
      }
    })();
    // The recorder gathers from start(); 'start' comes once its encoder runs (later on a busy
    // machine), so the recording may hold that much more than is counted after it.
    const startCalled = performance.now();
    recorder.start();
    await next(recorder, 'start');
    const startLatency = (performance.now() - startCalled) / 1000;
    started = true;
    await until(() => delivered >= context.sampleRate, 'one second of audio on the track');
    recorder.stop();
    await tap.cancel();
    await counting;
    await next(recorder, 'stop');
    const path = tempFile(await concat(log.blobs), 'webm');
    const probe = ffprobe(path);
    const audio = probe.streams.filter((s) => s.codec_type === 'audio');
    expect(audio.map((s) => s.codec_name)).toEqual(['opus']);
    const decoded = decodeAudio(path, 48000);
    expect(decoded.length / 48000).toBeGreaterThan(0.8);
    expect(decoded.length / 48000).toBeLessThan(1.6 + startLatency + gapMicros / 1e6);
    // The tone, in the 100 ms blocks (most of them) that do not hold a gap: audio a starved render
    // thread lost before the bridge could read it is recorded as silence (its timestamps show it).
    const shares: number[] = [];
    for (let at = 4800; at + 4800 <= decoded.length - 4800; at += 4800) shares.push(toneShare(decoded.subarray(at, at + 4800), 1000, 48000));
    shares.sort((a, b) => a - b);
    expect(shares[Math.floor(shares.length / 2)]).toBeGreaterThan(0.9);
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
