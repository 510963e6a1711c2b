// Guided setup (issue 15) in the real window: "New directory" asks for the provider; the
// generic preset with the local OpenID Provider's issuer goes through discovery, the steps at
// the provider with the URLs to register (the sign-in service URL set on the way), the client ID
// and secret, the save, a real test sign-in in the browser, the claims evaluation and the
// routing check to "done". Halfway, the person leaves and resumes the setup from the directory.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useTauriDriver } from './harness/app.mjs';
import { useBrowserLogin } from './harness/browser.mjs';
import { startOidcProvider } from './harness/peers.mjs';
import { scenarioDataDir, ssoctl } from './harness/ssoctl.mjs';
import {
  byTestId,
  click,
  fillField,
  selectRow,
  waitForRow,
  waitForTestId,
  waitForText,
} from './harness/ui.mjs';

/** Chromium's start, the provider's login and consent pages, the code exchange. */
const SIGN_IN_TIMEOUT_MS = 60_000;
const CLIENT_ID = 'console-setup-e2e';
const CLIENT_SECRET = 'e2e-setup-client-secret';
/** The fixed test sign-in port a preset gives a new directory (presets::TEST_PORT). */
const PRESET_TEST_PORT = 47613;
const SERVICE_URL = 'https://signin.example.com';

useBrowserLogin();
const driver = useTauriDriver();

/** The state each step shows, as `{ step: state }`. */
function stepStates(app) {
  return app.execute(
    `return Object.fromEntries([...document.querySelectorAll('[data-testid="setup-step"]')]
       .map((s) => [s.dataset.step, s.dataset.state]));`,
  );
}

