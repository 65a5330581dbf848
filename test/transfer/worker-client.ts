import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { until as waitUntil } from '../helpers/wait.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Builds the package into a private directory for worker threads (which cannot load TypeScript)
 * and returns its path. Type errors elsewhere in the tree do not stop tsc from emitting.
 */
export function buildForWorkers(): string {
  const out = mkdtempSync(join(tmpdir(), 'mediacapture-transfer-'));
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'pipe' });
  } catch {
    // Emitted anyway unless the build is broken; checked below.
  }
  if (!existsSync(join(out, 'interfaces/transfer.js'))) throw new Error(`the build for the worker failed (no ${out}/interfaces/transfer.js)`);
  return out;
}

/** A worker thread running test/transfer/worker.mjs, driven by commands. */
export class WorkerClient {
  readonly worker: Worker;
  #pending = new Map<number, { resolve: (v: any) => void; reject: (e: any) => void }>();
  #nextId = 1;

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (m: { id?: number; result?: unknown; error?: { name: string; message: string } }) => {
      const p = m.id === undefined ? undefined : this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id!);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
      else p.resolve(m.result);
    });
  }

  static async start(dist: string): Promise<WorkerClient> {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { dist: `file://${dist}` } });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new WorkerClient(worker);
  }

  call<T = any>(command: string, args: object = {}, transfer: readonly TransferListItem[] = []): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, command, args }, transfer as TransferListItem[]);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** Polls `check` until it is true (see test/helpers/wait.ts; the deadline scales with MC_TEST_TIME_FACTOR). */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  await waitUntil(check, { timeoutMs: ms, pollMs: 2 });
}
