// The SSO Console app under test: one tauri-driver per test file, and per scenario a fresh
// data directory (SSO_CONSOLE_DATA_DIR), an app log and screenshots for people to look at.
//
//   const driver = useTauriDriver();           // at the top of a *.test.mjs file
//   test('…', async () => {
//     const app = await driver.launch();       // new data directory, app started
//     await app.waitFor('main');
//     await app.restart();                     // same data directory, new app process
//     await app.screenshot('my-scenario');     // target/e2e-screenshots/my-scenario.png
//     await app.close();
//   });

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startTauriDriver } from './tauri-driver.mjs';
import { newSession, waitUntil } from './webdriver.mjs';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const screenshotDir = join(repoRoot, 'target', 'e2e-screenshots');

const APP_EXIT_TIMEOUT_MS = 10_000;
/** The main window's title (src-tauri/tauri.conf.json). */
const WINDOW_TITLE = 'SSO Console';
const LOG_TAIL_CHARS = 4_000;
const SETTLE_PAINT_TIMEOUT_MS = 1_000;

/**
 * The app binary: $SSO_CONSOLE_APP_BIN (scripts/test-all.sh gives the installed package's), else
 * the debug build in the shared Cargo target dir.
 */
export function appBinary() {
  const targetDir =
    process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'sso-console', 'target');
  const binary = process.env.SSO_CONSOLE_APP_BIN ?? join(targetDir, 'debug', 'sso-console-app');
  if (!existsSync(binary)) {
    throw new Error(
      `the app binary ${binary} does not exist: build it with ` +
        '`cargo build -p sso-console-app --features custom-protocol` or set SSO_CONSOLE_APP_BIN',
    );
  }
  return binary;
}

/**
 * Registers hooks that start tauri-driver for this test file, close every app a test left
 * open when that test ends, and stop tauri-driver at the end; returns `{ launch }`.
 */
export function useTauriDriver() {
  let driver;
  const launched = new Set();
  before(async () => {
    driver = await startTauriDriver({ env: appEnvironment() });
  });
  afterEach(async () => {
    // A scenario that failed before its own close() still gets its app closed and files removed.
    for (const app of launched) await app.close();
  });
  after(async () => {
    await driver?.stop();
  });
  return {
    /**
     * Starts the app with a fresh data directory, or with `dataDir` when given (which is then
     * left in place on close); `env` adds variables to the app's environment.
     */
    async launch({ dataDir, env = {} } = {}) {
      const app = new App(driver, await prepareScenario(dataDir, env));
      launched.add(app);
      app.onClose = () => launched.delete(app);
      await app.start();
      return app;
    },
  };
}

/**
 * The environment the driver, and through it the app, runs in. WebKitGTK's WebDriver screenshot
 * never answers when the DMABUF renderer is disabled (seen with WebKitGTK 2.50 under Xvfb,
 * where scripts/with-test-session.sh disables it for everything else), so the app under test
 * keeps WebKit's default renderer, which draws fine under Xvfb too.
 */
function appEnvironment() {
  const env = { ...process.env };
  delete env.WEBKIT_DISABLE_DMABUF_RENDERER;
  return env;
}

