#!/usr/bin/env node
// `acsys-web`: runs the compiled tool (dist/lib/cli/acsys-web-bin.js); see bin/launch.js.
import { launch } from './launch.js';

await launch('acsys-web', 'acsys-web-bin');
