// The Janus client's errors without a Janus server (test/webrtc/janus.test.ts runs the real one):
// a refused connection and a server that is not Janus are JanusErrors that say so; the CLI's URL
// forms map to the HTTP API they name.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseServerUrl } from '../../src/cli/servers.js';
import { JanusError, JanusSession } from '../../src/webrtc/janus/session.js';
import { JanusVideoRoom } from '../../src/webrtc/janus/videoroom.js';

/** An HTTP server on 127.0.0.1 that answers every request with `status` and `body`. */
async function answering(status: number, body: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/janus`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('Janus client errors', () => {
  it('a refused connection is a JanusError (code 0) naming the request, the URL and ECONNREFUSED', async () => {
    const server = await answering(200, '');
    await server.close();
    const error = await JanusSession.create(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JanusError);
    expect(error).toMatchObject({ name: 'JanusError', code: 0 });
    expect((error as Error).message).toBe(`Janus request "create" to ${server.url} failed: ECONNREFUSED.`);
  });

  it('a server that is not Janus is a JanusError that says what it answered', async () => {
    const server = await answering(404, '<html>Not Found</html>');
    try {
      const error = await JanusVideoRoom.connect(server.url, 1234).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'JanusError', code: 0 });
      expect((error as Error).message).toMatch(/answered 404 with something that is not Janus's JSON: "<html>Not Found<\/html>"/);
    } finally {
      await server.close();
    }
  });
});

describe('server URLs of the command line', () => {
  it('janus://HOST[:PORT]/ROOM is the videoroom ROOM behind http://HOST:PORT/janus (8088 by default)', () => {
    expect(parseServerUrl('janus://127.0.0.1/1234')).toEqual({ kind: 'janus', api: 'http://127.0.0.1:8088/janus', room: 1234 });
    expect(parseServerUrl('janus://sfu.example:9000/lobby')).toEqual({ kind: 'janus', api: 'http://sfu.example:9000/janus', room: 'lobby' });
    expect(parseServerUrl('janus://h/1234?display=cam%201')).toEqual({ kind: 'janus', api: 'http://h:8088/janus', room: 1234, display: 'cam 1' });
    expect(parseServerUrl('janus://h/1234?feed=42')).toMatchObject({ feed: 42 });
  });

  it('janus+https://HOST/PATH/ROOM keeps the scheme, port and path it names', () => {
    expect(parseServerUrl('janus+https://sfu.example/gw/janus/7')).toEqual({ kind: 'janus', api: 'https://sfu.example/gw/janus', room: 7 });
    expect(parseServerUrl('janus+http://10.0.0.5:8089/api/7')).toEqual({ kind: 'janus', api: 'http://10.0.0.5:8089/api', room: 7 });
  });

  it('http(s) URLs are WHIP (or WHEP) endpoints; anything else is a usage error', () => {
    expect(parseServerUrl('https://sfu.example/whip/live')).toEqual({ kind: 'whip', url: 'https://sfu.example/whip/live' });
    expect(() => parseServerUrl('rtmp://x/live')).toThrow(/must start with http:\/\//);
    expect(() => parseServerUrl('not a url')).toThrow(/is not a URL/);
    expect(() => parseServerUrl('janus://h/1234?feed=abc')).toThrow(/\?feed= takes a feed id/);
  });
});
