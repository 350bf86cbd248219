import { expect } from 'chai';
import fc from 'fast-check';
import { AcnetStatus } from '../../lib/status/acnet-status.js';
import { facilities, statusEntries } from '../../lib/status/table.js';

describe('status/acnet-status', () => {
  describe('splitting and joining words', () => {
    const cases: [number, number, number, string | null][] = [
      [0, 0, 0, 'ACNET_OK'],
      [257, 1, 1, 'ACNET_PEND'],
      [-255, 1, -1, 'ACNET_RETRY'],
      [-1535, 1, -6, 'ACNET_REQTMO'],
      [-1522, 14, -6, 'DIO_NOATT'],
      [-10994, 14, -43, 'DIO_TIMEOUT'],
      [-3312, 16, -13, 'DBM_NOPROP'],
      [273, 17, 1, 'DPM_PEND'],
      [-4335, 17, -17, 'DPM_PRIV'],
      [-1519, 17, -6, 'DPM_MARKDELET'],
      [-25272, 72, -99, 'DMQ_SECURITY_VIOLATION'],
      [-32768, 0, -128, null],
      [32767, 255, 127, null],
    ];
    for (const [word, fac, err, name] of cases) {
      it(`${word} = facility ${fac} error ${err}${name === null ? '' : ` (${name})`}`, () => {
        const s = AcnetStatus.fromWord(word);
        expect([s.code, s.facility, s.errorNumber, s.name]).to.deep.equal([word, fac, err, name]);
        expect(AcnetStatus.fromWord(word & 0xffff)).to.equal(s);
        expect(AcnetStatus.fromParts(fac, err)).to.equal(s);
        expect(s.uint16).to.equal(word & 0xffff);
      });
    }

    it('split and join are inverse for every int16 (property)', () => {
      fc.assert(fc.property(fc.integer({ min: -32768, max: 32767 }), (w) => {
        const s = AcnetStatus.fromWord(w);
        expect(s.facility).to.be.within(0, 255);
        expect(s.errorNumber).to.be.within(-128, 127);
        expect(s.facility + 256 * s.errorNumber).to.equal(w);
        expect(AcnetStatus.fromParts(s.facility, s.errorNumber).code).to.equal(w);
      }));
    });

    it('refuses non-words', () => {
      for (const w of [-32769, 65536, 1.5, NaN, Infinity]) expect(() => AcnetStatus.fromWord(w), String(w)).to.throw(RangeError);
      expect(() => AcnetStatus.fromParts(256, 0)).to.throw(RangeError);
      expect(() => AcnetStatus.fromParts(-1, 0)).to.throw(RangeError);
      expect(() => AcnetStatus.fromParts(1, 128)).to.throw(RangeError);
      expect(() => AcnetStatus.fromParts(1, -129)).to.throw(RangeError);
    });
  });

  describe('classification (sign of the error byte)', () => {
    it('success, warning, failure', () => {
      const ok = AcnetStatus.fromWord(0);
      expect([ok.isSuccess, ok.isWarning, ok.isFailure]).to.deep.equal([true, false, false]);
      const dmqOk = AcnetStatus.fromParts(72, 0);
      expect(dmqOk.isSuccess).to.equal(true);
      const pend = AcnetStatus.fromName('DPM_PEND');
      expect([pend.isSuccess, pend.isWarning, pend.isFailure]).to.deep.equal([false, true, false]);
      const priv = AcnetStatus.fromName('DPM_PRIV');
      expect([priv.isSuccess, priv.isWarning, priv.isFailure]).to.deep.equal([false, false, true]);
    });
  });

  describe('names', () => {
    for (const e of statusEntries()) {
      it(`${e.name} (${e.facility} ${e.error}) round-trips`, () => {
        const s = AcnetStatus.fromName(e.name);
        expect([s.facility, s.errorNumber, s.name, s.text]).to.deep.equal([e.facility, e.error, e.name, e.text]);
        expect(AcnetStatus.fromWord(s.code)).to.equal(s);
        expect(AcnetStatus.fromWord(s.uint16)).to.equal(s);
        expect(AcnetStatus.fromName(e.name.toLowerCase())).to.equal(s);
        expect(s.toString()).to.equal(`${e.name} (${e.facility} ${e.error}): ${e.text}`);
      });
    }
    it('ACNET_SUCCESS is ACNET_OK; unknown names', () => {
      expect(AcnetStatus.fromName('ACNET_SUCCESS')).to.equal(AcnetStatus.OK);
      expect(() => AcnetStatus.fromName('NOPE')).to.throw(RangeError, 'NOPE');
      expect(AcnetStatus.tryFromName('NOPE')).to.equal(undefined);
    });
  });

  describe('facilities', () => {
    for (const f of facilities()) {
      it(`facility ${f.code} ${f.name} names unknown codes`, () => {
        const s = AcnetStatus.fromParts(f.code, -127);
        expect(s.facilityName).to.equal(f.name);
        if (s.name === null) {
          expect(s.toString()).to.equal(`${f.name} (${f.code} -127)`);
          expect(s.text).to.contain(f.name);
        }
      });
    }
  });

  describe('unknown codes', () => {
    it('render with the facility name if known, numbers otherwise', () => {
      expect(AcnetStatus.fromParts(17, -99).toString()).to.equal('DPM (17 -99)');
      expect(AcnetStatus.fromParts(200, -3).toString()).to.equal('facility 200 (200 -3)');
      expect(AcnetStatus.fromParts(57, -3).toString()).to.equal('MOOC (57 -3)');
      const u = AcnetStatus.fromParts(200, -3);
      expect([u.name, u.facilityName, u.isFailure]).to.deep.equal([null, null, true]);
      expect(u.text).to.equal('unknown status of facility 200');
    });
  });

  describe('value semantics', () => {
    it('instances are interned, frozen, and success is free', () => {
      expect(AcnetStatus.fromWord(0)).to.equal(AcnetStatus.OK);
      expect(AcnetStatus.fromWord(-4335)).to.equal(AcnetStatus.fromWord(0xef11));
      expect(Object.isFrozen(AcnetStatus.OK)).to.equal(true);
      expect(AcnetStatus.OK.name).to.equal('ACNET_OK');
    });
    it('equals compares words', () => {
      const p = AcnetStatus.fromName('DPM_PRIV');
      expect(p.equals(AcnetStatus.fromWord(-4335))).to.equal(true);
      expect(p.equals(-4335)).to.equal(true);
      expect(p.equals(0xef11)).to.equal(true);
      expect(p.equals(AcnetStatus.OK)).to.equal(false);
      expect(p.equals(-4335 + 65536 * 2)).to.equal(false);
    });
    it('toString and toJSON', () => {
      expect(String(AcnetStatus.fromWord(-1522))).to.equal('DIO_NOATT (14 -6): attribute does not exist for device');
      expect(JSON.stringify(AcnetStatus.OK)).to.equal('{"code":0,"facility":0,"errorNumber":0,"name":"ACNET_OK"}');
    });
    it('creating statuses is cheap', () => {
      const t0 = performance.now();
      let n = 0;
      for (let i = 0; i < 200000; i++) n += AcnetStatus.fromWord(i % 3 === 0 ? 0 : -4335).code;
      expect(n).to.be.below(0);
      expect(performance.now() - t0).to.be.below(200);
    });
  });
});
