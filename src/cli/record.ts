import type { ParsedArgs } from './args.js';
import { CliError, EXIT } from './exit.js';
import type { CliIo } from './io.js';
import type { CliScope } from './scope.js';

export async function recordCommand(_args: ParsedArgs, _scope: CliScope, _io: CliIo): Promise<void> {
  throw new CliError(EXIT.notSupported, 'not yet');
}
