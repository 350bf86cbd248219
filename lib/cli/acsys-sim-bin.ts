#!/usr/bin/env node
/**
 * Executable entry of `acsys-sim` (see `./acsys-sim.ts`): runs it on the real process and sets the exit code.
 *
 * @module
 */
import { main } from './acsys-sim.js';
import { processIO } from './io.js';

process.exitCode = await main(process.argv.slice(2), processIO());
