// Benchmark: the directory list with 10,000 directories in the real window (DESIGN §5, C13).
//
//   scripts/with-test-session.sh node benches/list-window.mjs [N]     (N directories, default 10000)
//
// It measures the app as users get it: the installed package's /usr/bin/sso-console and
// /usr/bin/ssoctl, or the binaries SSO_CONSOLE_APP_BIN and SSO_CONSOLE_SSOCTL_BIN name (else the
// debug builds the end-to-end harness uses). It writes a bundle of N directories (each with the
// repository's 245x36 logo and two domain suffixes), imports it with `ssoctl import` into a fresh
// data folder, times `ssoctl dir list --search` as a whole process, then starts the app over
// WebDriver (tauri-driver, as the end-to-end suite does) and reads, inside the page:
//   open    ms from the page's start to the list showing N directories;
//   scroll  the time between frames (requestAnimationFrame timestamps) while the list scrolls
//           by 120 px a frame from the top (fast scrolling, a mouse wheel flung), then by one
//           page a frame, each for up to 600 frames or the end of the list; a frame over
//           50 ms is a visible stall; and for reference the frames of the still list, the
//           window's own frame rate on this machine (Xvfb draws in software);
//   filter  ms from a keystroke in the search box to the list showing the one match, and back
//           to all N when the box is cleared (both include the search's 150 ms pause for more
//           typing).
// It prints figures and never fails: a run that cannot start says why.

import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const INSTALLED_APP = "/usr/bin/sso-console";
const INSTALLED_SSOCTL = "/usr/bin/ssoctl";
if (!process.env.SSO_CONSOLE_APP_BIN && existsSync(INSTALLED_APP)) {
  process.env.SSO_CONSOLE_APP_BIN = INSTALLED_APP;
}
if (!process.env.SSO_CONSOLE_SSOCTL_BIN && existsSync(INSTALLED_SSOCTL)) {
  process.env.SSO_CONSOLE_SSOCTL_BIN = INSTALLED_SSOCTL;
}
// After the variables: the harness reads them when it starts the app.
const { repoRoot, useTauriDriver } =
  await import("../tests/e2e/harness/app.mjs");
const { ssoctlBinary } = await import("../tests/e2e/harness/ssoctl.mjs");

const COUNT = Number(process.argv[2] ?? 10_000);
const SEARCH_RUNS = 5;
const STALL_MS = 50;
const FAST_SCROLL_PX = 120;
/** At 60 frames a second, 10 s: well inside one WebDriver command's 30 s. */
const MAX_FRAMES = 600;
const OPEN_TIMEOUT_MS = 60_000;
const IDLE_MS = 3_000;
const SCRIPT_TIMEOUT_MS = 60_000;

function bundle() {
  const logo = readFileSync(
    join(repoRoot, "tests/fixtures/logo-245x36.png"),
  ).toString("base64");
  const directories = [];
  for (let i = 0; i < COUNT; i += 1) {
    const n = String(i).padStart(5, "0");
    directories.push({
      id: randomUUID(),
      name: `Customer ${n}`,
      logo_png_base64: logo,
      authorization_url: "https://login.example.com/authorize",
      token_url: "https://login.example.com/token",
      issuer: "https://login.example.com",
      client_id: `client-${i}`,
      domain_suffixes: [`customer${i}.example`, `customer${i}.test`],
    });
  }
  return { format: "sso-console/bundle", version: 1, directories };
}