/** Waits until the step `step` shows `state`. */
function waitForStep(app, step, state, timeoutMs = 10_000) {
  return waitForText(
    app,
    `${byTestId('setup-step')}[data-step="${step}"]`,
    () => true,
    { timeoutMs, what: `step ${step}` },
  ).then(async () => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await stepStates(app);
      if (states[step] === state) return states;
      if (Date.now() > deadline) {
        throw new Error(`step ${step} is ${states[step]}, not ${state}: ${JSON.stringify(states)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
}

test('the guided setup leads from the provider choice to a tested connection, and resumes', async (t) => {
  const provider = await startOidcProvider({
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`http://127.0.0.1:${PRESET_TEST_PORT}/callback`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
  });
  t.after(() => provider.stop());
  const dataDir = await scenarioDataDir(t);
  const app = await driver.launch({ dataDir });

  // 1. "New directory" asks for the provider first.
  await click(app, await waitForTestId(app, 'new-dir'));
  await waitForTestId(app, 'new-directory-screen');
  const cards = await app.execute(
    `return [...document.querySelectorAll('[data-testid="preset-card"]')].map((c) => c.dataset.preset);`,
  );
  assert.deepEqual(cards, ['entra', 'okta', 'google', 'cognito', 'auth0', 'keycloak', 'generic']);
  await click(app, await app.find(`${byTestId('preset-card')}[data-preset="entra"]`));
  await waitForTestId(app, 'preset-param-tenant');
  await app.screenshot('setup-1-provider-choice');

  // A bad value is named with an example; nothing is stored.
  await fillField(app, 'preset-name', 'Contoso staff');
  await fillField(app, 'preset-param-tenant', 'https://login.microsoftonline.com/x');
  await click(app, await app.find(byTestId('preset-start')));
  await waitForText(app, '#error-tenant', (text) => text.includes('for example'));

  await click(app, await app.find(`${byTestId('preset-card')}[data-preset="generic"]`));
  await fillField(app, 'preset-name', 'Local provider');
  await fillField(app, 'preset-param-issuer', provider.issuer);
  await app.screenshot('setup-2-values');
  await click(app, await app.find(byTestId('preset-start')));

  // 2. Discovery against the real provider, its endpoints confirmed.
  await waitForTestId(app, 'setup-screen');
  await waitForStep(app, 'values', 'done');
  await waitForText(app, byTestId('setup-panel'), () => true);
  assert.equal(await (await app.find(byTestId('setup-panel'))).attribute('data-step'), 'discovery');
  await click(app, await waitForTestId(app, 'setup-discover'));
  await waitForTestId(app, 'setup-prefill', { timeoutMs: 20_000 });
  await app.screenshot('setup-3-discovery');
  await click(app, await waitForTestId(app, 'setup-confirm-discovery'));
  await waitForStep(app, 'discovery', 'done');

  // 3. The steps at the provider: the redirect URL needs the sign-in service URL first.
  await waitForTestId(app, 'guide');
  const missing = await app.findAll(byTestId('guide-missing'));
  assert.ok(missing.length > 0, 'the redirect URL is missing until the service URL is set');
  await fillField(app, 'setup-service-url', SERVICE_URL);
  await click(app, await app.find(byTestId('setup-save-service-url')));
  await waitForText(app, byTestId('guide'), (text) => text.includes(`${SERVICE_URL}/callback/`));
  const values = await app.execute(
    `return [...document.querySelectorAll('[data-testid="guide-value"]')].map((v) => v.textContent.trim());`,
  );
  assert.ok(
    values.includes(`http://127.0.0.1:${PRESET_TEST_PORT}/callback`),
    `values: ${values.join(', ')}`,
  );
  const copies = await app.findAll(byTestId('guide-copy'));
  assert.equal(copies.length, values.length, 'a copy button for each value');
  await app.screenshot('setup-4-provider-steps');
  await click(app, await app.find(byTestId('setup-confirm-provider')));
  await waitForStep(app, 'provider', 'done');

  // 4. Client ID and secret, then save: the directory exists under the reserved id.
  await fillField(app, 'setup-client-id', CLIENT_ID);
  await fillField(app, 'setup-client-secret', CLIENT_SECRET);
  await app.screenshot('setup-5-credentials');
  await click(app, await app.find(byTestId('setup-save')));
  await waitForStep(app, 'save', 'done');
  await waitForStep(app, 'credentials', 'done');
  assert.equal((await stepStates(app)).test_sign_in, 'not_yet');

  // Leave halfway: the list shows the directory with its placeholder logo, and its editor
  // offers to continue the setup where it stopped.
  await click(app, await app.find(byTestId('setup-leave')));
  await waitForRow(app, 'Local provider');
  await waitForTestId(app, 'badge-placeholder-logo');
  await app.screenshot('setup-6-list-placeholder-logo');
  const [listed] = await ssoctl(dataDir, ['dir', 'list']);
  await selectRow(app, listed.id);
  await click(app, await app.find(byTestId('edit-dir')));
  await waitForTestId(app, 'editor-setup-banner');
  await app.screenshot('setup-7-resume-from-editor');
  await click(app, await app.find(byTestId('editor-continue-setup')));
  await waitForTestId(app, 'setup-screen');
  await waitForStep(app, 'save', 'done');
  assert.equal(await (await app.find(byTestId('setup-panel'))).attribute('data-step'), 'test_sign_in');

  // 5. A real test sign-in in the browser.
  await click(app, await waitForTestId(app, 'setup-start-test'));
  await waitForTestId(app, 'setup-test-outcome', { timeoutMs: SIGN_IN_TIMEOUT_MS });
  assert.equal(
    await (await app.find(byTestId('setup-test-outcome'))).attribute('data-succeeded'),
    'true',
  );
  await waitForStep(app, 'test_sign_in', 'done');
  await app.screenshot('setup-8-test-sign-in');

  // 6. The claims against the mappings and the staff rule.
  await click(app, await app.find(`${byTestId('setup-step')}[data-step="evaluation"]`));
  await waitForTestId(app, 'evaluation-summary');
  await waitForStep(app, 'evaluation', 'done');
  await app.screenshot('setup-9-evaluation');

  // 7. Routing an address of the customer, then done.
  await click(app, await app.find(`${byTestId('setup-step')}[data-step="routing"]`));
  await fillField(app, 'setup-email', 'ada@example.org');
  await click(app, await app.find(byTestId('setup-check-route')));
  await waitForTestId(app, 'route-decision');
  await waitForStep(app, 'routing', 'done');
  await waitForTestId(app, 'setup-complete');
  await waitForTestId(app, 'setup-done');
  await app.screenshot('setup-10-done');
  const states = await stepStates(app);
  assert.deepEqual(
    Object.values(states).filter((s) => s !== 'done'),
    [],
    `every step done: ${JSON.stringify(states)}`,
  );
  await app.close();
});
