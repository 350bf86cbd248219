// The browser side builds from the sources: the page and the stand-alone client bundle with
// esbuild for browsers (which refuses Node built-ins), and the page type-checks with the DOM
// library (`npm run typecheck` covers the Node program only).
import { expect } from 'chai';
import { build } from 'esbuild';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ASSET_TYPES, bundlePage } from '../../lib/web/bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('web/bundle: the browser side builds', function () {
  this.timeout(120_000);

  it('bundles the page, its CSS, the page HTML and the stand-alone client', async () => {
    const assets = await bundlePage();
    expect([...assets.keys()].sort()).to.deep.equal(Object.keys(ASSET_TYPES).sort());
    expect(assets.get('app.js')!.body.toString()).to.contain('acsysDashboard');
    expect(assets.get('app.css')!.body.toString()).to.contain('.u-legend'); // uPlot's CSS came along
    expect(assets.get('acsys-rx-browser.js')!.body.toString()).to.match(/export\{.*stream/);
  });

  it('acsys-rx/browser has no Node built-ins: it bundles for the browser platform from browser-safe modules only', async () => {
    const r = await build({
      entryPoints: [join(root, 'lib', 'browser', 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(r.metafile.inputs).map((p) => relative(root, join(root, p)));
    const ours = inputs.filter((p) => !p.startsWith('node_modules/'));
    // (lib/dpm/reading.ts: the Reading types and isOk; lib/dpm/list-error.ts: ListError — both
    // without Node imports)
    const shared = new Set(['lib/dpm/reading.ts', 'lib/dpm/list-error.ts']);
    expect(ours.filter((p) => !/^lib\/(browser|drf|status|errors)\//.test(p) && !shared.has(p))).to.deep.equal([]);
    expect(inputs.filter((p) => p.startsWith('node_modules/') && !/^node_modules\/(rxjs|tslib)\//.test(p))).to.deep.equal([]);
    const text = r.outputFiles[0]!.text;
    expect(text).to.not.match(/\bfrom\s*["']node:|require\(["']node:/);
  });

  it('the page type-checks with the DOM library (web/tsconfig.json)', () => {
    const configPath = join(root, 'web', 'tsconfig.json');
    const cfg = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, join(root, 'web'));
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diags).to.deep.equal([]);
    expect(parsed.fileNames.map((f) => relative(root, f)).sort()).to.include.members(['web/src/main.ts', 'web/src/charts.ts']);
  });
});
