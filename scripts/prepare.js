// npm's `prepare` step: compile lib/ to dist/ — after `npm ci`/`npm install` in a clone, and when
// npm installs the package from git. When npx links this clone into its cache to run one of its
// commands (npm_command=exec), an existing dist/ is kept: npx should start the tool, not rebuild
// it (`npm run build` does that).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (process.env.npm_command === 'exec' && existsSync(new URL('../dist/lib/index.js', import.meta.url))) {
  console.log('acsys-rx: using the compiled dist/ (npm run build recompiles it)');
} else {
  const npm = process.env.npm_execpath;
  const [cmd, args] = npm ? [process.execPath, [npm]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  const r = spawnSync(cmd, [...args, 'run', '--silent', 'build'], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}
