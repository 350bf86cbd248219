// Historical (logger) data: one read of a time window, and a stream of chunks.
//
//   node --import tsx examples/logger-read.ts
//
// A DRF with a data source `<-LOGGER:start:end` (milliseconds since 1970) asks the data
// logger for that window; `<-LOGGERDURATION:ms` for the last `ms` milliseconds. A read
// gathers every chunk DPM sends (up to 487 points each) into one timed array; a stream
// emits each chunk as it arrives and completes after the last one.
import { firstValueFrom, lastValueFrom, tap } from 'rxjs';
import { dpm, type TimedArray } from '../lib/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint();
const client = dpm({ host: ep.host, port: ep.port });

const end = Date.now();
const start = end - 60 * 60 * 1000; // the last hour
const reading = await firstValueFrom(client.get(`Z:LOGDEV<-LOGGER:${start}:${end}`));
if (reading.valueType === 'timedScalarArray') {
  const { data, micros }: TimedArray = reading.value;
  const first = new Date(micros[0]! / 1000).toISOString();
  const last = new Date(micros[micros.length - 1]! / 1000).toISOString();
  console.log(`Z:LOGDEV: ${data.length} points from ${first} to ${last}`);
} else {
  console.log(`Z:LOGDEV: ${reading.status.toString()}`);
}

let chunks = 0;
let points = 0;
await lastValueFrom(
  client.stream('Z:LOGDEV<-LOGGERDURATION:300000').pipe(
    tap((r) => {
      if (r.valueType === 'timedScalarArray') {
        chunks++;
        points += r.value.data.length;
      }
    }),
  ),
);
console.log(`last 5 minutes: ${points} points in ${chunks} chunks`);

client.close();
await ep.close();
