// Test sign-in (issue 4) and the claim mapping preview (issue 5) in the real window: the core
// opens "the browser" ($BROWSER: tests/support/browser-login.mjs, which signs in at the real
// OpenID Provider in headless Chromium), receives the answer on its loopback redirect, and the
// console shows the claims by source, the checks, and what the mappings make of the claims.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { useTauriDriver, waitUntil } from './harness/app.mjs';
import { useBrowserLogin } from './harness/browser.mjs';
import { startOidcProvider, startSilentServer } from './harness/peers.mjs';
import { freePort } from './harness/net.mjs';
import { createDirectory, scenarioDataDir } from './harness/ssoctl.mjs';
import {
  byTestId,
  click,
  fillField,
  selectRow,
  textContent,
  waitForGone,
  waitForRow,
  waitForTestId,
  waitForText,
} from './harness/ui.mjs';

/** Chromium's start, the provider's login and consent pages, the code exchange. */
const SIGN_IN_TIMEOUT_MS = 60_000;
const CLIENT_ID = 'console-e2e';
const CLIENT_SECRET = 'e2e-client-secret';

const browser = useBrowserLogin();

const driver = useTauriDriver();

/**
 * The real OpenID Provider with the console's client, whose redirect URI is the loopback one on
 * `port`; stopped when the test ends. `options` adds accounts and the like.
 */
async function startLocalProvider(t, port, options = {}) {
  const provider = await startOidcProvider({
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`http://127.0.0.1:${port}/callback`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    ...options,
  });
  t.after(() => provider.stop());
  return provider;
}

/** The directory document of a client of the test provider, with a fixed redirect port. */
function localDirectory(issuer, port, overrides = {}) {
  return {
    name: 'Local provider',
    authorization_url: `${issuer}/auth`,
    token_url: `${issuer}/token`,
    userinfo_url: `${issuer}/me`,
    jwks_uri: `${issuer}/jwks`,
    issuer,
    scopes: 'openid email profile roles',
    client_id: CLIENT_ID,
    claims: {
      external_id: { claim: 'sub', source: 'id_token' },
      username: { claim: 'email', source: 'id_token' },
      email: { claim: 'email', source: 'id_token' },
      first_name: { claim: 'given_name', source: 'id_token' },
      last_name: { claim: 'family_name', source: 'userinfo' },
    },
    staff: { mode: 'claim_equals', claim: 'groups', value: 'staff' },
    test_redirect_port: port,
    ...overrides,
  };
}

/** The claims shown in one source's group, as `{ name: text }`. */
function groupClaims(app, source) {
  return app.execute(
    `const group = document.querySelector('[data-testid="claims-group"][data-source="' + arguments[0] + '"]');
     return Object.fromEntries([...group.querySelectorAll('[data-testid="claim-row"]')].map((row) => [
       row.dataset.claim,
       claimText(row.querySelector('[data-testid="claim-value"]')),
     ]));
     // A list's items, one blank apart; any other value, its text.
     function claimText(value) {
       const items = [...value.querySelectorAll('li')];
       return items.length > 0
         ? items.map((item) => item.textContent.trim()).join(' ')
         : value.textContent.trim();
     }`,
    source,
  );
}

