// README "Your own client": dpm(options) with the environment's endpoint and options of your own.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/own-client.ts

import { firstValueFrom } from 'rxjs';
import { dpm, optionsFromEnv } from 'acsys-rx';

// dpm() reads no environment: give it a host and port, or start from the variables the
// module-level client uses (optionsFromEnv) and add your own options
const client = dpm({ ...optionsFromEnv(), timeouts: { operation: 2000 }, poolSize: 2 });
try {
  console.log(`G:AMANDA = ${String(await firstValueFrom(client.read('G:AMANDA')))}`);
} finally {
  client.close(); // closes its connections; later calls error with ClientClosedError
}
