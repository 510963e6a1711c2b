// "The browser" the app opens for a test sign-in: tests/support/browser-login.mjs, which signs in
// at the real OpenID Provider in headless Chromium. The core runs "$BROWSER <url>", splitting
// $BROWSER at blanks, so a one-word launcher script keeps the paths of node and of the login
// script whole, wherever the clone lives.

import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { repoRoot } from './app.mjs';

/**
 * Sets $BROWSER (read by tauri-driver's environment, which the app inherits) to the launcher for
 * the file's tests. Returns the folder it lives in: a "skip-next" file there makes the next
 * opening do nothing, as a person who leaves the first browser tab alone.
 */
export function useBrowserLogin() {
  const state = { dir: '' };
  before(async () => {
    state.dir = await mkdtemp(join(tmpdir(), 'sso-console-e2e-browser-'));
    const launcher = join(state.dir, 'browser');
    const script = join(repoRoot, 'tests', 'support', 'browser-login.mjs');
    const quote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;
    const skip = quote(join(state.dir, 'skip-next'));
    await writeFile(
      launcher,
      `#!/bin/sh\nif [ -e ${skip} ]; then rm -f ${skip}; exit 0; fi\nexec ${quote(process.execPath)} ${quote(script)} "$@"\n`,
    );
    await chmod(launcher, 0o755);
    process.env.BROWSER = launcher;
  });
  after(() => rm(state.dir, { recursive: true, force: true }));
  return state;
}
