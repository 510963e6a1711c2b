// The routing simulator (issue 5) in the real window, on seed 000's "staff and public users in
// different directories" pattern: staff are sent to their hidden directory by their email
// domain, everyone else to the only visible directory.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useTauriDriver } from './harness/app.mjs';
import { createDirectory, scenarioDataDir } from './harness/ssoctl.mjs';
import {
  byTestId,
  click,
  fillField,
  textContent,
  waitForRow,
  waitForTestId,
  waitForText,
} from './harness/ui.mjs';

const driver = useTauriDriver();

/** A directory of a provider that is never contacted: routing reads only the settings. */
function directory(name, overrides) {
  return {
    name,
    authorization_url: 'https://idp.example.com/authorize',
    token_url: 'https://idp.example.com/token',
    scopes: 'openid email profile',
    client_id: 'console-e2e',
    ...overrides,
  };
}

/** Simulates `email` and waits for the answer about it; returns what the decision shows. */
async function simulate(app, email) {
  await fillField(app, 'route-email', email);
  await click(app, await app.find(byTestId('simulate-route')));
  await waitForText(app, byTestId('route-email-shown'), (text) => text === email);
  return app.execute(
    `const decision = document.querySelector('[data-testid="route-decision"]');
     const directory = decision.querySelector('[data-testid="route-directory"]');
     return {
       rule: decision.dataset.rule,
       canSignIn: decision.dataset.canSignIn,
       ruleLabel: decision.querySelector('[data-testid="route-rule"]').textContent.trim(),
       directory: directory?.dataset.id ?? null,
       hidden: directory?.dataset.hidden ?? null,
       explanation: decision.querySelector('[data-testid="route-explanation"]').textContent.trim(),
     };`,
  );
}

test('the routing simulator sends staff to the hidden staff directory and others to the public one', async (t) => {
  const dataDir = await scenarioDataDir(t);
  const staff = await createDirectory(
    dataDir,
    directory('Staff (Entra)', {
      staff: { mode: 'always' },
      is_hidden: true,
      domain_suffixes: ['example.org'],
    }),
    'staff-secret',
  );
  const members = await createDirectory(
    dataDir,
    directory('Members', { staff: { mode: 'none' }, is_hidden: false, domain_suffixes: [] }),
    'members-secret',
  );

  const app = await driver.launch({ dataDir });
  await waitForRow(app, 'Members');
  await click(app, await waitForTestId(app, 'nav-routing'));
  await waitForTestId(app, 'routing-screen');

  // The whole set first: it works, and says why.
  const report = await waitForTestId(app, 'routing-report');
  assert.equal(await report.attribute('data-ok'), 'true');
  const domains = await app.execute(
    `return [...document.querySelectorAll('[data-testid="routing-domain"]')].map((row) => [
       row.dataset.domain,
       row.querySelector('[data-testid="route-directory"]').dataset.id,
     ]);`,
  );
  assert.deepEqual(domains, [['example.org', staff.document.id]]);
  assert.match(await textContent(app, byTestId('routing-other')), /Members/);
  const codes = await app.execute(
    `return [...document.querySelectorAll('[data-testid="routing-finding"]')].map((f) => [f.dataset.severity, f.dataset.code]);`,
  );
  assert.ok(
    codes.every(([severity]) => severity !== 'error'),
    `no error finding: ${JSON.stringify(codes)}`,
  );
  assert.ok(
    codes.some(([, code]) => code === 'other_domains'),
    JSON.stringify(codes),
  );

  // Staff: their domain is a suffix of the hidden directory, which is then the only choice.
  const toStaff = await simulate(app, 'staff@example.org');
  assert.equal(toStaff.rule, 'domain_suffix');
  assert.equal(toStaff.canSignIn, 'true');
  assert.equal(toStaff.ruleLabel, 'Domain suffix match');
  assert.equal(toStaff.directory, staff.document.id);
  assert.equal(toStaff.hidden, 'true');
  assert.match(toStaff.explanation, /example\.org/);
  assert.equal(await textContent(app, byTestId('route-suffix')), 'example.org');
  await app.screenshot('routing-simulator');

  // Anyone else: no directory lists their domain, and only one is visible.
  const toMembers = await simulate(app, 'someone@gmail.com');
  assert.equal(toMembers.rule, 'single_visible_directory');
  assert.equal(toMembers.ruleLabel, 'Only visible directory');
  assert.equal(toMembers.directory, members.document.id);
  assert.equal(toMembers.hidden, 'false');
  await app.screenshot('routing-simulator-public');

  // An address the core refuses: its reason, next to the field.
  await fillField(app, 'route-email', 'not an address');
  await click(app, await app.find(byTestId('simulate-route')));
  const error = await waitForTestId(app, 'error-email');
  assert.match(await error.text(), /space/);
  assert.equal(await (await app.find(byTestId('route-email'))).attribute('aria-invalid'), 'true');

  await app.close();
});
