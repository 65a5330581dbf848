/**
 * The tasks one MediaRecorder queues, run in the order they were queued.
 *
 * The spec queues some tasks only once work done "in parallel" is over: the `start` event once
 * recording has started, the final `dataavailable` once the encoder has written its last bytes.
 * Meanwhile script may have called pause() or requestData(), whose tasks are queued at once. A
 * browser's recorder still delivers its events in call order (start before pause; the data of a
 * requestData() before the data of the stop() that followed it; a second recording's `start`
 * after the first one's `stop`). So each task here takes its place in the recorder's queue when
 * its algorithm step runs, may first `prepare` (await the parallel work), and is then queued as
 * an HTML task (`queueTask`) after every task before it has run.
 */
import { queueTask } from '../../platform/tasks.js';

export class RecorderTaskQueue {
  #tail: Promise<void> = Promise.resolve();

  /**
   * Queues `step`. `prepare`, if given, starts once every earlier task has run (so it sees their
   * effects); `step` is then queued as a task. A failing `prepare` does not stop `step`.
   */
  enqueue(step: () => void, prepare?: () => Promise<unknown>): void {
    this.#tail = this.#tail.then(async () => {
      if (prepare) {
        try {
          await prepare();
        } catch {
          // The step reports what went wrong; the queue goes on.
        }
      }
      await new Promise<void>((resolve) =>
        queueTask(() => {
          try {
            step();
          } finally {
            resolve();
          }
        }),
      );
    });
  }

  /** Resolves once every task queued so far has run. */
  idle(): Promise<void> {
    return this.#tail;
  }
}
