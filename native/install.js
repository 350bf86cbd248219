#!/usr/bin/env node
// Builds the optional Kerberos (GSSAPI) addon quietly: node-gyp's output goes to
// native/build.log and one line is printed instead. Reading never needs the addon, so by
// default a failed build is not an install failure: it prints what to install and exits 0.
//
//   node native/install.js              the package's `install` step (failure tolerated)
//   node native/install.js --required   `npm run build:native` (failure: exit 1, log shown)
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const required = process.argv.includes('--required');
const log = join(here, 'build.log');
const show = (p) => relative(process.cwd(), p) || p;

const addon = join(here, 'build', 'Release', 'acsys_gssapi.node');
const stamp = join(here, 'build', 'built-for.json');
const target = JSON.stringify({ modules: process.versions.modules, platform: process.platform, arch: process.arch });


function upToDate() {
  try {
    if (!existsSync(addon) || readFileSync(stamp, 'utf8') !== target) return false;
    const built = statSync(addon).mtimeMs;
    return ['gssapi.cc', 'binding.gyp', 'install.js'].every((f) => statSync(join(here, f)).mtimeMs <= built);
  } catch {
    return false;
  }
}

// npm hands lifecycle scripts the path of its own node-gyp; run by hand, the node-gyp bundled
// with this Node's npm, else node-gyp from PATH.
const bundled = join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp || (existsSync(bundled) ? bundled : undefined);
const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];

function build() {
  const fd = openSync(log, 'w');
  const child = spawn(cmd, [...args, 'rebuild', '--directory', here], { cwd: root, stdio: ['ignore', fd, fd] });
  let done = false;
  const finish = (code, spawnError) => {
    if (done) return;
    done = true;
    closeSync(fd);
    report(code, spawnError);
  };
  child.on('error', (e) => finish(null, e.message));
  child.on('close', (code) => finish(code, undefined));
}

function report(code, spawnError) {
  if (code === 0) {
    writeFileSync(stamp, target);
    console.log(`acsys-rx: Kerberos addon built (${show(addon)}); writes can authenticate`);
    return;
  }
  const text = spawnError ?? readFileSync(log, 'utf8');
  // the most telling line: a compiler/linker error, else node-gyp's own last error line
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const stackError = lines.map((l) => /^gyp ERR! stack \w*Error: (.*)$/.exec(l)?.[1]).find(Boolean);
  const reason =
    spawnError ??
    lines.find((l) => /fatal error|error:|No such file/i.test(l) && !/^gyp /.test(l)) ??
    (stackError !== undefined && /network/.test(text)
      ? 'node-gyp could not download the Node headers; offline, set npm_config_nodedir to your Node install prefix'
      : stackError) ??
    lines.find((l) => /^gyp ERR!/.test(l)) ??
    `node-gyp exited with ${String(code)}`;
  const hint = 'writes need it: apt-get install libkrb5-dev g++ make python3, then npm run build:native in this package';
  if (required) {
    if (spawnError === undefined) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    console.error(`acsys-rx: the Kerberos addon did not build: ${reason} (log: ${show(log)})`);
    process.exitCode = 1;
  } else {
    console.warn(`acsys-rx: optional Kerberos addon not built (${reason}); reading works, ${hint} (log: ${show(log)})`);
  }
}

// An addon already built from these sources for this Node ABI (a repeated `npm ci`, or npx
// linking this checkout): keep it. `npm run build:native` (--required) always rebuilds.
if (!required && upToDate()) console.log(`acsys-rx: Kerberos addon up to date (${show(addon)})`);
else build();
