#!/usr/bin/env node
/**
 * Executable entry of `acinfo` (see `./acinfo.ts`): runs it on the real process and sets the exit code.
 *
 * @module
 */
import { main } from './acinfo.js';
import { processIO } from './io.js';

process.exitCode = await main(process.argv.slice(2), processIO());
