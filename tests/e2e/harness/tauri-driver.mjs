// Starts and stops tauri-driver, the WebDriver server that launches a Tauri app under the
// platform's native driver (WebKitWebDriver on Linux). Both listen on 127.0.0.1 only.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './net.mjs';
import { waitUntil } from './webdriver.mjs';

const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_LIMIT = 20_000;

function tauriDriverBinary() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const cargoHome = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
  const installed = join(
    cargoHome,
    'bin',
    process.platform === 'win32' ? 'tauri-driver.exe' : 'tauri-driver',
  );
  return existsSync(installed) ? installed : 'tauri-driver';
}

/** On Linux the native driver is WebKitGTK's; elsewhere tauri-driver finds its own. */
function nativeDriverArgs() {
  if (process.platform !== 'linux') return [];
  const nativeDriver = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';
  return ['--native-driver', nativeDriver];
}

/**
 * A running tauri-driver. `url` is its WebDriver address; `output()` what it (and the native
 * driver) printed, for error messages; `stop()` ends it and the native driver with it.
 */
export async function startTauriDriver({ env = process.env } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const binary = tauriDriverBinary();
  const child = spawn(
    binary,
    ['--port', String(port), '--native-port', String(nativePort), ...nativeDriverArgs()],
    // Its own process group, so that stop() also reaches the native driver and the app.
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' },
  );

  let output = '';
  const collect = (chunk) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
    if (process.env.SSO_E2E_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let exited = false;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
    child.on('error', (error) => {
      exited = true;
      output += `\n${error.message}`;
      resolve({ code: null, signal: null });
    });
  });

  // The whole group: tauri-driver, the native driver and the app they started. The group
  // outlives tauri-driver itself while any of the others still runs.
  const killGroup = (signal) => {
    try {
      if (process.platform !== 'win32') process.kill(-child.pid, signal);
      else if (!exited) child.kill(signal);
    } catch {
      // nothing left in the group
    }
  };
  // If the test process dies first, do not leave drivers (and app windows) behind.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const url = `http://127.0.0.1:${port}/`;
  const driver = {
    url,
    output: () => output,
    async stop() {
      process.removeListener('exit', onExit);
      killGroup('SIGTERM');
      let timer;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_TIMEOUT_MS, 'timeout');
      });
      const outcome = await Promise.race([exit, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        killGroup('SIGKILL');
        await exit;
      }
      // tauri-driver kills the native driver on SIGTERM; sweep whatever else is left.
      killGroup('SIGKILL');
    },
  };

  try {
    // Stop waiting as soon as tauri-driver exits (not installed, port taken, …).
    const gone = new AbortController();
    exit.then(() => gone.abort(new Error(`${binary} exited before it was ready`)));
    await waitUntil(
      async () => {
        const response = await fetch(new URL('/status', url), {
          signal: AbortSignal.timeout(2_000),
        });
        const body = await response.json();
        return response.ok && body?.value?.ready !== false;
      },
      {
        timeoutMs: STARTUP_TIMEOUT_MS,
        intervalMs: 200,
        what: `tauri-driver at ${url}`,
        signal: gone.signal,
      },
    );
  } catch (error) {
    await driver.stop();
    const hint =
      error.cause?.code === 'ENOENT' || /ENOENT/.test(output)
        ? ' (is tauri-driver installed? run scripts/install-deps.sh)'
        : '';
    throw new Error(`${error.message}${hint}\n--- tauri-driver output ---\n${output}`, {
      cause: error,
    });
  }
  return driver;
}
