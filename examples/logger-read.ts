// README "Historical data (the data logger)": a window in one read, and a stream of chunks.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/logger-read.ts

import { firstValueFrom, lastValueFrom, reduce } from 'rxjs';
import { get, stream, type TimedArray } from 'acsys-rx';

const end = Date.now();
const start = end - 60 * 60 * 1000; // the last hour
const reading = await firstValueFrom(get(`Z:LOGDEV<-LOGGER:${start}:${end}`));
if (reading.valueType === 'timedScalarArray' && reading.value.data.length > 0) {
  const { data, micros }: TimedArray = reading.value;
  const first = new Date(micros[0]! / 1000).toISOString();
  const last = new Date(micros[micros.length - 1]! / 1000).toISOString();
  console.log(`Z:LOGDEV: ${data.length} points from ${first} to ${last}`);
} else {
  console.log(`Z:LOGDEV: no points (${reading.status.toString()})`);
}

// a stream emits each chunk (up to 487 points) as it arrives, and completes after the last one
const points = await lastValueFrom(
  stream('Z:LOGDEV<-LOGGERDURATION:300000').pipe(
    reduce((n, r) => n + (r.valueType === 'timedScalarArray' ? r.value.data.length : 0), 0),
  ),
);
console.log(`last 5 minutes: ${points} points`);
