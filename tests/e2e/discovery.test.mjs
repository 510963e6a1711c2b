// Discovery (issue 3) in the real window, against a real OpenID Provider on 127.0.0.1: the
// editor's Discover fills in the endpoints only after a confirmation, a bad domain says why next
// to the field, a slow one can be cancelled; "Check all directories" sums up every directory.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { repoRoot, useTauriDriver, waitUntil } from './harness/app.mjs';
import { startOidcProvider, startSilentServer } from './harness/peers.mjs';
import {
  byTestId,
  chooseFile,
  click,
  fillField,
  sameWrapper,
  scrollIntoView,
  textContent,
  waitForGone,
  waitForTestId,
  waitForText,
  waitForValue,
} from './harness/ui.mjs';

const driver = useTauriDriver();

const LOGO = join(repoRoot, 'tests', 'fixtures', 'logo-245x36.png');
/** Discovery waits up to 15 s for the network in the core; the UI's answer comes after it. */
const DISCOVERY_TIMEOUT_MS = 20_000;
/** A cancelled request is dropped at once; the core's own limit would take 15 s. */
const CANCELLED_REQUEST_GONE_MS = 5_000;
/** Nothing listens there: the connection is refused at once. */
const NOTHING_LISTENS = 'http://127.0.0.1:9';

const PROVIDER_CONFIG = {
  clients: [
    {
      client_id: 'console-e2e',
      client_secret: 'e2e-client-secret',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
};

/** The provider's own metadata, read directly, to compare with what the console shows. */
async function providerMetadata(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5_000),
  });
  assert.equal(response.status, 200);
  return response.json();
}

/** The "old → new" rows of the discovery result. */
function changeRows(app) {
  return app.execute(
    `return [...document.querySelectorAll('[data-testid="change-row"]')].map((row) => ({
       field: row.dataset.field,
       old: row.querySelector('[data-testid="change-old"]').textContent.trim(),
       new: row.querySelector('[data-testid="change-new"]').textContent.trim(),
     }));`,
  );
}

/** The findings shown in (or under) `scopeSelector`, as `{ severity, code, message, fix }`. */
function findings(app, scopeSelector = 'body') {
  return app.execute(
    `const scope = document.querySelector(arguments[0]);
     return [...scope.querySelectorAll('[data-testid="finding"]')].map((item) => ({
       severity: item.dataset.severity,
       code: item.dataset.code,
       message: item.querySelector('[data-testid="finding-message"]').textContent.trim(),
       fix: item.querySelector('[data-testid="finding-fix"]').textContent.trim(),
     }));`,
    scopeSelector,
  );
}

