#!/usr/bin/env node
// `acmonitor`: runs the compiled tool (dist/lib/cli/acmonitor-bin.js); see bin/launch.js.
import { launch } from './launch.js';

await launch('acmonitor', 'acmonitor-bin');