function shellQuote(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * A scenario folder: the data directory, the app's log and pid, and the launcher tauri-driver
 * starts. The launcher exists because the native driver passes its own environment to the app:
 * it is the way to give each scenario its own SSO_CONSOLE_DATA_DIR with one driver per file, and
 * to hand on the test's $BROWSER and the scenario's own variables.
 */
async function prepareScenario(givenDataDir, extraEnv) {
  const binary = appBinary();
  const dir = await mkdtemp(join(tmpdir(), 'sso-console-e2e-'));
  const dataDir = givenDataDir ?? join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const files = {
    dir,
    dataDir,
    log: join(dir, 'app.log'),
    logDir: join(dir, 'logs'),
    pid: join(dir, 'app.pid'),
    launcher: join(dir, 'launch-app'),
  };
  const env = {
    SSO_CONSOLE_DATA_DIR: dataDir,
    SSO_CONSOLE_LOG_DIR: files.logDir,
    // WebKitWebDriver starts the app with an environment of its own, without $BROWSER.
    ...(process.env.BROWSER ? { BROWSER: process.env.BROWSER } : {}),
    ...extraEnv,
  };
  await writeFile(
    files.launcher,
    [
      '#!/bin/sh',
      `echo $$ > ${shellQuote(files.pid)}`,
      ...Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
      `exec ${shellQuote(binary)} "$@" >> ${shellQuote(files.log)} 2>&1`,
      '',
    ].join('\n'),
  );
  await chmod(files.launcher, 0o755);
  return files;
}

/** True while the process runs (a zombie, exited but not yet reaped, counts as gone). */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** One scenario's app: a WebDriver session plus the files of its scenario folder. */
export class App {
  constructor(driver, files) {
    this.driver = driver;
    this.files = files;
    this.session = null;
    this.onClose = () => {};
  }

  /** The data directory the app was given in SSO_CONSOLE_DATA_DIR. */
  get dataDir() {
    return this.files.dataDir;
  }

  /**
   * What the app printed so far (stdout and stderr, all runs of this scenario), then what it
   * wrote to its log file.
   */
  log() {
    return [this.files.log, join(this.files.logDir, 'sso-console.log')]
      .map((file) => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return '';
        }
      })
      .join('\n');
  }

  async start() {
    try {
      this.session = await newSession(this.driver.url, {
        'tauri:options': { application: this.files.launcher },
      });
      // The web view shows about:blank until the app navigates to its UI. A list the shell drew
      // from the last start is marked busy until the page has drawn its own in its place.
      let page = { href: 'nothing', state: 'unknown', busy: false };
      try {
        await waitUntil(
          async () => {
            page = await this.session.execute(
              `return { href: location.href, state: document.readyState,
                        busy: document.querySelector('#app[aria-busy="true"]') !== null }`,
            );
            return page.href !== 'about:blank' && page.state === 'complete' && !page.busy;
          },
          { what: 'the UI to load' },
        );
      } catch (error) {
        const hint =
          page.href === 'about:blank'
            ? '; a build without --features custom-protocol waits for a dev server'
            : '';
        const busy = page.busy ? ', the list the shell drew from the last start still in place' : '';
        throw new Error(`${error.message} (the window shows ${page.href}, ${page.state}${busy}${hint})`, {
          cause: error,
        });
      }
    } catch (error) {
      throw new Error(
        `the app did not start: ${error.message}\n` +
          `--- app log (tail) ---\n${this.log().slice(-LOG_TAIL_CHARS)}\n` +
          `--- tauri-driver output (tail) ---\n${this.driver.output().slice(-LOG_TAIL_CHARS)}`,
        { cause: error },
      );
    }
  }

  /** Ends the session and waits for the app process to be gone (killing it if it lingers). */
  async stop() {
    const session = this.session;
    this.session = null;
    if (session) {
      await session.delete().catch(() => {});
    }
    try {
      await this.waitForExit();
    } catch {
      try {
        process.kill(this.#pid(), 'SIGKILL');
      } catch {
        // gone in the meantime
      }
    }
  }

  /** The app's process id, once its launcher has started; null before. */
  #pid() {
    try {
      return Number(readFileSync(this.files.pid, 'utf8').trim());
    } catch {
      return null;
    }
  }

  /**
   * The environment of the app's web content process (WebKitGTK's WebKitWebProcess, started by
   * the app, directly or through its sandbox), as a Map; null while there is none. Linux only.
   */
  webProcessEnvironment() {
    const pid = this.#pid();
    if (pid === null) return null;
    const processes = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const [, name, rest] = readFileSync(`/proc/${entry}/stat`, 'utf8').match(/^\d+ \((.*)\) (.*)$/s);
        processes.push({ pid: Number(entry), name, parent: Number(rest.split(' ')[1]) });
      } catch {
        // gone in the meantime
      }
    }
    const ours = new Set([pid]);
    for (let added = true; added; ) {
      added = false;
      for (const p of processes) {
        if (!ours.has(p.pid) && ours.has(p.parent)) {
          ours.add(p.pid);
          added = true;
        }
      }
    }
    const web = processes.find((p) => ours.has(p.pid) && p.name.startsWith('WebKitWebProc'));
    if (web === undefined) return null;
    try {
      const variables = readFileSync(`/proc/${web.pid}/environ`, 'utf8').split('\0');
      return new Map(
        variables
          .filter((v) => v.includes('='))
          .map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]),
      );
    } catch {
      return null;
    }
  }

  /**
   * Asks the window to close as a window manager's close button does (WM_DELETE_WINDOW, through
   * harness/close-window.py); returns once the request is sent.
   */
  requestWindowClose() {
    const script = join(repoRoot, 'tests', 'e2e', 'harness', 'close-window.py');
    const run = spawnSync('python3', [script, WINDOW_TITLE], { encoding: 'utf8', timeout: 10_000 });
    if (run.status !== 0) {
      throw new Error(`no window titled "${WINDOW_TITLE}" to close: ${run.stderr ?? run.error}`);
    }
  }

  /** Waits for the app process to end by itself. */
  async waitForExit() {
    const pid = this.#pid();
    if (pid === null) return;
    await waitUntil(() => !isRunning(pid), {
      timeoutMs: APP_EXIT_TIMEOUT_MS,
      what: `the app (pid ${pid}) to exit`,
    });
  }

  /** Closes the app and starts it again on the same data directory. */
  async restart() {
    await this.stop();
    await this.start();
  }

  /** Closes the app and removes the scenario folder (kept when SSO_E2E_KEEP is set). */
  async close() {
    await this.stop();
    this.onClose();
    // A data directory given to launch() lives outside the scenario folder and stays.
    if (!process.env.SSO_E2E_KEEP) await rm(this.files.dir, { recursive: true, force: true });
  }

  /** Saves a PNG of the window's content as target/e2e-screenshots/<name>.png; returns its path. */
  async screenshot(name) {
    await mkdir(screenshotDir, { recursive: true });
    const file = join(screenshotDir, `${name}.png`);
    await this.settlePaint();
    await writeFile(file, await this.requireSession().screenshot());
    return file;
  }

  /**
   * Waits until the page has painted what the last commands changed: WebKit's screenshot shows
   * the last frame it drew, which can predate a change made a moment before. Two animation
   * frames do it; the timer bounds the wait should frames not come.
   */
  async settlePaint() {
    await this.requireSession().executeAsync(
      `const done = arguments[arguments.length - 1];
       const timer = setTimeout(done, ${SETTLE_PAINT_TIMEOUT_MS});
       requestAnimationFrame(() => requestAnimationFrame(() => {
         clearTimeout(timer);
         done();
       }));`,
    );
  }

  requireSession() {
    if (!this.session) throw new Error('the app is not running (start() or restart() first)');
    return this.session;
  }

  // The session's commands, for brevity in scenarios.
  find(selector) {
    return this.requireSession().find(selector);
  }

  findAll(selector) {
    return this.requireSession().findAll(selector);
  }

  waitFor(selector, options) {
    return this.requireSession().waitFor(selector, options);
  }

  execute(script, ...args) {
    return this.requireSession().execute(script, ...args);
  }

  title() {
    return this.requireSession().title();
  }
}

export { waitUntil };
