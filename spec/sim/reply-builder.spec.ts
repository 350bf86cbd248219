import { expect } from 'chai';
import { useSim, readOnce } from '../support/sim-harness.js';
import { SimStatus, defaultCatalogue } from '../../lib/sim/index.js';
import { buildDataReply } from '../../lib/sim/reply-builder.js';
import { DeviceStore } from '../../lib/sim/device-store.js';
import { parseDrf } from '../../lib/drf/parse.js';

describe('sim/reply-builder: every reply type over a real socket', () => {
  const h = useSim();

  it('Scalar_reply for a scalar READING', async () => {
    const c = await h.open();
    const r = await readOnce(c, 1, 'G:AMANDA@I');
    expect(r.type).to.equal('Scalar_reply');
  });

  it('ScalarArray_reply for an array (1024 doubles) and for ranges', async () => {
    const c = await h.open();
    const all = await readOnce(c, 1, 'Z:ARRAY1K@I');
    if (all.type !== 'ScalarArray_reply') throw new Error(all.type);
    expect(all.data).to.be.instanceOf(Float64Array);
    expect(all.data.length).to.equal(1024);
    const part = await readOnce(c, 2, 'Z:ARRAY1K[10:19]@I');
    if (part.type !== 'ScalarArray_reply') throw new Error(part.type);
    expect(part.data.length).to.equal(10);
    const one = await readOnce(c, 3, 'Z:ARRAY1K[5]@I');
    expect(one.type).to.equal('Scalar_reply');
    const bytes = await readOnce(c, 4, 'Z:ARRAY1K{8:16}@I');
    if (bytes.type !== 'ScalarArray_reply') throw new Error(bytes.type);
    expect(bytes.data.length).to.equal(4);
  });

  it('range errors: out of bounds and misaligned byte ranges', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'Z:ARRAY1K[1024]@I')).to.include({ type: 'Status_reply', status: SimStatus.DPM_OUT_OF_BOUNDS });
    expect(await readOnce(c, 2, 'Z:ARRAY1K[0:5000]@I')).to.include({ type: 'Status_reply', status: SimStatus.DPM_OUT_OF_BOUNDS });
    expect(await readOnce(c, 3, 'Z:ARRAY1K{1:3}@I')).to.include({ type: 'Status_reply', status: SimStatus.DPM_BAD_LENGTH });
  });

  it('Raw_reply for field RAW (int32 LE counts) and for a raw device', async () => {
    const c = await h.open();
    h.sim.setDevice('Z:ACLTST', 12.5, 'setting');
    const r = await readOnce(c, 1, 'Z:ACLTST.RAW@I');
    if (r.type !== 'Raw_reply') throw new Error(r.type);
    expect(Buffer.from(r.data).readInt32LE(0)).to.equal(12500); // scale 0.001
    const dev = await readOnce(c, 2, 'Z:RAWDEV@I');
    if (dev.type !== 'Raw_reply') throw new Error(dev.type);
    expect(Buffer.from(dev.data).toString('hex')).to.equal('0102030405060708');
    const sub = await readOnce(c, 3, 'Z:RAWDEV{2:3}@I');
    if (sub.type !== 'Raw_reply') throw new Error(sub.type);
    expect(Array.from(sub.data)).to.deep.equal([3, 4, 5]);
  });

  it('PRIMARY returns raw counts as a double', async () => {
    const c = await h.open();
    const r = await readOnce(c, 1, 'Z:ACLTST.PRIMARY@I');
    expect(r).to.include({ type: 'Scalar_reply', data: 12500 });
  });

  it('Text_reply and TextArray_reply', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'Z:TEXTDEV@I')).to.include({ type: 'Text_reply', data: 'Hello from the DPM simulator' });
    const arr = await readOnce(c, 2, 'Z:TXTARR@I');
    expect(arr).to.deep.include({ type: 'TextArray_reply', data: ['alpha', 'beta', 'gamma', 'delta'] });
    expect(await readOnce(c, 3, 'Z:TXTARR[1]@I')).to.include({ type: 'Text_reply', data: 'beta' });
    expect(await readOnce(c, 4, 'M:OUTTMP.DESCRIPTION@I')).to.include({ type: 'Text_reply', data: 'Outdoor temperature' });
    expect(await readOnce(c, 5, 'M:OUTTMP.READING.UNITS@I')).to.include({ type: 'Text_reply', data: 'DegF' });
    expect(await readOnce(c, 6, 'M:OUTTMP.LONG_NAME@I')).to.include({ type: 'Text_reply' });
    expect(await readOnce(c, 7, 'M:OUTTMP.ALARM_LIST_NAME@I')).to.include({ type: 'Text_reply', data: 'WEATHER' });
  });

  it('INDEX → Scalar_reply with the device index', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'M:OUTTMP.INDEX@I')).to.include({ type: 'Scalar_reply', data: 27235 });
  });

  it('BasicStatus_reply holds only the bits the device defines; bit fields as 1/0', async () => {
    const c = await h.open();
    const r = await readOnce(c, 1, 'Z|STSDEV@I');
    expect(r).to.deep.include({ type: 'BasicStatus_reply', on: true, ready: false, remote: true, positive: false });
    expect(r).to.not.have.property('ramp');
    expect(await readOnce(c, 2, 'Z:STSDEV.STATUS.ON@I')).to.include({ type: 'Scalar_reply', data: 1 });
    expect(await readOnce(c, 3, 'Z:STSDEV.STATUS.READY@I')).to.include({ type: 'Scalar_reply', data: 0 });
    expect(await readOnce(c, 4, 'Z:STSDEV.STATUS.RAMP@I')).to.include({ type: 'Status_reply', status: SimStatus.DBM_NOPROP });
    expect(await readOnce(c, 5, 'Z:STSDEV.STATUS.TEXT@I')).to.include({ type: 'Text_reply' });
    expect(await readOnce(c, 6, 'Z:STSDEV.STATUS.BIT_NAMES@I')).to.deep.include({ type: 'TextArray_reply', data: ['On', 'Ready', 'Remote', 'Positive'] });
    expect(await readOnce(c, 7, 'Z:STSDEV.STATUS.RAW@I')).to.include({ type: 'Raw_reply' });
  });

  it('AnalogAlarm_reply and DigitalAlarm_reply, and single alarm fields', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'Z@STSDEV@I')).to.deep.include({
      type: 'AnalogAlarm_reply',
      minimum: 15,
      maximum: 30,
      alarm_enable: true,
      alarm_status: true,
      abort: true,
      abort_inhibit: false,
      tries_needed: 3,
      tries_now: 3,
    });
    expect(await readOnce(c, 2, 'Z$STSDEV@I')).to.deep.include({
      type: 'DigitalAlarm_reply',
      nominal: 5,
      mask: 7,
      alarm_enable: true,
      alarm_status: false,
      abort: false,
      abort_inhibit: true,
      tries_needed: 2,
      tries_now: 1,
    });
    expect(await readOnce(c, 3, 'Z@STSDEV.MAX@I')).to.include({ type: 'Scalar_reply', data: 30 });
    expect(await readOnce(c, 4, 'Z@STSDEV.ENABLE@I')).to.include({ type: 'Scalar_reply', data: 1 });
    expect(await readOnce(c, 5, 'Z$STSDEV.MASK@I')).to.include({ type: 'Scalar_reply', data: 7 });
    expect(await readOnce(c, 6, 'Z@STSDEV.TEXT@I')).to.include({ type: 'Text_reply' });
  });

  it('CONTROL read → Status_reply with status 0', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'Z&ACLTST@I')).to.include({ type: 'Status_reply', status: 0 });
  });

  it('Status_reply DBM_NOPROP for properties the device lacks', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'M:OUTTMP.SETTING@I')).to.include({ type: 'Status_reply', status: SimStatus.DBM_NOPROP, cycle: 0 });
    expect(await readOnce(c, 2, 'M|OUTTMP@I')).to.include({ type: 'Status_reply', status: SimStatus.DBM_NOPROP });
    expect(await readOnce(c, 3, 'G$AMANDA@I')).to.include({ type: 'Status_reply', status: SimStatus.DBM_NOPROP });
  });

  it('PRIMARY of a text device → DIO_NOSCALE (unit)', () => {
    const store = new DeviceStore(defaultCatalogue());
    const r = buildDataReply(store, store.find('Z:TEXTDEV')!, parseDrf('Z:TEXTDEV.PRIMARY'), { refId: 1, now: 1, cycle: 0 });
    expect(r).to.include({ type: 'Status_reply', status: SimStatus.DIO_NOSCALE });
  });
});
