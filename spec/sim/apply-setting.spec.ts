import { expect } from 'chai';
import { useSim, addAndStart, replyFor, readOnce } from '../support/sim-harness.js';
import { SimStatus, defaultCatalogue } from '../../lib/sim/index.js';
import type { RawDpmClient } from '../support/raw-client.js';
import { DeviceStore } from '../../lib/sim/device-store.js';
import { applySetting } from '../../lib/sim/apply-setting.js';
import { parseDrf } from '../../lib/drf/parse.js';

async function prepare(c: RawDpmClient, entries: [number, string][]): Promise<void> {
  c.mark();
  c.send({ type: 'StopList_request', list_id: c.listId }, { type: 'ClearList_request', list_id: c.listId });
  c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 0, drf_request: '#ROLE:testing' });
  addAndStart(c, entries);
  await replyFor(c, 'StartList_reply');
}

describe('sim/apply-setting: settings then read-back (insecureSettings)', () => {
  const h = useSim({ insecureSettings: true });

  it('scaled, raw and text settings are applied; ApplySettings_reply lists raw, scaled, text in order', async () => {
    const c = await h.open();
    await prepare(c, [
      [1, 'Z:ACLTST.SETTING@N'],
      [2, 'Z:RAWDEV.SETTING@N'],
      [3, 'Z:TEXTDEV.SETTING@N'],
      [4, 'Z:ARRAY1K.SETTING[2:4]@N'],
    ]);
    c.mark();
    c.send({
      type: 'ApplySettings_request',
      user_name: 'tester@FNAL.GOV',
      list_id: c.listId,
      raw_array: [{ ref_id: 2, data: Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2) }],
      scaled_array: [
        { ref_id: 1, data: [42.25] },
        { ref_id: 4, data: [1, 2, 3] },
      ],
      text_array: [{ ref_id: 3, data: ['new text'] }],
    });
    const r = await replyFor(c, 'ApplySettings_reply');
    expect(r.status).to.deep.equal([
      { ref_id: 2, status: 0 },
      { ref_id: 1, status: 0 },
      { ref_id: 4, status: 0 },
      { ref_id: 3, status: 0 },
    ]);
    expect(await readOnce(c, 11, 'Z:ACLTST@I')).to.include({ type: 'Scalar_reply', data: 42.25 });
    expect(await readOnce(c, 12, 'Z_ACLTST@I')).to.include({ type: 'Scalar_reply', data: 42.25 });
    const raw = await readOnce(c, 13, 'Z:RAWDEV@I');
    expect(raw.type === 'Raw_reply' && Array.from(raw.data)).to.deep.equal([9, 8, 7, 6, 5, 4, 3, 2]);
    expect(await readOnce(c, 14, 'Z:TEXTDEV@I')).to.include({ type: 'Text_reply', data: 'new text' });
    const arr = await readOnce(c, 15, 'Z_ARRAY1K[0:5]@I');
    expect(arr.type === 'ScalarArray_reply' && Array.from(arr.data)).to.deep.equal([0, 0, 1, 2, 3, 0]);
    expect(h.sim.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 42.25 });
  });

  it('a raw setting of a scalar device is scaled (int32 LE counts)', async () => {
    const c = await h.open();
    await prepare(c, [[1, 'Z:ACLTST.SETTING.RAW@N']]);
    const counts = Buffer.alloc(4);
    counts.writeInt32LE(7000);
    c.mark();
    c.send({ type: 'ApplySettings_request', user_name: 'u', list_id: c.listId, raw_array: [{ ref_id: 1, data: counts }] });
    expect((await replyFor(c, 'ApplySettings_reply')).status).to.deep.equal([{ ref_id: 1, status: 0 }]);
    expect(await readOnce(c, 2, 'Z:ACLTST@I')).to.include({ data: 7 });
  });

  it('ref_id not in the list → DPM_BAD_REQUEST; a property the device lacks → DBM_NOPROP; bad data → DIO_INVDATA', async () => {
    const c = await h.open();
    await prepare(c, [
      [1, 'M:OUTTMP.SETTING@N'],
      [2, 'Z:ACLTST.SETTING@N'],
    ]);
    c.mark();
    c.send({
      type: 'ApplySettings_request',
      user_name: 'u',
      list_id: c.listId,
      scaled_array: [{ ref_id: 99, data: [1] }],
      text_array: [{ ref_id: 2, data: ['not a number'] }],
    });
    const r = await replyFor(c, 'ApplySettings_reply');
    expect(r.status).to.deep.equal([
      { ref_id: 99, status: SimStatus.DPM_BAD_REQUEST },
      { ref_id: 2, status: SimStatus.DIO_INVDATA },
    ]);
  });

  it('alarm fields and CONTROL settings', async () => {
    const c = await h.open();
    await prepare(c, [
      [1, 'Z:ACLTST.ANALOG.MAX@N'],
      [2, 'Z:ACLTST.CONTROL@N'],
    ]);
    c.mark();
    c.send({
      type: 'ApplySettings_request',
      user_name: 'u',
      list_id: c.listId,
      scaled_array: [
        { ref_id: 1, data: [77] },
        { ref_id: 2, data: [2] },
      ],
    });
    expect((await replyFor(c, 'ApplySettings_reply')).status.map((s) => s.status)).to.deep.equal([0, 0]);
    expect(await readOnce(c, 3, 'Z@ACLTST.MAX@I')).to.include({ data: 77 });
    expect(await readOnce(c, 4, 'Z:ACLTST.STATUS.ON@I')).to.include({ data: 0 });
  });
});

