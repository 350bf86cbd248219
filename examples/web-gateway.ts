// A gateway in your own Node program: browsers get live readings from DPM, and the dashboard.
//
//   node --import tsx examples/web-gateway.ts      (Ctrl-C to stop)
//
// With the embedded simulator unless PACSYS_DPM_HOST is set. Open the printed URL.
import { dpm } from '../lib/index.js';
import { startGateway } from '../lib/web/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint();
const client = dpm({ host: ep.host, port: ep.port });

const gw = await startGateway({ client, port: 0, limits: { maxSubscriptions: 50 } });
console.log(`dashboard at ${gw.url}`);

process.once('SIGINT', () => {
  void (async () => {
    console.log(`${gw.stats().clients} browser(s) connected; stopping`);
    await gw.close(); // browsers get close code 1001, every DPM list ends
    client.close();
    await ep.close();
  })();
});
