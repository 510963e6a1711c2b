// A small W3C WebDriver client over fetch: just what the end-to-end scenarios use.
// Spec: https://www.w3.org/TR/webdriver2/ (endpoints and the "element-6066-…" reference key).

/** The key under which a W3C driver returns an element reference. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** Starting the app (the WebKit web process included) can take a while on a cold machine. */
const NEW_SESSION_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 30_000;

/** An error answered by the driver: `error` is the W3C error code, e.g. "no such element". */
export class WebDriverError extends Error {
  constructor(command, status, error, message) {
    super(`${command}: ${error} (HTTP ${status}): ${message}`);
    this.name = 'WebDriverError';
    this.status = status;
    this.error = error;
  }
}

async function send(baseUrl, method, path, body, timeoutMs = COMMAND_TIMEOUT_MS) {
  const command = `${method} ${path}`;
  let response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new Error(`${command}: no answer from the driver at ${baseUrl}: ${cause.message}`, {
      cause,
    });
  }
  const text = await response.text();
  let payload;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new WebDriverError(command, response.status, 'invalid response', text.slice(0, 500));
  }
  const value = payload?.value;
  if (!response.ok || (value && typeof value === 'object' && 'error' in value)) {
    throw new WebDriverError(command, response.status, value?.error, value?.message ?? text);
  }
  return value;
}

/**
 * Opens a session: the driver starts the application and connects to its web view.
 * @param {string} baseUrl the driver's address, e.g. http://127.0.0.1:4444/
 * @param {object} alwaysMatch the capabilities, e.g. {"tauri:options": {application}}
 */
export async function newSession(baseUrl, alwaysMatch) {
  const value = await send(
    baseUrl,
    'POST',
    '/session',
    { capabilities: { alwaysMatch, firstMatch: [{}] } },
    NEW_SESSION_TIMEOUT_MS,
  );
  return new Session(baseUrl, value.sessionId);
}

/**
 * Polls `probe` until it returns a truthy value and returns that value; throws after `timeoutMs`
 * (with the probe's last error, if any), or at once when `signal` is aborted.
 */
export async function waitUntil(
  probe,
  { timeoutMs = 10_000, intervalMs = 100, what = 'condition', signal } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    signal?.throwIfAborted();
    if (Date.now() >= deadline) {
      const why = lastError ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** One WebDriver session, i.e. one running instance of the application. */
export class Session {
  constructor(baseUrl, id) {
    this.baseUrl = baseUrl;
    this.id = id;
  }

  command(method, path, body) {
    return send(this.baseUrl, method, `/session/${this.id}${path}`, body);
  }

  /** The first element matching a CSS selector; throws "no such element" when there is none. */
  async find(selector) {
    const ref = await this.command('POST', '/element', { using: 'css selector', value: selector });
    return new Element(this, ref[ELEMENT_KEY], selector);
  }

  /** Every element matching a CSS selector (possibly none). */
  async findAll(selector) {
    const refs = await this.command('POST', '/elements', {
      using: 'css selector',
      value: selector,
    });
    return refs.map((ref) => new Element(this, ref[ELEMENT_KEY], selector));
  }

  /** Waits until an element matches the selector (and, with `visible`, is displayed). */
  waitFor(selector, { timeoutMs = 10_000, visible = false } = {}) {
    return waitUntil(
      async () => {
        const element = await this.find(selector);
        return !visible || (await element.isDisplayed()) ? element : null;
      },
      { timeoutMs, what: `${visible ? 'a visible ' : ''}element "${selector}"` },
    );
  }

  /** Runs a function body in the page (`arguments` holds `args`) and returns its result. */
  execute(script, ...args) {
    return this.command('POST', '/execute/sync', { script, args });
  }

  /**
   * Runs a function body in the page that ends by calling its last argument (the driver adds
   * it), and returns what it was called with.
   */
  executeAsync(script, ...args) {
    return this.command('POST', '/execute/async', { script, args });
  }

  title() {
    return this.command('GET', '/title');
  }

  /** A PNG of the web view, as a Buffer. */
  async screenshot() {
    return Buffer.from(await this.command('GET', '/screenshot'), 'base64');
  }

  /** Ends the session: the driver closes the application. */
  async delete() {
    await send(this.baseUrl, 'DELETE', `/session/${this.id}`);
  }
}

/** An element of the page, as found by a CSS selector. */
export class Element {
  constructor(session, id, selector) {
    this.session = session;
    this.id = id;
    this.selector = selector;
  }

  command(method, path, body) {
    return this.session.command(method, `/element/${this.id}${path}`, body);
  }

  click() {
    return this.command('POST', '/click', {});
  }

  /** Types text into the element, after what it already holds. */
  sendKeys(text) {
    return this.command('POST', '/value', { text });
  }

  clear() {
    return this.command('POST', '/clear', {});
  }

  /** The rendered text, as a person sees it. */
  text() {
    return this.command('GET', '/text');
  }

  /** An HTML attribute, or null. */
  attribute(name) {
    return this.command('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  /** A DOM property (e.g. "value" of an input, "checked" of a checkbox). */
  property(name) {
    return this.command('GET', `/property/${encodeURIComponent(name)}`);
  }

  tagName() {
    return this.command('GET', '/name');
  }

  isDisplayed() {
    return this.command('GET', '/displayed');
  }

  /** The W3C reference, to pass an element as an argument to `Session.execute`. */
  toJSON() {
    return { [ELEMENT_KEY]: this.id };
  }
}
