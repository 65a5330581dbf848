/**
 * `mediacapture preview [--port N] [--no-open]`: every camera, screen and microphone live in a
 * browser page on 127.0.0.1, until Ctrl-C (see server.ts for what the page talks to).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tryLoadWerift } from '../../webrtc/stack.js';
import { stringOption, type ParsedArgs } from '../args.js';
import { CliError, EXIT, usageError } from '../exit.js';
import type { CliIo } from '../io.js';
import type { CliScope } from '../scope.js';
import { PreviewServer } from './server.js';
import { openSources, type PreviewSource } from './sources.js';

function portOption(args: ParsedArgs): number {
  const text = stringOption(args, 'port');
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) throw usageError(`--port must be a port number from 0 to 65535 (got "${text}"; 0 picks a free one).`);
  return port;
}

function onPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Opens `url` in the desktop's browser (xdg-open) where there is a desktop: a display and
 * xdg-open. The browser is the user's: it runs on its own (its own process group, so Ctrl-C here
 * does not close it) and is not waited for. Never fails; says so when it cannot open.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv): boolean {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  const xdgOpen = onPath('xdg-open', env);
  if (!xdgOpen) return false;
  try {
    const child = spawn(xdgOpen, [url], { env, detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/**
 * Listens for SIGINT and SIGTERM: `signalled` resolves at the first. The listener stays until
 * `dispose()`, after the preview has closed: while it is there, the owner of our child processes
 * (backends/common/process.ts) leaves the signal to us instead of killing them and dying of it.
 */
function listenForSignals(): { signalled: Promise<NodeJS.Signals>; readonly fired: boolean; dispose(): void } {
  let fired = false;
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const on = (signal: NodeJS.Signals) => {
    fired = true;
    resolve(signal);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    signalled,
    get fired() {
      return fired;
    },
    dispose() {
      process.removeListener('SIGINT', on);
      process.removeListener('SIGTERM', on);
    },
  };
}

export async function previewCommand(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<void> {
  const port = portOption(args);
  if (!tryLoadWerift()) {
    throw new CliError(EXIT.notSupported, 'The preview sends video to the page over WebRTC, which needs the optional package werift. Install it with: npm install werift');
  }
  // Listening from the start: a Ctrl-C while the devices open stops the preview as cleanly.
  const signals = listenForSignals();
  let sources: PreviewSource[] = [];
  let server: PreviewServer | undefined;
  try {
    sources = await openSources(scope);
    if (signals.fired) return;
    server = new PreviewServer(sources);
    const url = await listen(server, port);
    io.out(url);
    const opened = !args.options.has('no-open') && openBrowser(url, io.env);
    const summary = ['camera', 'screen', 'microphone'].map((k) => `${k}s: ${sources.filter((s) => s.kind === k && s.track).length}`).join(', ');
    io.err(`Preview (${summary}) at ${url}${opened ? ', opened in the browser' : ''}; press Ctrl-C to stop.`);
    await signals.signalled;
    io.err('Stopping the preview.');
  } finally {
    await server?.close();
    for (const source of sources) source.close();
    signals.dispose();
  }
}

async function listen(server: PreviewServer, port: number): Promise<string> {
  try {
    return await server.listen(port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new CliError(EXIT.failure, `Cannot listen on 127.0.0.1:${port} (${code}). Choose another --port, or leave it out for a free one.`);
    throw e;
  }
}