function timed(run) {
  const started = process.hrtime.bigint();
  const result = run();
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

function frameFigures(label, stamps) {
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  if (gaps.length === 0) return `  ${label}: no frames`;
  const stalls = gaps.filter((g) => g > STALL_MS).length;
  return (
    `  ${label}: ${gaps.length} frames, between frames median ${median(gaps).toFixed(1)} ms, ` +
    `95th percentile ${percentile(gaps, 95).toFixed(1)} ms, longest ${Math.max(...gaps).toFixed(1)} ms, ` +
    `${stalls} over ${STALL_MS} ms`
  );
}

// Scrolls the list by `step` px a frame (a whole page when step is 0) to its end, recording
// each frame's timestamp; returns them.
const SCROLL_SCRIPT = `
  const [step, maxFrames, done] = arguments;
  const list = document.querySelector('[data-testid="dir-list"]');
  list.scrollTop = 0;
  const stamps = [];
  const tick = (t) => {
    stamps.push(t);
    const end = list.scrollHeight - list.clientHeight;
    if (list.scrollTop >= end || stamps.length >= maxFrames) return done(stamps);
    list.scrollTop = Math.min(end, list.scrollTop + (step || list.clientHeight));
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(() => requestAnimationFrame(tick));
`;

// Records frame timestamps for `ms` with nothing changing: the frame rate of the window itself
// on this machine, to read the scrolling figures against.
const IDLE_SCRIPT = `
  const [ms, done] = arguments;
  const stamps = [];
  const tick = (t) => {
    stamps.push(t);
    if (t - stamps[0] >= ms) return done(stamps);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

// Types `query` into the search box (as a keystroke would: its value and an input event) and
// resolves with the ms until the count reads `expected`.
const FILTER_SCRIPT = `
  const [query, expected, timeoutMs, done] = arguments;
  const box = document.querySelector('[data-testid="dir-search"]');
  const count = document.querySelector('[data-testid="dir-count"]');
  const started = performance.now();
  box.value = query;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  const look = () => {
    if (count.textContent.trim().startsWith(expected)) return done(performance.now() - started);
    if (performance.now() - started > timeoutMs) return done(-1);
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
`;

const driver = useTauriDriver();

test(`the directory list with ${COUNT} directories`, async () => {
  const work = await mkdtemp(join(tmpdir(), "sso-list-bench-"));
  try {
    const dataDir = join(work, "data");
    const file = join(work, "bundle.json");
    await writeFile(file, JSON.stringify(bundle()));
    const ssoctl = (...args) =>
      execFileSync(ssoctlBinary(), ["--data-dir", dataDir, ...args], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      });
    console.log(
      `== ${COUNT} directories; ssoctl ${ssoctlBinary()}, app ${process.env.SSO_CONSOLE_APP_BIN ?? "(debug build)"}`,
    );
    console.log(
      `  load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
    );
    const imported = timed(() => ssoctl("import", file));
    console.log(
      `  ssoctl import (whole process): ${imported.ms.toFixed(0)} ms`,
    );

    const middle = Math.floor(COUNT / 2);
    const query = `customer${middle}.test`;
    const searches = [];
    for (let run = 0; run < SEARCH_RUNS; run += 1) {
      const searched = timed(() => ssoctl("dir", "list", "--search", query));
      if (
        !searched.result.includes(`Customer ${String(middle).padStart(5, "0")}`)
      ) {
        throw new Error(
          `ssoctl dir list --search ${query} did not find it:\n${searched.result}`,
        );
      }
      searches.push(searched.ms);
    }
    console.log(
      `  ssoctl dir list --search (whole process, ${SEARCH_RUNS} runs): median ${median(searches).toFixed(0)} ms, ` +
        `longest ${Math.max(...searches).toFixed(0)} ms (target 500 ms)`,
    );

    const app = await driver.launch({ dataDir });
    const session = app.requireSession();
    await session.command("POST", "/timeouts", { script: SCRIPT_TIMEOUT_MS });
    const all = `${COUNT} directories`;
    const opened = await session.executeAsync(
      `const [expected, timeoutMs, done] = arguments;
       const look = () => {
         const count = document.querySelector('[data-testid="dir-count"]');
         const rows = document.querySelectorAll('[data-testid="dir-list"] [role="option"]');
         if (count && count.textContent.trim().startsWith(expected) && rows.length > 0) {
           return done(performance.now());
         }
         if (performance.now() > timeoutMs) return done(-1);
         setTimeout(look, 5);
       };
       look();`,
      all,
      OPEN_TIMEOUT_MS,
    );
    if (opened < 0) throw new Error(`the list did not show ${all}`);
    console.log(
      `  open: the list shows ${all} ${opened.toFixed(0)} ms after the page started`,
    );
    await app.screenshot("bench-list-open");

    const idle = await session.executeAsync(IDLE_SCRIPT, IDLE_MS);
    console.log(frameFigures("still (nothing changing, for reference)", idle));
    const fast = await session.executeAsync(
      SCROLL_SCRIPT,
      FAST_SCROLL_PX,
      MAX_FRAMES,
    );
    console.log(frameFigures(`scroll ${FAST_SCROLL_PX} px a frame`, fast));
    const paged = await session.executeAsync(SCROLL_SCRIPT, 0, MAX_FRAMES);
    console.log(frameFigures("scroll a page a frame", paged));
    await app.screenshot("bench-list-scrolled");

    const narrowed = await session.executeAsync(
      FILTER_SCRIPT,
      query,
      "1 directory",
      OPEN_TIMEOUT_MS,
    );
    const widened = await session.executeAsync(
      FILTER_SCRIPT,
      "",
      all,
      OPEN_TIMEOUT_MS,
    );
    const shown = (ms) => (ms < 0 ? "not shown" : `${ms.toFixed(0)} ms`);
    console.log(
      `  filter: "${query}" to its one match ${shown(narrowed)}; cleared to all ${COUNT} ${shown(widened)} ` +
        "(each with the 150 ms pause for more typing)",
    );
    await app.close();
  } catch (error) {
    console.log(`list bench: no figures: ${error.message}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