test('Discover fills in the endpoints on confirmation, explains a bad domain and can be cancelled', async (t) => {
  const provider = await startOidcProvider(PROVIDER_CONFIG);
  t.after(() => provider.stop());
  const metadata = await providerMetadata(provider.issuer);

  const app = await driver.launch();
  await click(app, await waitForTestId(app, 'new-dir'));
  // "New directory" asks for the provider first; these scenarios use the blank form.
  await click(app, await waitForTestId(app, 'new-blank-form'));
  await fillField(app, 'field-discovery_domain', provider.issuer);
  await click(app, await waitForTestId(app, 'discover'));

  // The report: what would change, old → new, with nothing written yet.
  await waitForTestId(app, 'discovery-result', { timeoutMs: DISCOVERY_TIMEOUT_MS });
  assert.match(
    await textContent(app, byTestId('discovery-source')),
    new RegExp(`^${provider.issuer}/\\.well-known/openid-configuration · \\d+ ms$`),
  );
  const expected = {
    authorization_url: metadata.authorization_endpoint,
    token_url: metadata.token_endpoint,
    userinfo_url: metadata.userinfo_endpoint,
    issuer: metadata.issuer,
    jwks_uri: metadata.jwks_uri,
  };
  assert.deepEqual(
    await changeRows(app),
    Object.entries(expected).map(([field, value]) => ({ field, old: 'empty', new: value })),
  );
  for (const field of Object.keys(expected)) {
    assert.equal(await (await app.find(byTestId(`field-${field}`))).property('value'), '');
  }
  const shown = await findings(app, byTestId('discovery-result'));
  assert.ok(shown.length > 0, 'the provider and the settings are judged');
  assert.ok(
    shown.every((f) => ['error', 'warning', 'info'].includes(f.severity) && f.message && f.fix),
    `every finding has a severity, a message and a fix: ${JSON.stringify(shown)}`,
  );

  await app.execute(
    `document.querySelector('[data-testid="discovery-result"]').scrollIntoView({ block: 'start' })`,
  );
  await app.screenshot('discovery-findings');

  // Apply asks first, naming the values; then the form holds them, unsaved.
  await click(app, await app.find(byTestId('apply-changes')));
  const list = await waitForTestId(app, 'apply-list');
  assert.match(
    await list.text(),
    new RegExp(`Authorization URL: ${metadata.authorization_endpoint}`),
  );
  await (await app.find(byTestId('confirm-apply'))).click();
  for (const [field, value] of Object.entries(expected)) {
    await waitForValue(app, `field-${field}`, value);
  }
  await waitForText(app, byTestId('editor-state'), (text) => text === 'Unsaved changes');
  // Judged again against the form as it now is: nothing left to change.
  await waitForTestId(app, 'discovery-no-changes', { timeoutMs: DISCOVERY_TIMEOUT_MS });

  // The raw document: searchable and highlighted.
  await click(app, await app.find(byTestId('raw-document-toggle')));
  await fillField(app, 'raw-document-search', 'jwks_uri');
  await waitForText(app, byTestId('raw-document-count'), (text) => text === '1 line matches');
  const marked = await app.execute(
    `return [...document.querySelectorAll('[data-testid="raw-document"] mark')].map((m) => m.textContent)`,
  );
  assert.deepEqual(marked, ['jwks_uri']);
  assert.match(
    await app.execute(`return document.querySelector('[data-testid="raw-document"]').textContent`),
    new RegExp(`"issuer": "${metadata.issuer}"`),
  );
  await click(app, await app.find(byTestId('raw-document-filter')));
  await waitUntil(async () => (await app.findAll(byTestId('raw-document-line'))).length === 1, {
    what: 'only the matching line to be shown',
  });
  await app.execute(
    `document.querySelector('[data-testid="discovery-result"]').scrollIntoView({ block: 'start' })`,
  );
  await app.screenshot('discovery-raw-document');

  // A domain where nothing listens: the reason, next to the field; the old report goes away.
  await fillField(app, 'field-discovery_domain', NOTHING_LISTENS);
  await click(app, await app.find(byTestId('discover')));
  const error = await waitForTestId(app, 'error-discovery_domain', {
    timeoutMs: DISCOVERY_TIMEOUT_MS,
  });
  assert.match(await error.text(), /127\.0\.0\.1:9/);
  const domainInput = await app.find(byTestId('field-discovery_domain'));
  assert.ok(await sameWrapper(app, error, domainInput, '.field'), 'the error is at its field');
  assert.equal(await domainInput.attribute('aria-invalid'), 'true');
  await waitForGone(app, byTestId('discovery-result'));
  await scrollIntoView(app, domainInput);
  await app.screenshot('discovery-error');

  // A provider that never answers: the elapsed time runs, and Cancel stops the request.
  const silent = await startSilentServer();
  t.after(() => silent.stop());
  await fillField(app, 'field-discovery_domain', silent.url);
  await click(app, await app.find(byTestId('discover')));
  await waitForTestId(app, 'discover-progress');
  await waitForGone(app, byTestId('error-discovery_domain'));
  await waitForText(app, byTestId('discover-elapsed'), (text) => parseFloat(text) >= 0.5, {
    what: 'the elapsed time to run',
  });
  assert.equal(await (await app.find(byTestId('discover'))).property('disabled'), true);
  assert.ok(silent.openConnections() >= 1, 'the core waits on its request');
  await click(app, await app.find(byTestId('cancel-discover')));
  await waitForTestId(app, 'discover-cancelled');
  await waitForGone(app, byTestId('discover-progress'));
  assert.equal(await (await app.find(byTestId('discover'))).property('disabled'), false);
  await waitUntil(() => silent.openConnections() === 0, {
    timeoutMs: CANCELLED_REQUEST_GONE_MS,
    what: 'the core to drop the cancelled request (well before its 15 s limit)',
  });

  await app.close();
});

/** Creates a directory through the editor and returns to the list. */
async function createDirectory(app, fields) {
  await click(app, await waitForTestId(app, 'new-dir'));
  // "New directory" asks for the provider first; these scenarios use the blank form.
  await click(app, await waitForTestId(app, 'new-blank-form'));
  await fillField(app, 'field-name', fields.name);
  await chooseFile(app, 'logo-input', LOGO);
  await waitForText(app, '#hint-logo_png_base64', (text) => text.startsWith('Accepted'));
  for (const field of [
    'discovery_domain',
    'authorization_url',
    'token_url',
    'issuer',
    'jwks_uri',
    'client_id',
    'client_secret',
  ]) {
    if (fields[field] !== undefined) await fillField(app, `field-${field}`, fields[field]);
  }
  await click(app, await app.find(byTestId('save-dir')));
  await waitForText(app, byTestId('editor-state'), (text) => text === 'Saved', {
    what: `"${fields.name}" to be saved`,
  });
  await click(app, await app.find(byTestId('cancel-dir')));
  await waitForTestId(app, 'dir-list');
}

