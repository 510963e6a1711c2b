// Directories (issue 2) in the real window: create one with a logo and a client secret, see the
// core's message next to the field it concerns, find it again after a restart, duplicate it and
// delete it after a confirmation that names it; the start-up banner comes with the list; and the
// list drawn at one start is shown at the next while the data is the same.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { repoRoot, useTauriDriver, waitUntil } from './harness/app.mjs';
import { createDirectory, scenarioDataDir } from './harness/ssoctl.mjs';
import {
  byTestId,
  chooseFile,
  directoryRows,
  fillField,
  sameWrapper,
  scrollIntoView,
  selectRow,
  textContent,
  waitForGone,
  waitForRow,
  waitForTestId,
  waitForText,
  waitForValue,
} from './harness/ui.mjs';

const driver = useTauriDriver();

const LOGO = join(repoRoot, 'tests', 'fixtures', 'logo-245x36.png');
const NAME = 'Contoso staff (e2e)';
const COPY_NAME = `${NAME} (copy)`;
/** Typed into the secret field: it must end up in the keyring and nowhere else. */
const SECRET = `e2e-client-secret-${process.pid}-${Date.now()}`;
/** The endpoints of the directories ssoctl stores for a scenario (never contacted). */
const ENDPOINTS = {
  authorization_url: 'https://login.example.com/authorize',
  token_url: 'https://login.example.com/token',
  issuer: 'https://login.example.com',
};

