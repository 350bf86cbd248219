#!/usr/bin/env node
// `acput`: runs the compiled tool (dist/lib/cli/acput-bin.js); see bin/launch.js.
import { launch } from './launch.js';

await launch('acput', 'acput-bin');