describe('sim/apply-setting: default (secure) mode', () => {
  const h = useSim();
  it('refuses every setting with DPM_PRIV and leaves the device alone', async () => {
    const c = await h.open();
    await prepare(c, [[1, 'Z:ACLTST.SETTING@N']]);
    c.mark();
    c.send({ type: 'ApplySettings_request', user_name: 'u', list_id: c.listId, scaled_array: [{ ref_id: 1, data: [99] }] });
    expect((await replyFor(c, 'ApplySettings_reply')).status).to.deep.equal([{ ref_id: 1, status: SimStatus.DPM_PRIV }]);
    expect(h.sim.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 12.5 });
  });
});

describe('sim/apply-setting: CONTROL commands (unit)', () => {
  it('RESET = 0 / ON = 1 / OFF = 2 change the basic status; any other value, text or raw → DIO_INVDATA, status unchanged', () => {
    const store = new DeviceStore(defaultCatalogue());
    const dev = store.find('Z:ACLTST')!;
    const ctl = parseDrf('Z:ACLTST.CONTROL@N');
    const on = (): unknown => (dev.spec.status as { on?: boolean } | undefined)?.on;
    expect(applySetting(store, dev, ctl, { kind: 'scaled', data: [2] })).to.equal(SimStatus.OK);
    expect(on()).to.equal(false);
    expect(applySetting(store, dev, ctl, { kind: 'scaled', data: [1] })).to.equal(SimStatus.OK);
    expect(on()).to.equal(true);
    expect(applySetting(store, dev, ctl, { kind: 'scaled', data: [0] })).to.equal(SimStatus.OK);
    for (const bad of [
      { kind: 'scaled', data: [99] },
      { kind: 'scaled', data: [1.5] },
      { kind: 'scaled', data: [] },
      { kind: 'scaled', data: [1, 2] },
      { kind: 'text', data: ['OFF'] },
      { kind: 'raw', data: Uint8Array.of(2) },
    ] as const) {
      expect(applySetting(store, dev, ctl, bad), JSON.stringify(bad)).to.equal(SimStatus.DIO_INVDATA);
      expect(on()).to.equal(true);
    }
    // a device without status or setting: no CONTROL property, whatever the command
    expect(applySetting(store, store.find('M:OUTTMP')!, parseDrf('M:OUTTMP.CONTROL@N'), { kind: 'scaled', data: [7] })).to.equal(SimStatus.DBM_NOPROP);
    // a settable device without basic status: known commands accepted, others refused
    const amanda = store.find('G:AMANDA')!;
    expect(applySetting(store, amanda, parseDrf('G:AMANDA.CONTROL@N'), { kind: 'scaled', data: [1] })).to.equal(SimStatus.OK);
    expect(applySetting(store, amanda, parseDrf('G:AMANDA.CONTROL@N'), { kind: 'scaled', data: [7] })).to.equal(SimStatus.DIO_INVDATA);
  });
});

