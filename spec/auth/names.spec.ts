import { expect } from 'chai';
import { DEFAULT_REALM, realmOf, serviceNameOf, servicePrincipal, shortName } from '../../lib/auth/names.js';
import { DPM_GSS_FLAGS, MIC_MESSAGE } from '../../lib/auth/kerberos.js';

describe('auth/names', function () {
  describe('servicePrincipal (§9.2 rule)', function () {
    const cases: Array<[string, string | null | undefined, string]> = [
      ['daeset/bd@host.fnal.gov', undefined, 'daeset/bd/host.fnal.gov@FNAL.GOV'],
      ['daeset\\@somehost', undefined, 'daeset/somehost@FNAL.GOV'],
      ['daeset/bd\\@localhost', 'ACSYS.TEST', 'daeset/bd/localhost@ACSYS.TEST'],
      ['daeset/bd@localhost', 'ACSYS.TEST', 'daeset/bd/localhost@ACSYS.TEST'],
      ['daeset/bd@localhost', null, 'daeset/bd/localhost'],
      ['a@b@c', 'R', 'a/b/c@R'],
    ];
    for (const [name, realm, expected] of cases) {
      it(`${JSON.stringify(name)} with realm ${String(realm)} → ${expected}`, function () {
        expect(realm === undefined ? servicePrincipal(name) : servicePrincipal(name, realm)).to.equal(expected);
      });
    }
    it('defaults to FNAL.GOV', function () {
      expect(DEFAULT_REALM).to.equal('FNAL.GOV');
    });
    it('round-trips with serviceNameOf', function () {
      expect(serviceNameOf('daeset/bd/localhost@ACSYS.TEST')).to.equal('daeset/bd@localhost');
      expect(servicePrincipal(serviceNameOf('daeset/bd/dmq.fnal.gov@FNAL.GOV'))).to.equal('daeset/bd/dmq.fnal.gov@FNAL.GOV');
      expect(serviceNameOf('daeset@FNAL.GOV')).to.equal('daeset');
    });
  });

  it('realmOf', function () {
    expect(realmOf('alice@FNAL.GOV')).to.equal('FNAL.GOV');
    expect(realmOf('daeset/bd/h@ACSYS.TEST')).to.equal('ACSYS.TEST');
    expect(realmOf('alice')).to.equal(undefined);
    expect(realmOf('a\\@b')).to.equal(undefined);
  });

  it('shortName (§9.5): before @, last / component, before the first .', function () {
    expect(shortName('alice@FNAL.GOV')).to.equal('alice');
    expect(shortName('alice/admin@FNAL.GOV')).to.equal('admin');
    expect(shortName('host/node1.fnal.gov@FNAL.GOV')).to.equal('node1');
    expect(shortName('j.smith@FNAL.GOV')).to.equal('j');
    expect(shortName('bob')).to.equal('bob');
  });

  it('the MIC message is ASCII 1234 and the flags are replay+sequence+integrity (44)', function () {
    expect(Array.from(MIC_MESSAGE)).to.deep.equal([0x31, 0x32, 0x33, 0x34]);
    expect(DPM_GSS_FLAGS).to.equal(44);
  });
});
