#!/usr/bin/env node
// `acget`: runs the compiled tool (dist/lib/cli/acget-bin.js); see bin/launch.js.
import { launch } from './launch.js';

await launch('acget', 'acget-bin');