test('Test directory signs in through the browser and shows the claims by source, the checks and the mapping preview', async (t) => {
  const port = await freePort();
  const provider = await startLocalProvider(t, port, {
    accounts: { ada: { groups: ['staff', 'engineering'] } },
    // Mapped as the last name from userinfo: the evaluation must find it there.
    userinfoOnly: ['family_name'],
  });
  const dataDir = await scenarioDataDir(t);
  const saved = await createDirectory(
    dataDir,
    localDirectory(provider.issuer, port),
    CLIENT_SECRET,
  );
  const id = saved.document.id;

  const app = await driver.launch({ dataDir });
  await waitForRow(app, 'Local provider');
  await selectRow(app, id);
  await click(app, await waitForTestId(app, 'test-dir'));
  await waitForTestId(app, 'signin-screen');
  await waitForTestId(app, 'claims-view', { timeoutMs: SIGN_IN_TIMEOUT_MS });

  // The outcome, then the checks: all passed or skipped.
  await waitForText(app, byTestId('signin-verdict'), (text) => text === 'Signed in');
  assert.equal((await app.findAll(byTestId('signin-failure'))).length, 0);
  const outcomes = await app.execute(
    `return [...document.querySelectorAll('[data-testid="signin-check"]')].map((c) => [c.dataset.name, c.dataset.outcome]);`,
  );
  assert.ok(outcomes.length >= 5, `checks shown: ${JSON.stringify(outcomes)}`);
  assert.deepEqual(
    outcomes.filter(([, outcome]) => outcome === 'fail'),
    [],
    'no check failed',
  );
  assert.ok(outcomes.some(([name, outcome]) => name === 'Signature' && outcome === 'pass'));

  // Three groups in seed 000's order, each with its verification status.
  const groups = await app.execute(
    `return [...document.querySelectorAll('[data-testid="claims-group"]')].map((g) => [
       g.dataset.source,
       g.querySelector('h3').textContent.trim(),
       g.querySelector('[data-testid="claims-status"]').textContent.trim(),
     ]);`,
  );
  assert.deepEqual(groups, [
    ['access_token', 'Access Token', 'opaque'],
    ['id_token', 'ID Token', 'verified'],
    ['userinfo', 'Userinfo', 'received'],
  ]);
  const idToken = await groupClaims(app, 'id_token');
  assert.equal(idToken.email, 'ada@example.org');
  assert.equal(idToken.sub, 'ada');
  assert.equal(idToken.iss, provider.issuer);
  assert.equal(idToken.groups, 'staff engineering');
  // Times in human time: local date and time, then how far from now.
  assert.match(idToken.exp, /\(in (59 min|1 h)\)/);
  assert.match(idToken.iat, /\((now|\d+ s ago)\)/);
  assert.equal(idToken.family_name, undefined, 'the provider leaves family_name out of the ID token');
  assert.equal((await groupClaims(app, 'userinfo')).family_name, 'Lovelace');
  const header = await textContent(
    app,
    `${byTestId('claims-group')}[data-source="id_token"] ${byTestId('claims-header')}`,
  );
  assert.match(header, /alg\s*RS256/);
  await app.execute(`document.querySelector('[data-testid="signin-screen"] .body').scrollTop = 0`);
  await app.screenshot('signin-claims');

  // The raw token on request.
  const toggle = await app.find(
    `${byTestId('claims-group')}[data-source="id_token"] ${byTestId('raw-toggle')}`,
  );
  await click(app, toggle);
  const raw = await waitForTestId(app, 'raw-token');
  assert.match(await raw.text(), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  await click(app, toggle);
  await waitForGone(app, byTestId('raw-token'));

  // Next to the claims: every mapping resolved, the external ID, the staff decision.
  const panel = await waitForTestId(app, 'evaluation-panel');
  await waitForTestId(app, 'evaluation-summary');
  assert.equal(
    await (await app.find(byTestId('evaluation-summary'))).attribute('data-succeeds'),
    'true',
  );
  const mappings = await app.execute(
    `return [...document.querySelectorAll('[data-testid="mapping-row"]')].map((row) => [
       row.dataset.field,
       row.dataset.ok,
       row.querySelector('[data-testid="mapping-value"]')?.textContent.trim() ?? null,
     ]);`,
  );
  assert.deepEqual(mappings, [
    ['external_id', 'true', 'ada'],
    ['username', 'true', 'ada@example.org'],
    ['email', 'true', 'ada@example.org'],
    ['first_name', 'true', 'Ada'],
    ['last_name', 'true', 'Lovelace'],
  ]);
  assert.equal(await textContent(app, byTestId('external-id-value')), `${id};ada`);
  assert.equal(await (await app.find(byTestId('staff-decision'))).attribute('data-staff'), 'true');
  assert.match(await textContent(app, byTestId('staff-decided-by')), /groups in ID Token/);
  await app.execute('arguments[0].scrollIntoView({ block: "start" })', panel);
  await app.screenshot('signin-evaluation');

  // The editor now suggests the claim names the test brought, by source.
  await click(app, await app.find(byTestId('signin-edit')));
  await waitForTestId(app, 'claim-names-last_name', { visible: false });
  const suggested = await app.execute(
    `return [...document.querySelectorAll('[data-testid="claim-names-last_name"] option')].map((o) => o.value);`,
  );
  assert.ok(suggested.includes('family_name'), `suggested: ${suggested.join(', ')}`);

  await app.close();
});

test('while the browser sign-in is pending the console shows the redirect URI and can cancel', async (t) => {
  const port = await freePort();
  // A provider that never answers: the browser never comes back to the console.
  const silent = await startSilentServer();
  t.after(() => silent.stop());
  const dataDir = await scenarioDataDir(t);
  const saved = await createDirectory(
    dataDir,
    localDirectory(silent.url, port, {
      name: 'Silent provider',
      userinfo_url: null,
    }),
    CLIENT_SECRET,
  );

  const app = await driver.launch({ dataDir });
  await waitForRow(app, 'Silent provider');
  await selectRow(app, saved.document.id);
  await click(app, await waitForTestId(app, 'test-dir'));
  await waitForText(app, byTestId('signin-waiting'), (text) =>
    text.includes('Waiting for sign-in in your browser…'),
  );
  assert.equal(
    await textContent(app, byTestId('signin-redirect-uri')),
    `http://127.0.0.1:${port}/callback`,
  );
  assert.ok(
    (await textContent(app, byTestId('signin-authorization-url'))).startsWith(
      `${silent.url}/auth?`,
    ),
  );
  await waitForText(app, byTestId('signin-elapsed'), (text) => /^0:0[2-9]$/.test(text), {
    what: 'the elapsed time to run',
  });
  assert.equal(await (await app.find(byTestId('test-again'))).property('disabled'), true);
  await app.screenshot('signin-waiting');

  await click(app, await app.find(byTestId('cancel-signin')));
  await waitForTestId(app, 'signin-cancelled');
  await waitForGone(app, byTestId('signin-waiting'));
  await waitUntil(
    async () => (await (await app.find(byTestId('test-again'))).property('disabled')) === false,
    { what: 'Test again to be offered' },
  );

  await app.close();
});

test('testing again on the fixed port while the first test waits completes the second', async (t) => {
  const port = await freePort();
  const provider = await startLocalProvider(t, port);
  const dataDir = await scenarioDataDir(t);
  const saved = await createDirectory(
    dataDir,
    localDirectory(provider.issuer, port, { name: 'Fixed port' }),
    CLIENT_SECRET,
  );
  const id = saved.document.id;

  const app = await driver.launch({ dataDir });
  await waitForRow(app, 'Fixed port');
  // The first test: its browser tab is left alone, so it waits on the fixed port.
  await writeFile(join(browser.dir, 'skip-next'), '');
  await selectRow(app, id);
  await click(app, await waitForTestId(app, 'test-dir'));
  await waitForText(app, byTestId('signin-waiting'), (text) =>
    text.includes('Waiting for sign-in in your browser…'),
  );
  assert.equal(
    await textContent(app, byTestId('signin-redirect-uri')),
    `http://127.0.0.1:${port}/callback`,
  );

  // Back to the list, and Test directory again while the first still holds the port: the
  // first is cancelled, its port released, and the second binds it and signs in.
  await click(app, await app.find(byTestId('signin-close')));
  await waitForRow(app, 'Fixed port');
  await selectRow(app, id);
  await click(app, await waitForTestId(app, 'test-dir'));
  await waitForTestId(app, 'claims-view', { timeoutMs: SIGN_IN_TIMEOUT_MS });
  await waitForText(app, byTestId('signin-verdict'), (text) => text === 'Signed in');
  assert.equal((await app.findAll(byTestId('signin-failure'))).length, 0);
  await app.screenshot('signin-retest-fixed-port');

  await app.close();
});

test('a report of the sign-in is saved through the dialog, leaves out secrets and, on request, personal data, and opens again in the same views', async (t) => {
  const port = await freePort();
  const provider = await startLocalProvider(t, port, {
    accounts: { ada: { groups: ['staff'] } },
  });
  const dataDir = await scenarioDataDir(t);
  const saved = await createDirectory(
    dataDir,
    localDirectory(provider.issuer, port, { discovery_domain: provider.issuer }),
    CLIENT_SECRET,
  );
  const id = saved.document.id;
  // Where the save and open dialogs answer (the test-only setting): the report goes there
  // and is read back from there.
  const reportDir = await mkdtemp(join(tmpdir(), 'sso-console-e2e-report-'));
  t.after(() => rm(reportDir, { recursive: true, force: true }));
  const reportPath = join(reportDir, 'report.json');

  const app = await driver.launch({ dataDir, env: { SSO_CONSOLE_TEST_DIALOG_PATH: reportPath } });
  await waitForRow(app, 'Local provider');
  await selectRow(app, id);
  await click(app, await waitForTestId(app, 'test-dir'));
  await waitForTestId(app, 'claims-view', { timeoutMs: SIGN_IN_TIMEOUT_MS });
  await waitForText(app, byTestId('signin-verdict'), (text) => text === 'Signed in');
  const checksShown = () =>
    app.execute(
      `return [...document.querySelectorAll('[data-testid="signin-check"]')].map((c) => [c.dataset.name, c.dataset.outcome]);`,
    );
  const checks = await checksShown();
  // The claims as shown, without how long ago a time was (it moves on between the views).
  const claimsShown = async () =>
    Object.fromEntries(
      Object.entries(await groupClaims(app, 'id_token')).map(([name, text]) => [
        name,
        text.replace(/ \((now|in [^)]*|[^)]* ago)\)/, ''),
      ]),
    );
  const idToken = await claimsShown();
  assert.equal(idToken.email, 'ada@example.org');

  // Save report… from the sign-in result: a JSON file, secrets left out.
  await click(app, await app.find(byTestId('save-report')));
  await waitForTestId(app, 'report-dialog');
  await click(app, await waitForTestId(app, 'report-format-json'));
  await waitForText(app, byTestId('report-file'), (text) => text.includes('.json'));
  await waitForTestId(app, 'report-preview');
  await click(app, await app.find(byTestId('report-save')));
  await waitForText(app, byTestId('report-saved-path'), (text) => text === reportPath);
  const file = await readFile(reportPath, 'utf8');
  const report = JSON.parse(file);
  assert.equal(report.format, 'sso-console/report');
  assert.equal(report.sign_in.id_token.claims.email, 'ada@example.org');
  assert.ok(!file.includes(CLIENT_SECRET), 'the client secret is not in the report');
  assert.ok(
    report.sign_in.trace.steps.some((s) => s.kind === 'token_request'),
    'the trace holds the token request',
  );
  await click(app, await app.find(byTestId('report-close')));
  await waitForGone(app, byTestId('report-preview'));

  // Opened again from the directory list: the same claims and checks, read from the file.
  await click(app, await app.find(byTestId('signin-close')));
  await waitForRow(app, 'Local provider');
  await click(app, await app.find(byTestId('open-report')));
  await waitForTestId(app, 'report-screen');
  assert.equal(await textContent(app, byTestId('report-title')), '· Local provider');
  assert.deepEqual(await claimsShown(), idToken);
  assert.deepEqual(await checksShown(), checks);
  await app.screenshot('report-opened');
  // The steps of the sign-in, each with its timing, as the file holds them.
  const steps = await app.execute(
    `const trace = document.querySelector('[data-testid="report-sign-in"] [data-testid="trace"]');
     // Scrolled in the screen's own box: the window itself never scrolls.
     const body = trace.closest('.body');
     body.scrollTop += trace.getBoundingClientRect().top - body.getBoundingClientRect().top;
     return [...trace.querySelectorAll('[data-testid="trace-step"]')].map((s) => s.dataset.kind);`,
  );
  assert.deepEqual(
    steps,
    report.sign_in.trace.steps.map((s) => s.kind),
  );
  assert.ok(steps.includes('authorization_request') && steps.includes('token_request'), `${steps}`);
  await app.screenshot('report-trace');
  await click(app, await app.find(byTestId('report-screen-close')));

  // From the discovery result in the editor, with personal data removed: the preview says
  // the address is gone before anything is saved, and the file agrees.
  await waitForRow(app, 'Local provider');
  await selectRow(app, id);
  await click(app, await app.find(byTestId('edit-dir')));
  await click(app, await waitForTestId(app, 'discover'));
  await waitForTestId(app, 'discovery-result', { timeoutMs: 20_000 });
  await click(app, await app.find(`${byTestId('discovery-result')} ${byTestId('save-report')}`));
  await waitForTestId(app, 'report-preview', { timeoutMs: 20_000 });
  // The dialog starts from the last report's choices: JSON.
  assert.equal(await (await app.find(byTestId('report-format-json'))).property('checked'), true);
  await click(app, await app.find(byTestId('report-redact')));
  await waitForText(app, byTestId('report-preview'), (text) => text.includes('[email-1]'), {
    timeoutMs: 20_000,
  });
  await fillField(app, 'report-preview-search', 'ada@example.org');
  await waitForText(app, byTestId('report-preview-count'), (text) => text === '0 lines match');
  await fillField(app, 'report-preview-search', '[email-1]');
  await waitForText(app, byTestId('report-preview-count'), (text) => /^\d+ lines? match/.test(text));
  await app.screenshot('report-redacted');
  await click(app, await app.find(byTestId('report-save')));
  await waitForText(app, byTestId('report-saved-path'), (text) => text === reportPath);
  const redacted = await readFile(reportPath, 'utf8');
  for (const personal of ['ada@example.org', 'Lovelace']) {
    assert.ok(!redacted.includes(personal), `${personal} is not in the redacted report`);
  }
  assert.equal(JSON.parse(redacted).sign_in.id_token.claims.email, '[email-1]');

  await app.close();
});

