/** Where the command line writes: results to stdout, messages and progress to stderr. */
export interface CliIo {
  /** A line of the command's result (stdout). */
  out(line: string): void;
  /** A line of messages (stderr). */
  err(line: string): void;
  /** Replaces the status line on a terminal (stderr); `''` clears it. Does nothing off a terminal. */
  status(line: string): void;
  /** Whether stderr is a terminal (live progress is shown only then). */
  readonly interactive: boolean;
  /** The width of the terminal, or 100. */
  readonly columns: number;
  /** The environment the command runs in. */
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own stdout and stderr. */
export function processIo(): CliIo {
  const interactive = !!process.stderr.isTTY;
  let statusShown = false;
  return {
    out: (line) => void process.stdout.write(line + '\n'),
    err(line) {
      if (statusShown) process.stderr.write('\r\x1b[2K');
      statusShown = false;
      process.stderr.write(line + '\n');
    },
    status(line) {
      if (!interactive) return;
      // Carriage return, erase the line, write: the line is replaced in place.
      process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
      statusShown = line !== '';
    },
    interactive,
    // A pseudo-terminal without a size (script(1), some CI runners) reports 0 columns.
    columns: process.stdout.columns || 100,
    env: process.env,
  };
}