test('Check all directories sums up each directory, with its findings on demand', async (t) => {
  const provider = await startOidcProvider(PROVIDER_CONFIG);
  t.after(() => provider.stop());
  const metadata = await providerMetadata(provider.issuer);

  const app = await driver.launch();
  await waitForTestId(app, 'dir-empty');
  await createDirectory(app, {
    name: 'Local provider',
    discovery_domain: provider.issuer,
    authorization_url: metadata.authorization_endpoint,
    token_url: metadata.token_endpoint,
    issuer: metadata.issuer,
    jwks_uri: metadata.jwks_uri,
    client_id: 'console-e2e',
    client_secret: 'e2e-client-secret',
  });
  await createDirectory(app, {
    name: 'Unreachable provider',
    discovery_domain: NOTHING_LISTENS,
    authorization_url: 'https://idp.example.com/authorize',
    token_url: 'https://idp.example.com/token',
    client_id: 'console-e2e',
    client_secret: 'e2e-client-secret',
  });

  // A provider that never answers keeps the check going until the core's timeout: meanwhile
  // the progress the core sends through its Channel shows the other providers done.
  const silent = await startSilentServer();
  t.after(() => silent.stop());
  await createDirectory(app, {
    name: 'Silent provider',
    discovery_domain: silent.url,
    authorization_url: 'https://idp.example.com/authorize',
    token_url: 'https://idp.example.com/token',
    client_id: 'console-e2e',
    client_secret: 'e2e-client-secret',
  });

  await click(app, await waitForTestId(app, 'check-all'));
  await waitForText(
    app,
    byTestId('check-progress'),
    (text) => /^2 of 3 providers checked$/.test(text),
    {
      timeoutMs: DISCOVERY_TIMEOUT_MS,
      what: 'the progress of the two providers that answer',
    },
  );
  assert.equal(await (await app.find(byTestId('check-all'))).property('disabled'), true);
  await app.screenshot('discovery-check-all-progress');
  const summary = await waitForTestId(app, 'check-summary', { timeoutMs: DISCOVERY_TIMEOUT_MS });
  assert.match(await summary.text(), /^3 directories: .*2 failed/);

  const rows = await app.execute(
    `return [...document.querySelectorAll('[data-testid="check-row"]')].map((row) => ({
       name: row.querySelector('[data-testid="check-name"]').textContent.trim(),
       status: row.dataset.status,
       errors: Number(row.querySelector('[data-testid="check-errors"]').textContent),
     }));`,
  );
  assert.deepEqual(
    rows.map((r) => r.name),
    ['Local provider', 'Silent provider', 'Unreachable provider'],
  );
  const [local, silentRow, unreachable] = rows;
  assert.ok(['ok', 'warnings', 'errors'].includes(local.status), `local: ${local.status}`);
  assert.equal(silentRow.status, 'failed');
  assert.equal(unreachable.status, 'failed');

  // Each line opens on its findings, or on why the provider could not be read.
  const expanders = await app.findAll(byTestId('check-expand'));
  assert.equal(expanders.length, 3);
  await click(app, expanders[2]);
  const problem = await waitForTestId(app, 'check-problem');
  assert.match(await problem.text(), /127\.0\.0\.1:9/);
  await click(app, expanders[0]);
  await waitUntil(async () => (await app.findAll(byTestId('check-details'))).length === 2, {
    what: 'both lines to be open',
  });
  const localFindings = await findings(app, `${byTestId('check-details')}`);
  assert.equal(
    localFindings.filter((f) => f.severity === 'error').length,
    local.errors,
    'the errors counted are the errors listed',
  );
  await app.screenshot('discovery-check-all');

  // Again, cancelled while the silent provider holds it up: the panel goes, and so does the
  // core's request.
  await click(app, await app.find(byTestId('check-all')));
  await waitForText(app, byTestId('check-progress'), (text) => text.startsWith('2 of 3'), {
    timeoutMs: DISCOVERY_TIMEOUT_MS,
    what: 'the check to wait on the silent provider',
  });
  assert.ok(silent.openConnections() >= 1, 'the core waits on the silent provider');
  await click(app, await app.find(byTestId('cancel-check-all')));
  await waitForGone(app, byTestId('check-results'));
  assert.equal(await (await app.find(byTestId('check-all'))).property('disabled'), false);
  await waitUntil(() => silent.openConnections() === 0, {
    timeoutMs: CANCELLED_REQUEST_GONE_MS,
    what: 'the core to drop the cancelled check (well before its 15 s limit)',
  });

  await app.close();
});