test('the editor asks the provider whether it accepts the stored secret, without a sign-in', async (t) => {
  const port = await freePort();
  const provider = await startLocalProvider(t, port);
  const dataDir = await scenarioDataDir(t);
  const good = await createDirectory(dataDir, localDirectory(provider.issuer, port), CLIENT_SECRET);
  const wrong = await createDirectory(
    dataDir,
    localDirectory(provider.issuer, port, { name: 'Wrong secret' }),
    'not-the-secret',
  );

  const app = await driver.launch({ dataDir });
  for (const [saved, verdict, words] of [
    [good, 'accepted', 'Secret accepted'],
    [wrong, 'refused', 'Secret refused'],
  ]) {
    await waitForRow(app, saved.document.name);
    await selectRow(app, saved.document.id);
    await click(app, await app.find(byTestId('edit-dir')));
    await click(app, await waitForTestId(app, 'probe-secret'));
    const result = await waitForTestId(app, 'probe-secret-result', { timeoutMs: 20_000 });
    assert.equal(await result.attribute('data-verdict'), verdict);
    assert.match(await result.text(), new RegExp(words));
    await app.execute('arguments[0].scrollIntoView({ block: "center" })', result);
    await app.screenshot(`probe-secret-${verdict}`);
    await click(app, await app.find(byTestId('cancel-dir')));
  }

  // Check all with secrets: the same verdicts, one line per directory.
  await waitForRow(app, 'Wrong secret');
  await click(app, await app.find(byTestId('check-all-probe')));
  await click(app, await app.find(byTestId('check-all')));
  await waitForText(app, byTestId('check-summary'), (text) =>
    text.includes('secrets: 1 accepted, 1 refused'),
    { timeoutMs: 20_000 },
  );
  const verdicts = await app.execute(
    `return Object.fromEntries([...document.querySelectorAll('[data-testid="check-probe"]')].map((cell) => [cell.closest('tr').dataset.id, cell.dataset.verdict]));`,
  );
  assert.deepEqual(verdicts, { [good.document.id]: 'accepted', [wrong.document.id]: 'refused' });
  await app.screenshot('check-all-with-secrets');

  // The list keeps what the check found: each row's last check and probe, and which need
  // attention; the filter keeps only those.
  const rowStates = () =>
    app.execute(`return Object.fromEntries([...document.querySelectorAll('[data-testid="dir-row"]')].map((row) => [row.dataset.id, {
      check: row.querySelector('[data-testid="dir-health-check"]')?.textContent.trim() ?? null,
      probe: row.querySelector('[data-testid="badge-probe"]')?.textContent.trim() ?? null,
      attention: row.querySelector('[data-testid="badge-attention"]')?.getAttribute('title') ?? null,
    }]));`);
  // The verdicts were already in the list from the editor's probes: what Check all adds is
  // each row's check line, so the list is read once both rows have one.
  const states = await waitUntil(
    async () => {
      const found = await rowStates();
      const checked = [good, wrong].every((d) => /^Check /.test(found[d.document.id]?.check ?? ''));
      return checked ? found : null;
    },
    { what: 'the list to show the check of each directory' },
  );
  assert.match(states[good.document.id].check, /^Check (OK|with warnings) · just now$/);
  assert.match(states[wrong.document.id].check, /^Check (OK|with warnings) · just now$/);
  assert.equal(states[wrong.document.id].probe, 'Secret refused');
  assert.equal(states[good.document.id].probe, 'Secret accepted');
  assert.equal(states[good.document.id].attention, null);
  assert.match(states[wrong.document.id].attention, /secret refused/);
  await click(app, await app.find(byTestId('dismiss-check-results')));
  await click(app, await app.find(byTestId('filter-attention')));
  await waitForText(app, byTestId('dir-count'), (text) => text.includes('1 directory needs attention'));
  assert.deepEqual(Object.keys(await rowStates()), [wrong.document.id]);
  await app.screenshot('list-needs-attention');
  await app.close();
});
