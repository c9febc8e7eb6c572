#!/usr/bin/env node
/**
 * Runs before `npm test` (the `pretest` script), so that the README's test command works by itself on a
 * fresh machine: it installs the npm packages when they are missing or older than package-lock.json, and
 * the Debian packages in scripts/apt-packages.txt that are not installed (as root, or through sudo when
 * that needs no password). Where it cannot install, it says what is missing and the command that installs
 * it, and stops: a test run without torch or Chromium would fail later with a less helpful message.
 *
 * Node built-ins only: it runs before node_modules exists.
 * NETCANVAS_SKIP_PROVISION=1 skips it (a machine provisioned another way).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The package names of an apt list: one per line, '#' starts a comment. */
function aptPackages(text) {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

function run(command, args) {
  console.log(`provision: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) fail(`\`${[command, ...args].join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
}

function fail(message) {
  console.error(`provision: ${message}`);
  process.exit(1);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function installed(pkg) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().includes('install ok installed');
  } catch {
    return false;
  }
}

function provisionApt() {
  const packages = aptPackages(readFileSync(join(root, 'scripts/apt-packages.txt'), 'utf8'));
  if (!has('dpkg-query') || !has('apt-get')) {
    console.warn(
      `provision: not a Debian machine, so nothing is installed. The tests need: ${packages.join(', ')} ` +
        '(Chromium at /usr/bin/chromium or `npx playwright install chromium`; torch, torchvision, onnx for /usr/bin/python3).',
    );
    return;
  }
  const missing = packages.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!isRoot && !sudo) {
    fail(
      `the tests need these Debian packages, which are not installed: ${missing.join(' ')}.\n` +
        `Install them (as root) with:\n  apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const [command, ...rest] = [...prefix, 'apt-get'];
  run(command, [...rest, 'update']);
  run(command, [...rest, 'install', '-y', ...missing]);
}

function provisionNpm() {
  // npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
  const marker = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run('npm', ['ci']);
}

if (process.env.NETCANVAS_SKIP_PROVISION === '1') process.exit(0);
provisionApt();
provisionNpm();