describe('sim/apply-setting: applySetting (unit)', () => {
  it('answers DBM_NOPROP for a missing alarm block and DIO_INVDATA for wrong shapes', () => {
    const store = new DeviceStore(defaultCatalogue());
    const amanda = store.find('G:AMANDA')!;
    expect(applySetting(store, amanda, parseDrf('G:AMANDA.DIGITAL.NOM@N'), { kind: 'scaled', data: [1] })).to.equal(SimStatus.DBM_NOPROP);
    const text = store.find('Z:TEXTDEV')!;
    expect(applySetting(store, text, parseDrf('Z:TEXTDEV.SETTING@N'), { kind: 'scaled', data: [1] })).to.equal(SimStatus.DIO_INVDATA);
    const arr = store.find('Z:ARRAY1K')!;
    expect(applySetting(store, arr, parseDrf('Z:ARRAY1K.SETTING[1023]@N'), { kind: 'scaled', data: [1, 2] })).to.equal(SimStatus.DPM_OUT_OF_BOUNDS);
    expect(applySetting(store, text, parseDrf('Z:TEXTDEV.DESCRIPTION@N'), { kind: 'text', data: ['d'] })).to.equal(0);
    expect(store.find('Z:TEXTDEV')!.spec.description).to.equal('d');
  });
});

describe('sim/apply-setting: a value that does not fit its device gets an error status and is not stored (unit)', () => {
  const store = new DeviceStore(defaultCatalogue());
  const snapshot = (name: string): unknown => JSON.stringify(store.valueAt(store.find(name)!, 'setting', Date.now()), (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
  const cases: [string, string, Parameters<typeof applySetting>[3], number][] = [
    ['text to a scalar', 'Z:ACLTST.SETTING@N', { kind: 'text', data: ['3.5'] }, SimStatus.DIO_INVDATA],
    ['two values to a scalar', 'Z:ACLTST.SETTING@N', { kind: 'scaled', data: [1, 2] }, SimStatus.DIO_OUT_OF_BOUNDS],
    ['NaN to a scalar', 'Z:ACLTST.SETTING@N', { kind: 'scaled', data: [NaN] }, SimStatus.DIO_INVDATA],
    ['Infinity inside an array', 'Z:ARRAY1K.SETTING@N', { kind: 'scaled', data: [1, Infinity] }, SimStatus.DIO_INVDATA],
    ['raw of 3 bytes to a scalar', 'Z:ACLTST.SETTING@N', { kind: 'raw', data: Uint8Array.of(1, 2, 3) }, SimStatus.DIO_INVLEN],
    ['an array longer than the device', 'Z:ARRAY1K.SETTING@N', { kind: 'scaled', data: new Array<number>(1025).fill(1) }, SimStatus.DIO_OUT_OF_BOUNDS],
    ['text to an array', 'Z:ARRAY1K.SETTING@N', { kind: 'text', data: ['1'] }, SimStatus.DIO_INVDATA],
    ['numbers to a text device', 'Z:TEXTDEV.SETTING@N', { kind: 'scaled', data: [1] }, SimStatus.DIO_INVDATA],
    ['raw of the wrong length to a raw device', 'Z:RAWDEV.SETTING@N', { kind: 'raw', data: Uint8Array.of(1, 2, 3) }, SimStatus.DIO_INVLEN],
    ['numbers to a raw device', 'Z:RAWDEV.SETTING@N', { kind: 'scaled', data: [1] }, SimStatus.DIO_INVDATA],
  ];
  for (const [label, drf, value, status] of cases) {
    it(`${label} → ${AcnetStatusName(status)}`, () => {
      const req = parseDrf(drf);
      const before = snapshot(req.device);
      expect(applySetting(store, store.find(req.device)!, req, value)).to.equal(status);
      expect(snapshot(req.device)).to.equal(before);
    });
  }
  it('a shorter array sets the first elements and keeps the device length', () => {
    const dev = store.find('Z:ARRAY1K')!;
    expect(applySetting(store, dev, parseDrf('Z:ARRAY1K.SETTING@N'), { kind: 'scaled', data: [7, 8] })).to.equal(SimStatus.OK);
    const v = store.valueAt(dev, 'setting', Date.now());
    expect(v?.kind === 'array' && [v.values.length, v.values[0], v.values[1], v.values[2]]).to.deep.equal([1024, 7, 8, 0]);
  });
});

function AcnetStatusName(word: number): string {
  return Object.entries(SimStatus).find(([, v]) => v === word)?.[0] ?? String(word);
}
