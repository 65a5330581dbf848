#!/usr/bin/env node
// The mediacapture command line; the code is in src/cli/ (built into dist/cli/).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
