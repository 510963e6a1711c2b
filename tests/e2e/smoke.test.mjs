// Smoke: the real app starts, its window shows a page, and it starts again on the same data.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useTauriDriver } from './harness/app.mjs';

const driver = useTauriDriver();

test('the app window opens and shows a page', async () => {
  const app = await driver.launch();

  const body = await app.waitFor('body');
  assert.equal(await body.tagName(), 'body');
  const file = await app.screenshot('smoke');
  assert.ok(file.endsWith('smoke.png'));

  await app.restart();
  await app.waitFor('body');

  await app.close();
});
