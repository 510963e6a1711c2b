// Small helpers the scenarios share to drive the console's screens by their data-testid hooks
// (ui/TESTIDS.md). Every wait is bounded.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { waitUntil } from './webdriver.mjs';

/** The CSS selector of a data-testid. */
export function byTestId(testid) {
  return `[data-testid="${testid}"]`;
}

/** Waits for the element with this data-testid (visible by default) and returns it. */
export function waitForTestId(app, testid, { timeoutMs = 10_000, visible = true } = {}) {
  return app.waitFor(byTestId(testid), { timeoutMs, visible });
}

/**
 * The trimmed textContent of the first element matching the selector. For text in a box that
 * clips its overflow with an ellipsis: WebKitWebDriver's "Get Element Text" answers "" for it
 * (seen with WebKitGTK 2.50), although it is on screen.
 */
export function textContent(app, selector) {
  return app.execute(
    'const element = document.querySelector(arguments[0]); return element === null ? null : element.textContent.trim();',
    selector,
  );
}

/** Waits until the element's rendered text satisfies `predicate`; returns the text. */
export async function waitForText(app, selector, predicate, { timeoutMs = 10_000, what } = {}) {
  let last = '(not found)';
  try {
    return await waitUntil(
      async () => {
        last = await (await app.find(selector)).text();
        return predicate(last) ? last : null;
      },
      { timeoutMs, what: what ?? `the text of "${selector}"` },
    );
  } catch (error) {
    throw new Error(`${error.message}; it read "${last}"`, { cause: error });
  }
}

/**
 * Starts watching for the element with this data-testid to appear, before the action that
 * shows it; returns a function that waits (bounded) until it has appeared. For something shown
 * only while a quick operation runs, which a poll after the action can miss.
 */
export async function watchForTestId(app, testid) {
  const flag = `__appeared_${testid.replaceAll('-', '_')}`;
  await app.execute(
    `const flag = arguments[0], selector = arguments[1];
     window[flag] = document.querySelector(selector) !== null;
     const observer = new MutationObserver(() => {
       if (document.querySelector(selector) !== null) {
         window[flag] = true;
         observer.disconnect();
       }
     });
     observer.observe(document.body, { childList: true, subtree: true });`,
    flag,
    byTestId(testid),
  );
  return () =>
    waitUntil(async () => (await app.execute('return window[arguments[0]] === true;', flag)) || null, {
      timeoutMs: 10_000,
      what: `${testid} to appear`,
    });
}

/** Waits until the input with this data-testid holds `value`. */
export async function waitForValue(app, testid, value, { timeoutMs = 10_000 } = {}) {
  let last = '(not found)';
  try {
    await waitUntil(
      async () => {
        last = await (await app.find(byTestId(testid))).property('value');
        return last === value;
      },
      { timeoutMs, what: `${testid} to hold "${value}"` },
    );
  } catch (error) {
    throw new Error(`${error.message}; it holds "${last}"`, { cause: error });
  }
}

/** Waits until nothing matches the selector any more. */
export function waitForGone(app, selector, { timeoutMs = 10_000 } = {}) {
  return waitUntil(async () => (await app.findAll(selector)).length === 0, {
    timeoutMs,
    what: `"${selector}" to disappear`,
  });
}

/**
 * Scrolls the element into the middle of its scrolling container. WebKitWebDriver does not
 * scroll an element inside a scrolled box (the editor's form) into view before it acts on it,
 * and refuses it as "not interactable" while it is outside.
 */
export function scrollIntoView(app, element) {
  return app.execute("arguments[0].scrollIntoView({ block: 'center' })", element);
}

/** Scrolls the element into view and clicks it. */
export async function click(app, element) {
  await scrollIntoView(app, element);
  await element.click();
}

/**
 * Replaces what a text input holds with `text`. WebDriver's clear() resets the value without an
 * input event; the keys that follow fire one with the whole new value, which the bindings read.
 */
export async function fillField(app, testid, text) {
  const input = await waitForTestId(app, testid);
  await scrollIntoView(app, input);
  await input.clear();
  await input.sendKeys(text);
  const value = await input.property('value');
  if (value !== text) throw new Error(`${testid} holds "${value}" after typing "${text}"`);
  return input;
}

/**
 * Chooses `file` in an `<input type="file">`: the real way first (its absolute path as keys,
 * which WebKitWebDriver turns into a file selection); when the driver refuses, the file's bytes
 * are handed to the page as a File in a DataTransfer and a "change" event is dispatched, which
 * is what the input does itself. Returns how the file was given ("keys" or "script").
 */
export async function chooseFile(app, testid, file) {
  const input = await waitForTestId(app, testid, { visible: false });
  try {
    await input.sendKeys(file);
    return 'keys';
  } catch (error) {
    if (!error?.error) throw error;
    const bytes = (await readFile(file)).toString('base64');
    await app.execute(
      `const [input, base64, name] = arguments;
       const binary = atob(base64);
       const bytes = new Uint8Array(binary.length);
       for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
       const transfer = new DataTransfer();
       transfer.items.add(new File([bytes], name, { type: 'image/png' }));
       input.files = transfer.files;
       input.dispatchEvent(new Event('change', { bubbles: true }));`,
      input,
      bytes,
      basename(file),
    );
    return 'script';
  }
}

/** Whether `element` sits inside the same `closestSelector` wrapper as `other`. */
export function sameWrapper(app, element, other, closestSelector) {
  return app.execute(
    `const [a, b, selector] = arguments;
     const wrapper = a.closest(selector);
     return wrapper !== null && wrapper === b.closest(selector);`,
    element,
    other,
    closestSelector,
  );
}

/** The rows of the directory list as `{ id, name, suffixes, selected }`. */
export function directoryRows(app) {
  return app.execute(
    `return [...document.querySelectorAll('[data-testid="dir-row"]')].map((row) => ({
       id: row.dataset.id,
       name: row.querySelector('[data-testid="dir-name"]')?.textContent.trim() ?? '',
       suffixes: row.querySelector('[data-testid="dir-suffixes"]')?.textContent.trim() ?? '',
       selected: row.dataset.selected === 'true',
       secretMissing: row.querySelector('[data-testid="badge-secret-missing"]') !== null,
     }));`,
  );
}

/** Waits for the row of the directory named `name` in the list and returns it. */
export async function waitForRow(app, name, { timeoutMs = 10_000 } = {}) {
  let rows = [];
  try {
    return await waitUntil(
      async () => {
        rows = await directoryRows(app);
        return rows.find((row) => row.name === name) ?? null;
      },
      { timeoutMs, what: `the directory "${name}" in the list` },
    );
  } catch (error) {
    const seen = rows.map((row) => row.name).join(', ') || 'no row';
    throw new Error(`${error.message}; the list shows: ${seen}`, { cause: error });
  }
}

/** Clicks a directory's row (which selects it) and waits until it is the selected one. */
export async function selectRow(app, id) {
  const row = await app.find(`${byTestId('dir-row')}[data-id="${id}"]`);
  await row.click();
  await waitUntil(async () => (await row.attribute('data-selected')) === 'true', {
    what: `the row ${id} to be selected`,
  });
}
