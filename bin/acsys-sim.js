#!/usr/bin/env node
// `acsys-sim`: runs the compiled tool (dist/lib/cli/acsys-sim-bin.js); see bin/launch.js.
import { launch } from './launch.js';

await launch('acsys-sim', 'acsys-sim-bin');
