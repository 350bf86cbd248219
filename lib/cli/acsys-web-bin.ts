#!/usr/bin/env node
/**
 * Executable entry of `acsys-web` (see `./acsys-web.ts`): runs it on the real process and sets the exit code.
 *
 * @module
 */
import { main } from './acsys-web.js';

process.exitCode = await main(process.argv.slice(2));
