import { expect } from 'chai';
import { authorizeSetting, DPM_PRIV, explainAuthorization } from '../../../lib/sim/auth/authorize.js';
import { EMPTY_AUTH_CONFIG, parseAuthConfig } from '../../../lib/sim/auth/config.js';

describe('sim/auth/authorize', function () {
  const cfg = parseAuthConfig({
    users: {
      alice: { roles: ['tester'], classes: 0 },
      'bob@FNAL.GOV': { roles: [], classes: 0b0110 },
      carol: { roles: ['tester'], classes: 0b0001 },
      high: { classes: 0x80000000 },
    },
    roles: { tester: ['Z:ACLTST', 'g_amanda'] },
    devices: { 'M:OUTTMP': 0b0100, 'Z:ACLTST': 0b1000, 'G:HIGH': 0x80000000 },
  });

  it('DPM_PRIV is 17 −17 = −4335', function () {
    expect(DPM_PRIV).to.equal(17 + 256 * -17);
  });

  const matrix: Array<[string, string | undefined, string | undefined, string, number, string | null]> = [
    ['role held, device in allowlist', 'alice@FNAL.GOV', 'tester', 'Z:ACLTST', 0, 'role'],
    ['allowlist is case-insensitive (and _ qualifier)', 'alice@FNAL.GOV', 'tester', 'z_acltst', 0, 'role'],
    ['role held, device not in allowlist, no class', 'alice@FNAL.GOV', 'tester', 'M:OUTTMP', DPM_PRIV, null],
    ['role not held', 'bob@FNAL.GOV', 'tester', 'Z:ACLTST', DPM_PRIV, null],
    ['no role, no class', 'alice@FNAL.GOV', undefined, 'Z:ACLTST', DPM_PRIV, null],
    ['class-mask fallback allowed', 'bob@FNAL.GOV', undefined, 'M:OUTTMP', 0, 'class'],
    ['class fallback after an unheld role', 'bob@FNAL.GOV', 'tester', 'M:OUTTMP', 0, 'class'],
    ['both paths denied', 'carol@FNAL.GOV', 'tester', 'M:OUTTMP', DPM_PRIV, null],
    ['unknown device: mask 0', 'bob@FNAL.GOV', undefined, 'X:UNKNWN', DPM_PRIV, null],
    ['high bit of the mask', 'high@FNAL.GOV', undefined, 'G:HIGH', 0, 'class'],
    ['unknown user', 'mallory@FNAL.GOV', 'tester', 'Z:ACLTST', DPM_PRIV, null],
    ['no identity', undefined, 'tester', 'Z:ACLTST', DPM_PRIV, null],
    ['short name from an instance principal', 'x/alice.ops@FNAL.GOV', 'tester', 'G:AMANDA', 0, 'role'],
    ['exact principal key', 'bob@FNAL.GOV', undefined, 'M:OUTTMP', 0, 'class'],
    ['principal key does not match another realm', 'bob@OTHER.REALM', undefined, 'M:OUTTMP', DPM_PRIV, null],
  ];
  for (const [name, principal, role, device, status, via] of matrix) {
    it(name, function () {
      expect(authorizeSetting(cfg, principal, role, device)).to.equal(status);
      const d = explainAuthorization(cfg, principal, role, device);
      expect(d.via).to.equal(via);
      expect(d.allowed).to.equal(status === 0);
      expect(d.reason).to.be.a('string').and.not.equal('');
    });
  }

  it('the empty configuration refuses everything', function () {
    expect(authorizeSetting(EMPTY_AUTH_CONFIG, 'alice@FNAL.GOV', 'tester', 'Z:ACLTST')).to.equal(DPM_PRIV);
  });
});
