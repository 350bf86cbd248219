import { expect } from 'chai';
import { parseDrf } from '../../lib/drf/parse.js';
import type { DrfEvent, DrfExtra, DrfRange } from '../../lib/drf/types.js';

// Compile-time checks that the unions are discriminated and exhaustive.
function eventSummary(e: DrfEvent): string {
  switch (e.kind) {
    case 'default':
      return 'U';
    case 'immediate':
      return 'I';
    case 'never':
      return 'N';
    case 'periodic':
      return `${e.mode}${e.periodMs}${e.immediate ? '' : '!'}`;
    case 'clock':
      return `E${e.eventNumber}${e.clockType}${e.delayMs}`;
    case 'state':
      return `S${e.device}${e.value}${e.expression}${e.delayMs}`;
  }
}

function rangeSummary(r: DrfRange): string {
  if (r.kind === 'array') {
    if (r.mode === 'single') return `a${r.low.toFixed(0)}`;
    return `a${r.mode}${r.low ?? ''}:${r.high ?? ''}`;
  }
  if (r.mode === 'single') return `b${r.offset.toFixed(0)}`;
  return `b${r.mode}${r.offset ?? ''}:${r.length ?? ''}`;
}

function extraSummary(x: DrfExtra): string {
  switch (x.name) {
    case 'LOGGER':
      return `${x.startMs}-${x.endMs}@${x.node ?? ''}`;
    case 'LOGGERDURATION':
      return `${x.durationMs}@${x.node ?? ''}`;
    case 'LOGGERSINGLE':
      return `${x.timeMs}±${x.accuracyMs}@${x.node}`;
    case 'SRFILE':
      return `${x.fileNumber}`;
    case 'SDAFILE':
      return x.numbers.join(',');
    case 'REDIR':
      return `${x.from}>${x.to}`;
    default:
      return x.name;
  }
}

describe('drf/types', () => {
  it('events, ranges and sources narrow by their discriminants', () => {
    expect(eventSummary(parseDrf('M:X1@q,2s,f').event)).to.equal('Q2000!');
    expect(eventSummary(parseDrf('M:X1@E,a,h,1').event)).to.equal('E10H1');
    expect(eventSummary(parseDrf('M:X1@S,G:A,1,0,*').event)).to.equal('SG:A1*0');
    expect(rangeSummary(parseDrf('M:X1[4]').range!)).to.equal('a4');
    expect(rangeSummary(parseDrf('M:X1{1:2}').range!)).to.equal('bstd1:2');
    expect(extraSummary(parseDrf('M:X1<-LOGGERSINGLE:L:2:3').extra!)).to.equal('2000±3000@L');
    expect(extraSummary(parseDrf('M:X1<-REDIR:A->B').extra!)).to.equal('A>B');
  });
});
