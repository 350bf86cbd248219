// A gateway inside your own Node program: browsers get live readings from DPM, and the dashboard.
//
//   node --import tsx examples/web/gateway.ts      (Ctrl-C to stop)
//
// DPM from PACSYS_DPM_HOST/PACSYS_DPM_PORT, else an embedded simulator. Open the printed URL.

import { dpm } from 'acsys-rx';
import { startSimulator } from 'acsys-rx/sim';
import { startGateway } from 'acsys-rx/web';

const sim = process.env.PACSYS_DPM_HOST ? undefined : await startSimulator({ port: 0 });
const client = dpm(sim ? { host: sim.host, port: sim.port } : { host: process.env.PACSYS_DPM_HOST, port: Number(process.env.PACSYS_DPM_PORT ?? 6802) });

const gw = await startGateway({ client, port: 0, limits: { maxSubscriptions: 50 } });
console.log(`dashboard at ${gw.url}`);

process.once('SIGINT', () => {
  void (async () => {
    console.log(`${gw.stats().clients} browser(s) connected; stopping`);
    await gw.close(); // browsers get close code 1001, every DPM list ends
    client.close();
    await sim?.close();
  })();
});