test('a directory is created with a logo and a secret, survives a restart, is duplicated and deleted', async (t) => {
  const app = await driver.launch();
  await waitForTestId(app, 'dir-empty');

  // Create: the editor of a new directory.
  await (await waitForTestId(app, 'new-dir')).click();
  // "New directory" asks for the provider first; these scenarios use the blank form.
  await (await waitForTestId(app, 'new-blank-form')).click();
  await fillField(app, 'field-name', NAME);

  const how = await chooseFile(app, 'logo-input', LOGO);
  t.diagnostic(`logo chosen through ${how === 'keys' ? 'the file input' : 'a scripted change'}`);
  await waitForText(app, '#hint-logo_png_base64', (text) => text.includes('Accepted: 245×36 px'), {
    what: 'the core to accept the logo',
  });
  const preview = await app.find(`${byTestId('logo-preview')} img`);
  assert.equal(await preview.property('naturalWidth'), 245);
  assert.equal(await preview.property('naturalHeight'), 36);

  // A plain-http URL to a host that is not loopback: the core refuses it on save.
  await fillField(app, 'field-authorization_url', 'http://idp.example.com/authorize');
  await fillField(app, 'field-token_url', 'https://idp.example.com/token');
  await fillField(app, 'field-client_id', 'console-e2e');
  await fillField(app, 'field-client_secret', SECRET);
  await fillField(app, 'field-domain_suffixes', 'contoso-e2e.example');
  await waitForText(app, byTestId('editor-state'), (text) => text === 'Unsaved changes');

  await (await app.find(byTestId('save-dir'))).click();
  const error = await waitForTestId(app, 'error-authorization_url');
  assert.match(await error.text(), /https/i, 'the message says what a URL must be');
  const urlInput = await app.find(byTestId('field-authorization_url'));
  assert.equal(await urlInput.attribute('aria-invalid'), 'true');
  assert.ok(
    await sameWrapper(app, error, urlInput, '.field'),
    'the message is next to the authorization URL field',
  );
  assert.match(
    await (await waitForTestId(app, 'error-summary')).text(),
    /Authorization URL/,
    'the summary at the top names the field',
  );
  // The editor as a person sees it after Save: the summary on top, the message at its field.
  await scrollIntoView(app, urlInput);
  await app.screenshot('directories-editor');

  // Fixed, the directory saves; the message goes away.
  await fillField(app, 'field-authorization_url', 'https://idp.example.com/authorize');
  await (await app.find(byTestId('save-dir'))).click();
  await waitForText(app, byTestId('editor-state'), (text) => text === 'Saved', {
    what: 'the directory to be saved',
  });
  await waitForGone(app, byTestId('error-authorization_url'));
  await waitForGone(app, byTestId('error-summary'));
  await waitForTestId(app, 'secret-stored');
  assert.equal(await textContent(app, '#editor-title'), NAME);

  await (await app.find(byTestId('cancel-dir'))).click();
  await waitForRow(app, NAME);

  // Restart on the same data directory: the directory, its logo and its secret are still there.
  await app.restart();
  const row = await waitForRow(app, NAME, { timeoutMs: 15_000 });
  assert.equal(row.suffixes, 'contoso-e2e.example');
  assert.equal(row.secretMissing, false, 'the list shows the client secret as stored');
  // Asked of the Secret Service itself (libsecret's secret-tool), not of the console's records.
  const lookup = spawnSync(
    'secret-tool',
    ['lookup', 'service', 'sso-console', 'username', `directory/${row.id}/client-secret`],
    { encoding: 'utf8', timeout: 10_000 },
  );
  assert.equal(lookup.stdout, SECRET, 'the client secret is still in the keyring');
  // The secret is in the keyring only: not in the data folder (SQLite, its WAL), not in the log.
  const entries = await readdir(app.dataDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
  assert.ok(files.some((file) => file.endsWith('.db')), `the database is in ${files.join(', ')}`);
  for (const file of files) {
    assert.ok(!(await readFile(file)).includes(SECRET), `the client secret is in ${file}`);
  }
  assert.ok(!app.log().includes(SECRET), 'the client secret is in the app log');
  const logo = await app.waitFor(`${byTestId('dir-row')}[data-id="${row.id}"] img`, {
    visible: true,
  });
  assert.equal(await logo.property('naturalWidth'), 245);
  await waitForText(app, byTestId('dir-count'), (text) => text.trim() === '1 directory');
  await app.screenshot('directories-list');

  // Duplicate: a saved copy without the secret, opened in the editor.
  await selectRow(app, row.id);
  await (await app.find(byTestId('duplicate-dir'))).click();
  await waitForValue(app, 'field-name', COPY_NAME);
  assert.equal(
    await (await app.find(byTestId('field-authorization_url'))).property('value'),
    'https://idp.example.com/authorize',
  );
  await waitForTestId(app, 'field-client_secret');
  assert.equal((await app.findAll(byTestId('secret-stored'))).length, 0);
  await (await app.find(byTestId('cancel-dir'))).click();
  const copy = await waitForRow(app, COPY_NAME);
  assert.notEqual(copy.id, row.id);
  assert.equal(copy.secretMissing, true, 'the copy has no client secret');
  await waitForText(app, byTestId('dir-count'), (text) => text.trim() === '2 directories');

  // Delete the original, after a confirmation that names it.
  await selectRow(app, row.id);
  await (await app.find(byTestId('delete-dir'))).click();
  const named = await waitForTestId(app, 'delete-dir-name');
  assert.equal(await named.text(), NAME);
  await (await app.find(byTestId('confirm-delete'))).click();
  await waitForGone(app, `${byTestId('dir-row')}[data-id="${row.id}"]`);
  await waitForText(app, byTestId('dir-count'), (text) => text.trim() === '1 directory');

  // And it stays deleted.
  await app.restart();
  await waitForRow(app, COPY_NAME, { timeoutMs: 15_000 });
  assert.deepEqual(
    (await directoryRows(app)).map((r) => r.name),
    [COPY_NAME],
  );

  await app.close();
});

test('closing the window over unsaved changes asks first, and closes once they are discarded', async () => {
  const app = await driver.launch();
  await waitForTestId(app, 'dir-empty');
  await (await waitForTestId(app, 'new-dir')).click();
  // "New directory" asks for the provider first; these scenarios use the blank form.
  await (await waitForTestId(app, 'new-blank-form')).click();
  await fillField(app, 'field-name', 'Not saved yet');
  await waitForText(app, byTestId('editor-state'), (text) => text === 'Unsaved changes');

  // The close button: the window stays, and asks.
  app.requestWindowClose();
  await (await waitForTestId(app, 'cancel-discard')).click();
  await waitForGone(app, byTestId('cancel-discard'));
  await waitForValue(app, 'field-name', 'Not saved yet');

  // Again, and this time the changes go: the window closes and the app ends.
  app.requestWindowClose();
  await waitForTestId(app, 'confirm-discard');
  // Clicked from the page, a moment later: the window goes with the click, and a WebDriver
  // click would be left waiting for an answer from a window that no longer exists.
  await app.execute(
    `setTimeout(() => document.querySelector('[data-testid="confirm-discard"]').click(), 50)`,
  );
  await app.waitForExit();
});

test('the start-up banner names a directory whose secret has expired, with the list, without a command', async (t) => {
  const dataDir = await scenarioDataDir(t);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await createDirectory(
    dataDir,
    { name: 'Expired secret', client_id: 'expired', client_secret_expires_on: yesterday, ...ENDPOINTS },
    'expired-secret',
  );
  await createDirectory(dataDir, { name: 'Calm', client_id: 'calm', ...ENDPOINTS }, 'calm-secret');

  const app = await driver.launch({ dataDir });
  await waitForRow(app, 'Calm');
  // The shell handed the banner over with the list: it is there as soon as the rows are.
  const shown = await app.execute(`return [...document.querySelectorAll('[data-testid="attention-banner-item"]')].map((item) => item.textContent.trim());`);
  assert.deepEqual(shown, ['Expired secret: client secret expired']);
  await app.screenshot('start-up-banner');
});

test('the list drawn at one start is shown at the next before the page starts, while the data is the same', async (t) => {
  const dataDir = await scenarioDataDir(t);
  const secret = `snapshot-secret-${process.pid}-${Date.now()}`;
  for (const [name, client_id] of [
    ['Contoso (snapshot)', 'contoso'],
    ['Fabrikam (snapshot)', 'fabrikam'],
  ]) {
    await createDirectory(dataDir, { name, client_id, ...ENDPOINTS }, secret);
  }
  const snapshotFile = join(dataDir, 'list-snapshot.json');
  // The mark the shell's boot script leaves when it put the kept list into the page.
  const drawnByShell = (app) =>
    app.execute(`return performance.getEntriesByName('sso-console:list-snapshot').length;`);

  // First start: nothing kept yet; the page hands its first frame to the shell.
  const app = await driver.launch({ dataDir });
  await waitForRow(app, 'Fabrikam (snapshot)');
  assert.equal(await drawnByShell(app), 0, 'nothing to draw at the first start');
  await waitUntil(() => existsSync(snapshotFile), { what: 'the list-snapshot.json file' });
  const kept = JSON.parse(await readFile(snapshotFile, 'utf8'));
  assert.match(kept.html, /Contoso \(snapshot\)/);
  assert.match(kept.html, /data-testid="dir-row"/);
  assert.ok(!JSON.stringify(kept).includes(secret), 'no client secret in the kept frame');

  // Same data: the shell draws the kept list, and the page's own list replaces it and works.
  await app.restart();
  await waitForRow(app, 'Fabrikam (snapshot)');
  assert.equal(await drawnByShell(app), 1, 'the kept list was put into the page');
  const rows = await directoryRows(app);
  assert.deepEqual(
    rows.map((row) => [row.name, row.selected]),
    [
      ['Contoso (snapshot)', true],
      ['Fabrikam (snapshot)', false],
    ],
  );
  await selectRow(app, rows[1].id);
  await fillField(app, 'dir-search', 'contoso');
  await waitUntil(async () => (await directoryRows(app)).length === 1, { what: 'the search to filter the list' });
  await app.close();

  // Other data: the kept list is not drawn, and the new directory is listed.
  await createDirectory(dataDir, { name: 'Northwind (snapshot)', client_id: 'northwind', ...ENDPOINTS }, secret);
  const again = await driver.launch({ dataDir });
  await waitForRow(again, 'Northwind (snapshot)');
  assert.equal(await drawnByShell(again), 0, 'a list drawn from other data is not shown');
});
