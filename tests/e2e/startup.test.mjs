// A failure before the window opens is shown to the person, not lost: with a data folder that
// cannot be created, the app shows a native dialog saying what failed, where the log is and what
// to do, writes the same to its log file, and exits non-zero once the dialog is closed, without
// a panic. (A release build on Windows has no console: the dialog and the log are all there is.)

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { appBinary, repoRoot, screenshotDir, waitUntil } from './harness/app.mjs';

const DIALOG_TITLE = 'SSO Console could not start';
const WINDOW_SCRIPT = join(repoRoot, 'tests', 'e2e', 'harness', 'close-window.py');
const EXIT_TIMEOUT_MS = 10_000;

function window(...args) {
  return spawnSync('python3', [WINDOW_SCRIPT, ...args], { encoding: 'utf8', timeout: 10_000 });
}

test('a data folder that cannot be created is shown in a dialog and the log, and the app exits', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sso-console-startup-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // A folder inside a file can be created by nobody, root included.
  const blocker = join(dir, 'not-a-folder');
  await writeFile(blocker, '');
  const logDir = join(dir, 'logs');

  const app = spawn(appBinary(), [], {
    env: { ...process.env, SSO_CONSOLE_DATA_DIR: join(blocker, 'data'), SSO_CONSOLE_LOG_DIR: logDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  app.stdout.on('data', (chunk) => (output += chunk));
  app.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => app.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => app.exitCode === null && app.kill('SIGKILL'));

  await waitUntil(() => window('--find', DIALOG_TITLE).status === 0, {
    timeoutMs: 20_000,
    what: `a window titled "${DIALOG_TITLE}" (app output so far: ${output})`,
  });
  await mkdir(screenshotDir, { recursive: true });
  const shot = join(screenshotDir, 'startup-failure-dialog.png');
  const capture = spawnSync('import', ['-window', 'root', shot], { timeout: 10_000 });
  assert.equal(capture.status, 0, `screenshot: ${capture.stderr}`);

  assert.equal(window(DIALOG_TITLE).status, 0, 'the dialog took the close request');
  const { code } = await Promise.race([
    exited,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('the app did not exit after the dialog closed')), EXIT_TIMEOUT_MS),
    ),
  ]);
  assert.equal(code, 1, `exit status (output: ${output})`);
  assert.doesNotMatch(output, /panicked/, 'no panic');

  const log = await readFile(join(logDir, 'sso-console.log'), 'utf8');
  assert.match(log, new RegExp(`${DIALOG_TITLE}: Cannot open the database`));
  assert.match(
    log,
    /if that cannot be fixed, start SSO Console with the environment variable SSO_CONSOLE_DATA_DIR set to another folder/,
  );
  assert.match(log, /The log file is .*sso-console\.log\./);
  assert.match(output, /Cannot open the database/, 'standard error says it too');
});
