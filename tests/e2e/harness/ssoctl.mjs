// Sets up a scenario's directories with `ssoctl`, the command line over the same core, before
// the app starts: faster than the editor, and the same store and keyring the app then reads
// (the scenario's data directory, the test session's Secret Service).
//
//   const dataDir = await scenarioDataDir(t);
//   const detail = await createDirectory(dataDir, document, 'client-secret');
//   const app = await driver.launch({ dataDir });

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

import { repoRoot } from './app.mjs';

const SSOCTL_TIMEOUT_MS = 30_000;

/** The ssoctl binary: $SSO_CONSOLE_SSOCTL_BIN, else the debug build in the Cargo target dir. */
export function ssoctlBinary() {
  const targetDir =
    process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'sso-console', 'target');
  const binary = process.env.SSO_CONSOLE_SSOCTL_BIN ?? join(targetDir, 'debug', 'ssoctl');
  if (!existsSync(binary)) {
    throw new Error(
      `the ssoctl binary ${binary} does not exist: build it with ` +
        '`cargo build --bin ssoctl` or set SSO_CONSOLE_SSOCTL_BIN',
    );
  }
  return binary;
}

/** Runs `ssoctl --data-dir DIR --json ARGS…` with `stdin`; resolves to its parsed JSON output. */
export function ssoctl(dataDir, args, { stdin = '' } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      ssoctlBinary(),
      ['--data-dir', dataDir, '--json', ...args],
      { timeout: SSOCTL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let parsed;
        try {
          parsed = JSON.parse(stdout);
        } catch {
          parsed = undefined;
        }
        if (error || parsed === undefined) {
          reject(
            new Error(
              `ssoctl ${args.join(' ')} failed (${error?.message ?? 'no JSON'}):\n${stdout}\n${stderr}`,
              { cause: error },
            ),
          );
        } else {
          resolve(parsed);
        }
      },
    );
    child.stdin.end(stdin);
  });
}

/**
 * A data directory for the test `t`, removed when it ends (kept when SSO_E2E_KEEP is set).
 * Give it to `driver.launch({ dataDir })` so the app opens what ssoctl wrote.
 */
export async function scenarioDataDir(t) {
  const dir = await mkdtemp(join(tmpdir(), 'sso-console-e2e-data-'));
  t.after(async () => {
    if (!process.env.SSO_E2E_KEEP) await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The 245×36 PNG every directory needs, as base64. */
export async function logoBase64() {
  return (await readFile(join(repoRoot, 'tests', 'fixtures', 'logo-245x36.png'))).toString(
    'base64',
  );
}

/**
 * Creates a directory from `document` (DESIGN §7.1, without id) with its client secret in the
 * keyring; resolves to the saved DirectoryDetail (its `document.id` is the new id).
 */
export async function createDirectory(dataDir, document, clientSecret) {
  const dir = await mkdtemp(join(tmpdir(), 'sso-console-e2e-doc-'));
  try {
    const file = join(dir, 'directory.json');
    await writeFile(file, JSON.stringify({ logo_png_base64: await logoBase64(), ...document }));
    return await ssoctl(dataDir, ['dir', 'create', '--file', file, '--client-secret-stdin'], {
      stdin: `${clientSecret}\n`,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

