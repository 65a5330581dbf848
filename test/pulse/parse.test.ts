/**
 * The pactl parsers and the descriptor mapping, on output captured from the PulseAudio 16.1
 * server of scripts/services.sh (test/pulse/fixtures/). No server needed.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  parsePactlList,
  parsePactlInfo,
  parseSampleSpec,
  parseSubscribeLine,
  pulseDevices,
  type PactlObject,
} from '../../src/backends/pulse/index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parsePactlList', () => {
  it('reads each block of `pactl list sources` with its fields and properties', () => {
    const sources = parsePactlList(fixture('sources.txt'));
    expect(sources.map((s) => [s.type, s.index, s.fields['Name']])).toEqual([
      ['Source', 0, 'mc_sine_440'],
      ['Source', 1, 'mc_sine_1000'],
      ['Source', 2, 'mc_null.monitor'],
    ]);
    const sine = sources[0]!;
    expect(sine.fields).toMatchObject({
      State: 'IDLE',
      Description: 'Sine source at 440 Hz',
      Driver: 'module-sine-source.c',
      'Sample Specification': 'float32le 1ch 48000Hz',
      'Channel Map': 'mono',
      'Monitor of Sink': 'n/a',
      Flags: 'DECIBEL_VOLUME LATENCY ',
    });
    expect(sine.fields['Volume']).toBe('mono: 65536 / 100% / 0.00 dB');
    expect(sine.properties).toEqual({
      'device.description': 'Sine source at 440 Hz',
      'device.class': 'abstract',
      'sine.hz': '440',
      'device.icon_name': 'audio-input-microphone',
    });
    expect(sources[2]!.fields['Monitor of Sink']).toBe('mc_null');
    expect(sources[2]!.fields['Description']).toBe('Monitor of Virtual Speaker');
  });

  it('reads `pactl list sinks`', () => {
    const [sink] = parsePactlList(fixture('sinks.txt'));
    expect(sink).toMatchObject({ type: 'Sink', index: 0 });
    expect(sink!.fields).toMatchObject({
      Name: 'mc_null',
      Description: 'Virtual Speaker',
      'Monitor Source': 'mc_null.monitor',
      'Sample Specification': 's16le 2ch 48000Hz',
    });
  });

  it('keeps non-ASCII labels and unescapes quoted property values', () => {
    const [source] = parsePactlList(fixture('nonascii-source.txt'));
    expect(source!.fields['Description']).toBe('Mikrofon (Ü) "Studio"');
    expect(source!.properties['device.description']).toBe('Mikrofon (Ü) "Studio"');
  });

  it('shows why the JSON format is not used: pactl 16.1 writes "(null)" for non-ASCII strings', () => {
    // Captured together with nonascii-source.txt; pactl printed the .stderr file meanwhile.
    const [source] = JSON.parse(fixture('nonascii-source.json')) as [{ description: string; properties: Record<string, string> }];
    expect(source.description).toBe('(null)');
    expect(source.properties['device.description']).toBe('(null)');
    expect(fixture('nonascii-source.json.stderr')).toContain('Invalid non-ASCII character: 0xffffffc3');
  });

  it('skips sections it does not know (ports, formats) and continuation lines', () => {
    // Hand-written in the 16.1 text layout: a hardware source with ports, which this machine lacks.
    const text = [
      'Source #7',
      '\tName: alsa_input.pci-0000_00_1f.3.analog-stereo',
      '\tDescription: Built-in Audio Analog Stereo',
      '\tVolume: front-left: 65536 / 100% / 0.00 dB,   front-right: 65536 / 100% / 0.00 dB',
      '\t        balance 0.00',
      '\tProperties:',
      '\t\talsa.card = "0"',
      '\t\tdevice.bus_path = "pci-0000:00:1f.3"',
      '\tPorts:',
      '\t\tanalog-input-mic: Microphone (type: Mic, priority: 8700, availability group: Legacy 1, not available)',
      '\tActive Port: analog-input-mic',
      '\tFormats:',
      '\t\tpcm',
      '',
    ].join('\n');
    const [source] = parsePactlList(text);
    expect(source!.fields['Active Port']).toBe('analog-input-mic');
    expect(source!.properties).toEqual({ 'alsa.card': '0', 'device.bus_path': 'pci-0000:00:1f.3' });
    expect(Object.keys(source!.fields)).not.toContain('analog-input-mic');
  });
});

describe('parsePactlInfo, parseSampleSpec, parseSubscribeLine', () => {
  it('reads the default sink and source from `pactl info`', () => {
    const info = parsePactlInfo(fixture('info.txt'));
    expect(info['Default Source']).toBe('mc_sine_440');
    expect(info['Default Sink']).toBe('mc_null');
    expect(info['Server Version']).toBe('16.1');
  });

  it('reads sample specs with their significant bits', () => {
    expect(parseSampleSpec('float32le 1ch 48000Hz')).toEqual({ format: 'float32le', channels: 1, rate: 48000, bits: 32 });
    expect(parseSampleSpec('s16le 2ch 44100Hz')).toEqual({ format: 's16le', channels: 2, rate: 44100, bits: 16 });
    expect(parseSampleSpec('s24-32le 8ch 96000Hz')?.bits).toBe(24);
    expect(parseSampleSpec('u8 1ch 8000Hz')?.bits).toBe(8);
    expect(parseSampleSpec('n/a')).toBeUndefined();
    expect(parseSampleSpec('wav64 2ch 48000Hz')).toBeUndefined();
  });

  it('reads `pactl subscribe` lines', () => {
    expect(parseSubscribeLine("Event 'new' on source #3")).toEqual({ type: 'new', facility: 'source', index: 3 });
    expect(parseSubscribeLine("Event 'remove' on source-output #12")).toEqual({ type: 'remove', facility: 'source-output', index: 12 });
    expect(parseSubscribeLine("Event 'change' on server #4294967295")).toEqual({ type: 'change', facility: 'server', index: 4294967295 });
    expect(parseSubscribeLine('Got SIGINT, exiting.')).toBeUndefined();
  });
});

describe('pulseDevices', () => {
  const inventory = () => ({
    sources: parsePactlList(fixture('sources.txt')),
    sinks: parsePactlList(fixture('sinks.txt')),
    info: parsePactlInfo(fixture('info.txt')),
  });

  it('lists inputs (default first, monitors last) then outputs, labelled by description', () => {
    const devices = pulseDevices(inventory());
    expect(devices.map((d) => [d.kind, d.rawId, d.label, d.isDefault])).toEqual([
      ['audioinput', 'mc_sine_440', 'Sine source at 440 Hz', true],
      ['audioinput', 'mc_sine_1000', 'Sine source at 1000 Hz', false],
      ['audioinput', 'mc_null.monitor', 'Monitor of Virtual Speaker', false],
      ['audiooutput', 'mc_null', 'Virtual Speaker', true],
    ]);
  });

  it('puts the default first even when it is not the first on the server', () => {
    const inv = inventory();
    const devices = pulseDevices({ ...inv, info: { ...inv.info, 'Default Source': 'mc_null.monitor' } });
    expect(devices.filter((d) => d.kind === 'audioinput').map((d) => d.rawId)).toEqual([
      'mc_null.monitor',
      'mc_sine_440',
      'mc_sine_1000',
    ]);
  });

  it('gives each device its native mode from the sample spec', () => {
    const byId = new Map(pulseDevices(inventory()).map((d) => [d.rawId, d]));
    expect(byId.get('mc_sine_440')!.audioModes).toEqual([{ sampleRate: 48000, channelCount: 1, sampleSize: 32, latency: 2 }]);
    expect(byId.get('mc_sine_1000')!.audioModes).toEqual([{ sampleRate: 44100, channelCount: 1, sampleSize: 32, latency: 2 }]);
    // A null-sink monitor has dynamic latency: it grants the 10 ms the capture stream asks for.
    expect(byId.get('mc_null.monitor')!.audioModes).toEqual([{ sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 }]);
    expect(byId.get('mc_null')!.audioModes).toEqual([{ sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 }]);
    expect(byId.get('mc_sine_440')!.echoCancellation).toEqual([false]);
    expect(byId.get('mc_null')!.echoCancellation).toBeUndefined();
  });

  it('groups a sink with its monitor, and hardware devices by their card', () => {
    const byId = new Map(pulseDevices(inventory()).map((d) => [d.rawId, d]));
    expect(byId.get('mc_null.monitor')!.groupKey).toBe(byId.get('mc_null')!.groupKey);
    expect(byId.get('mc_sine_440')!.groupKey).not.toBe(byId.get('mc_sine_1000')!.groupKey);

    const card = (type: string, index: number, name: string, monitorOf = 'n/a'): PactlObject => ({
      type,
      index,
      fields: { Name: name, Description: name, 'Sample Specification': 's16le 2ch 48000Hz', 'Monitor of Sink': monitorOf },
      properties: { 'device.bus_path': 'pci-0000:00:1f.3', 'alsa.card': '0' },
    });
    const devices = pulseDevices({
      sources: [card('Source', 1, 'alsa_input.analog-stereo'), card('Source', 2, 'alsa_output.analog-stereo.monitor', 'alsa_output.analog-stereo')],
      sinks: [card('Sink', 1, 'alsa_output.analog-stereo')],
      info: {},
    });
    expect(new Set(devices.map((d) => d.groupKey))).toEqual(new Set(['bus:pci-0000:00:1f.3']));
  });

  it('marks echo-cancelled sources', () => {
    const ec: PactlObject = {
      type: 'Source',
      index: 9,
      fields: { Name: 'ec_source', Description: 'Echo-Cancel Source', Driver: 'module-echo-cancel.c', 'Sample Specification': 'float32le 1ch 32000Hz' },
      properties: { 'device.intended_roles': 'phone' },
    };
    expect(pulseDevices({ sources: [ec], sinks: [], info: {} })[0]!.echoCancellation).toEqual([true]);
  });

  it('falls back to the name when the description is missing, and skips unreadable sample specs', () => {
    const devices = pulseDevices({
      sources: [
        { type: 'Source', index: 1, fields: { Name: 'nameless', Description: '(null)', 'Sample Specification': 's16le 1ch 8000Hz' }, properties: {} },
        { type: 'Source', index: 2, fields: { Name: 'weird', 'Sample Specification': 'n/a' }, properties: {} },
      ],
      sinks: [],
      info: {},
    });
    expect(devices.map((d) => [d.rawId, d.label])).toEqual([['nameless', 'nameless']]);
  });
});
