#!/usr/bin/env node
// `acinfo`: runs the compiled tool (dist/lib/cli/acinfo-bin.js); see bin/launch.js.
import { launch } from './launch.js';

await launch('acinfo', 'acinfo-bin');
