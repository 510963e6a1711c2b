// Smoke: the real app (in CI, the installed package's) starts with a fresh data folder, its
// window shows the bundled UI with the directory list, and it starts again on the same data
// directory.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { repoRoot, useTauriDriver, waitUntil } from './harness/app.mjs';
import { byTestId, click, textContent, waitForTestId, waitForText } from './harness/ui.mjs';

const driver = useTauriDriver();

test('the app window opens and shows the bundled UI', async () => {
  const app = await driver.launch();

  const body = await app.waitFor('body');
  assert.equal(await body.tagName(), 'body');
  // The UI must come from the binary (tauri://localhost on Linux and macOS,
  // http://tauri.localhost on Windows), not from a dev server that is not running.
  const href = await app.execute('return location.href');
  assert.match(
    href,
    /^(tauri:\/\/localhost|http:\/\/tauri\.localhost)(\/|$)/,
    `the window shows ${href}: build the app with --features custom-protocol`,
  );
  await waitUntil(async () => (await body.text()).trim() !== '', {
    what: 'the UI to render some text',
  });
  // A fresh data folder: the directory list, empty, with no error.
  await waitForTestId(app, 'dir-empty');
  // On Linux the page uses the generic font, which WebKitGTK finds without starting Pango.
  const font = await app.execute('return getComputedStyle(document.documentElement).fontFamily');
  assert.equal(font, process.platform === 'linux' ? 'sans-serif' : 'system-ui, sans-serif');
  assert.equal((await app.findAll(byTestId('list-error'))).length, 0, 'the list loaded');
  await app.screenshot('smoke');

  await app.restart();
  await app.waitFor('body');

  await app.close();
});

test('the page runs without the JavaScript JIT, unless the person chose otherwise', async () => {
  // The shell turns the JIT off for its web view (memory, attack surface) through the engine's
  // environment variable; a value set before the app starts is the person's and is kept.
  for (const [given, expected] of [
    [{}, '0'],
    [{ JSC_useJIT: '1' }, '1'],
  ]) {
    const app = await driver.launch({ env: given });
    await waitForTestId(app, 'dir-empty');
    const environment = app.webProcessEnvironment();
    assert.ok(environment !== null, "the app's web process was found");
    assert.equal(environment.get('JSC_useJIT'), expected, `with ${JSON.stringify(given)}`);
    await app.close();
  }
});

test('Settings shows the version, the commit and the log file of this build', async () => {
  const app = await driver.launch();
  await click(app, await waitForTestId(app, 'nav-settings'));
  await waitForTestId(app, 'settings-about');
  const version = await waitForText(app, byTestId('about-version'), (text) => text !== '', {
    what: 'the version',
  });
  const cargoToml = readFileSync(join(repoRoot, 'Cargo.toml'), 'utf8');
  assert.equal(version, cargoToml.match(/^version = "([^"]+)"/m)[1], 'the workspace version');
  const commit = await textContent(app, byTestId('about-commit'));
  const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(commit, head.stdout.trim(), 'built from the commit under test');
  const logFile = await textContent(app, byTestId('about-log-file'));
  assert.equal(logFile, join(app.files.logDir, 'sso-console.log'));
  assert.ok(existsSync(logFile), 'the log file exists');
  const openFolder = await app.find(byTestId('about-open-log-folder'));
  assert.equal(await openFolder.property('disabled'), false, 'Open log folder is available');
  await app.screenshot('settings-about');
  await app.close();
});
