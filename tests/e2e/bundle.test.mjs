// Offline preparation (issue 13) in the real window: two directories exported with their secrets
// encrypted, through the export dialog; then, in a fresh data folder, the bundle chosen in the
// import dialog, its passphrase given, its plan shown, applied, and the directories listed with
// their secrets in the keyring. The native save and open dialogs answer through the test-only
// setting SSO_CONSOLE_TEST_DIALOG_PATH, which WebDriver cannot drive.

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { useTauriDriver } from "./harness/app.mjs";
import { createDirectory, scenarioDataDir, ssoctl } from "./harness/ssoctl.mjs";
import {
  byTestId,
  click,
  fillField,
  waitForRow,
  waitForTestId,
  waitForText,
} from "./harness/ui.mjs";

const driver = useTauriDriver();
const PASSPHRASE = "correct horse battery staple";
const SECRETS = ["bundle-e2e-secret-contoso", "bundle-e2e-secret-fabrikam"];

function directory(name, clientId) {
  return {
    name,
    authorization_url: "https://login.example.com/authorize",
    token_url: "https://login.example.com/token",
    issuer: "https://login.example.com",
    scopes: "openid email profile",
    client_id: clientId,
  };
}

test("directories are exported with their secrets encrypted and imported into a fresh data folder after their plan is shown", async (t) => {
  const source = await scenarioDataDir(t);
  const contoso = await createDirectory(
    source,
    directory("Contoso (bundle)", "c-1"),
    SECRETS[0],
  );
  const fabrikam = await createDirectory(
    source,
    directory("Fabrikam (bundle)", "f-1"),
    SECRETS[1],
  );
  const folder = await mkdtemp(join(tmpdir(), "sso-console-e2e-bundle-"));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const bundlePath = join(folder, "bundle.json");
  const env = { SSO_CONSOLE_TEST_DIALOG_PATH: bundlePath };

  // Export, with the secrets: the passphrase typed twice.
  let app = await driver.launch({ dataDir: source, env });
  await waitForRow(app, "Fabrikam (bundle)");
  await click(app, await app.find(byTestId("export-bundle")));
  await waitForTestId(app, "export-dialog");
  await click(app, await waitForTestId(app, "export-secrets"));
  await fillField(app, "export-passphrase", PASSPHRASE);
  await fillField(app, "export-passphrase-again", PASSPHRASE);
  await click(app, await app.find(byTestId("export-run")));
  await waitForText(app, byTestId("export-done"), (text) =>
    text.includes(
      "Exported 2 directories and 0 SCIM connections with their secrets, encrypted",
    ),
  );
  await waitForText(
    app,
    byTestId("export-path"),
    (text) => text === bundlePath,
  );
  await app.screenshot("bundle-exported");
  await click(app, await app.find(byTestId("export-close")));
  await app.close();

  const file = await readFile(bundlePath, "utf8");
  const bundle = JSON.parse(file);
  assert.equal(bundle.format, "sso-console/bundle");
  assert.deepEqual(
    bundle.directories.map((d) => d.id).sort(),
    [contoso.document.id, fabrikam.document.id].sort(),
  );
  for (const secret of SECRETS) {
    assert.ok(
      !file.includes(secret),
      "a client secret is in the bundle as it is",
    );
    assert.ok(
      !file.includes(Buffer.from(secret).toString("base64")),
      "a secret is in it as base64",
    );
  }

  // Import into a fresh data folder: the passphrase, the plan, then the directories.
  const target = await scenarioDataDir(t);
  app = await driver.launch({ dataDir: target, env });
  await waitForTestId(app, "dir-empty");
  await click(app, await app.find(byTestId("import-bundle")));
  await waitForTestId(app, "import-dialog");
  await click(app, await waitForTestId(app, "import-choose-file"));
  await fillField(app, "import-passphrase", "not the passphrase");
  await click(app, await app.find(byTestId("import-open")));
  await waitForText(app, byTestId("import-passphrase-problem"), (text) =>
    text.includes("does not open"),
  );
  await fillField(app, "import-passphrase", PASSPHRASE);
  await click(app, await app.find(byTestId("import-open")));
  await waitForText(app, byTestId("import-summary"), (text) =>
    text.startsWith(
      "2 new, 0 to update, 0 unchanged, 0 conflicts; secrets come along",
    ),
  );
  const actions = await app.execute(
    `return [...document.querySelectorAll('[data-testid="import-item"]')].map((row) => [row.dataset.id, row.dataset.action]);`,
  );
  assert.deepEqual(
    actions.sort(),
    [
      [contoso.document.id, "create"],
      [fabrikam.document.id, "create"],
    ].sort(),
  );
  await app.screenshot("bundle-import-plan");
  await click(app, await app.find(byTestId("import-apply")));
  await waitForText(
    app,
    byTestId("import-done"),
    (text) =>
      text.includes("2 created, 0 updated, 0 deleted") &&
      text.includes("2 secrets written"),
  );
  await app.screenshot("bundle-imported");
  await click(app, await app.find(byTestId("import-close")));
  await waitForRow(app, "Contoso (bundle)");
  await waitForRow(app, "Fabrikam (bundle)");
  await app.screenshot("bundle-imported-list");
  await app.close();

  // Kept with their ids, their secrets in the keyring.
  for (const saved of [contoso, fabrikam]) {
    const shown = await ssoctl(target, ["dir", "show", saved.document.id]);
    assert.deepEqual(shown.document, saved.document);
    assert.equal(shown.has_client_secret, true);
  }
});
