// SCIM provisioning check (issue 6, C14) in the real window, against the real SCIM server
// scim2-server on 127.0.0.1 serving the learning platform's extension with a required `region`:
// a connection is created with its bearer token, Test Connection passes for Entra and Okta, a
// template's mappings are previewed for a sample user, and the dry run's provisioning log shows
// every step cleaned up. The token never appears on screen.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";

import { repoRoot, useTauriDriver, waitUntil } from "./harness/app.mjs";
import { startScimServer } from "./harness/scim-server.mjs";
import {
  byTestId,
  click,
  fillField,
  textContent,
  waitForTestId,
  waitForText,
  watchForTestId,
} from "./harness/ui.mjs";

const driver = useTauriDriver();

const NAME = "Learning platform (e2e)";
const TEMPLATE = "learning-platform-entra";
/** The core waits up to 15 s per request; a dry run sends a dozen. */
const CHECK_TIMEOUT_MS = 30_000;
const DRY_RUN_TIMEOUT_MS = 120_000;

/** Chooses `value` in the <select> with this data-testid, as a person would (a change event). */
async function choose(app, testid, value) {
  const select = await waitForTestId(app, testid);
  const chosen = await app.execute(
    `const [select, value] = arguments;
     if (![...select.options].some((option) => option.value === value)) return false;
     select.value = value;
     select.dispatchEvent(new Event('change', { bubbles: true }));
     return true;`,
    select,
    value,
  );
  assert.ok(chosen, `${testid} offers ${value}`);
}

/** Fails when the token is anywhere in the page: its text, an input's value or an attribute. */
async function assertTokenNotShown(app, token, where) {
  const found = await app.execute(
    `const token = arguments[0];
     if (document.body.innerText.includes(token)) return 'text';
     for (const input of document.querySelectorAll('input, textarea')) {
       if (input.value.includes(token)) return 'an input: ' + (input.dataset.testid ?? input.id);
     }
     if (document.body.innerHTML.includes(token)) return 'markup';
     return null;`,
    token,
  );
  assert.equal(found, null, `the bearer token is shown (${found}) on ${where}`);
}

async function openTab(app, tab) {
  await click(app, await waitForTestId(app, `scim-tab-${tab}`));
  await waitUntil(
    async () =>
      (await (
        await app.find(byTestId(`scim-tab-${tab}`))
      ).attribute("aria-selected")) === "true",
    { what: `the ${tab} tab to open` },
  );
}

/** The steps of the dry run's log on screen: status and summary line. */
function logSteps(app) {
  return app.execute(
    `return [...document.querySelectorAll('[data-testid="scim-step"]')].map((s) => ({
       status: s.dataset.status,
       text: s.querySelector('summary').textContent.replace(/\\s+/g, ' ').trim(),
     }));`,
  );
}

async function save(app) {
  await click(app, await app.find(byTestId("save-scim")));
  await waitForText(
    app,
    byTestId("scim-editor-state"),
    (text) => text === "Saved",
    {
      what: "the connection to be saved",
    },
  );
}

