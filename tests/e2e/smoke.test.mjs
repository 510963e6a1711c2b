// Smoke: the real app (in CI, the installed package's) starts with a fresh data folder, its
// window shows the bundled UI with the directory list, and it starts again on the same data
// directory.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useTauriDriver, waitUntil } from './harness/app.mjs';
import { byTestId, waitForTestId } from './harness/ui.mjs';

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
  assert.equal((await app.findAll(byTestId('list-error'))).length, 0, 'the list loaded');
  await app.screenshot('smoke');

  await app.restart();
  await app.waitFor('body');

  await app.close();
});