test("a SCIM connection is tested, its template mappings previewed and dry-run against a real server", async (t) => {
  const server = await startScimServer({ extension: true });
  t.after(() => server.stop());
  const app = await driver.launch();

  // A new connection with its token.
  await click(app, await waitForTestId(app, "nav-scim"));
  await waitForTestId(app, "scim-empty");
  await click(app, await waitForTestId(app, "new-scim"));
  await fillField(app, "scim-field-name", NAME);
  await fillField(app, "scim-field-tenant_url", server.baseUrl);
  await fillField(app, "scim-field-token", server.token);
  await save(app);
  await waitForTestId(app, "scim-token-stored");
  assert.equal(
    (await app.findAll(byTestId("scim-field-token"))).length,
    0,
    "the saved token is not in an input any more",
  );

  // Test Connection: both providers' tests pass against the real server.
  await openTab(app, "test");
  await click(app, await waitForTestId(app, "run-scim-test"));
  const result = await waitForTestId(app, "scim-test-result", {
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  const verdicts = await app.execute(
    `return [...document.querySelectorAll('[data-testid="scim-verdict"]')].map((v) => ({
       provider: v.dataset.provider, passed: v.dataset.passed, text: v.textContent.trim() }));`,
  );
  t.diagnostic(`verdicts: ${JSON.stringify(verdicts)}`);
  assert.equal(
    await result.attribute("data-passed"),
    "true",
    await result.text(),
  );
  assert.deepEqual(verdicts.map((v) => v.provider).sort(), ["entra", "okta"]);
  assert.ok(verdicts.every((v) => v.passed === "true"));
  const checks = await app.findAll(byTestId("scim-check"));
  assert.ok(checks.length >= 2, "each provider request is listed");
  await assertTokenNotShown(app, server.token, "Test Connection");
  await app.screenshot("scim-test-connection");

  // Mappings from a template, previewed against the endpoint's live schemas.
  await openTab(app, "mappings");
  await waitForTestId(app, "scim-mappings-empty");
  await choose(app, "scim-template", TEMPLATE);
  await click(app, await app.find(byTestId("apply-scim-template")));
  await waitUntil(
    async () => (await app.findAll(byTestId("scim-mapping-row"))).length > 0,
    {
      what: "the template rows",
    },
  );
  await waitForTestId(app, "scim-preview-create", {
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  const createText = await textContent(app, byTestId("scim-preview-create"));
  assert.match(createText, /^POST \/Users/);
  assert.match(
    createText,
    /ilms:2\.0:User/,
    "the body carries the custom extension",
  );
  const previewResult = await waitForTestId(app, "scim-preview-result");
  t.diagnostic(`preview: ${await previewResult.text()}`);
  assert.equal(await previewResult.attribute("data-passed"), "true");
  await waitForTestId(app, "scim-preview-deactivate");
  await app.execute(
    "document.querySelector('[data-testid=\"scim-preview\"]').scrollIntoView()",
  );
  await assertTokenNotShown(app, server.token, "the preview");
  await app.screenshot("scim-preview");

  // A change of one's own: the update sends what the mappings make of that change.
  const sample = JSON.parse(
    await readFile(
      join(repoRoot, "src", "scim", "samples", "entra-adele-vance.json"),
      "utf8",
    ),
  );
  await click(app, await app.find(`${byTestId("scim-preview")} details.changed summary`));
  await fillField(
    app,
    "scim-changed-user",
    JSON.stringify({ ...sample, surname: "Vance-Smith" }),
  );
  await waitForText(
    app,
    byTestId("scim-preview-update"),
    (text) => text.includes('"Vance-Smith"'),
    { timeoutMs: CHECK_TIMEOUT_MS, what: "the update of the pasted change" },
  );
  const updateText = await textContent(app, byTestId("scim-preview-update"));
  assert.match(updateText, /^PATCH \/Users\/\{id\}/);
  assert.match(updateText, /"path": "name\.familyName"/);

  // The dry run uses the saved mappings. Without Entra's quirks every step works.
  await save(app);
  await openTab(app, "dryrun");
  await click(app, await waitForTestId(app, "scim-dry-run-entra-quirks"));
  let progressShown = await watchForTestId(app, "scim-dry-run-progress");
  await click(app, await waitForTestId(app, "run-scim-dry-run"));
  await progressShown();
  let dryRun = await waitForTestId(app, "scim-dry-run-result", {
    timeoutMs: DRY_RUN_TIMEOUT_MS,
  });
  let steps = await logSteps(app);
  t.diagnostic(
    `steps without quirks:\n${steps.map((s) => `  ${s.text}`).join("\n")}`,
  );
  assert.ok(steps.length >= 4, "the log lists the lifecycle steps");
  assert.ok(
    steps.some((s) => /POST \/Users/.test(s.text)),
    "the user was created",
  );
  assert.equal(
    await dryRun.attribute("data-passed"),
    "true",
    await dryRun.text(),
  );
  await waitForTestId(app, "scim-cleaned-up");

  // With them, the server refuses Entra's way of removing a group member (by value filter):
  // exactly that step fails, and everything created is still deleted again.
  await click(app, await waitForTestId(app, "scim-dry-run-entra-quirks"));
  progressShown = await watchForTestId(app, "scim-dry-run-progress");
  await click(app, await waitForTestId(app, "run-scim-dry-run"));
  await progressShown();
  dryRun = await waitForTestId(app, "scim-dry-run-result", {
    timeoutMs: DRY_RUN_TIMEOUT_MS,
  });
  steps = await logSteps(app);
  t.diagnostic(
    `steps with Entra quirks:\n${steps.map((s) => `  ${s.text}`).join("\n")}`,
  );
  assert.equal(await dryRun.attribute("data-passed"), "false");
  const failed = steps.filter((s) => s.status === "failed");
  assert.equal(failed.length, 1);
  assert.match(failed[0].text, /remove the user from the group/);
  await waitForTestId(app, "scim-cleaned-up");
  assert.equal((await app.findAll(byTestId("scim-leftovers"))).length, 0);

  // The log filters by status and by text.
  await click(app, await app.find(byTestId("scim-log-filter-failed")));
  await waitUntil(
    async () => (await app.findAll(byTestId("scim-step"))).length === 1,
    {
      what: "only the failed step to be shown",
    },
  );
  await click(app, await app.find(byTestId("scim-log-filter-failed")));
  await fillField(app, "scim-log-search", "nothing-like-this-in-the-log");
  await waitForTestId(app, "scim-log-empty");
  await fillField(app, "scim-log-search", "entra_member_removal_refused");
  await waitUntil(
    async () => (await app.findAll(byTestId("scim-step"))).length === 1,
    {
      what: "the search to find the failed step by its finding",
    },
  );
  // Open the failed step so its finding and bodies show in the screenshot.
  await app.execute(
    `const step = document.querySelector('[data-testid="scim-step"]');
     step.querySelectorAll('details').forEach((d) => (d.open = true));
     document.querySelector('[data-testid="scim-dry-run-result"]').scrollIntoView();`,
  );
  await assertTokenNotShown(app, server.token, "the dry run log");
  await app.screenshot("scim-dry-run");
});
