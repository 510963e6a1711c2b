// Peers the end-to-end scenarios start on 127.0.0.1 and stop themselves: the real OpenID
// Provider of tests/support, and a server that accepts connections and never answers.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { repoRoot } from './app.mjs';

const PROVIDER_START_TIMEOUT_MS = 30_000;
const PROVIDER_STOP_TIMEOUT_MS = 5_000;
const OUTPUT_LIMIT = 4_000;

/**
 * Starts `node tests/support/oidc-provider.mjs CONFIG` and waits (bounded) for the line it prints
 * once it listens. Returns `{ issuer, port, stop() }`; stop() closes its stdin, on which it exits.
 */
export async function startOidcProvider(config) {
  const support = join(repoRoot, 'tests', 'support');
  if (!existsSync(join(support, 'node_modules', 'oidc-provider'))) {
    throw new Error(
      'oidc-provider is not installed: run scripts/install-deps.sh (npm ci in tests/support)',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'sso-console-oidc-'));
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [join(support, 'oidc-provider.mjs'), configFile], {
    cwd: support,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-OUTPUT_LIMIT);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const stop = async () => {
    child.stdin.end();
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(resolve, PROVIDER_STOP_TIMEOUT_MS, 'timeout');
    });
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  };

  const lines = createInterface({ input: child.stdout });
  let timer;
  try {
    const ready = await Promise.race([
      new Promise((resolve, reject) => {
        lines.on('line', (line) => {
          try {
            const parsed = JSON.parse(line);
            if (parsed?.issuer) resolve(parsed);
          } catch {
            // not the ready line
          }
        });
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`the provider exited (${code})`)));
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no ready line within ${PROVIDER_START_TIMEOUT_MS} ms`)),
          PROVIDER_START_TIMEOUT_MS,
        );
      }),
    ]);
    return { issuer: ready.issuer, port: ready.port, stop };
  } catch (error) {
    await stop();
    throw new Error(`the OpenID Provider did not start: ${error.message}\n${stderr}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A TCP server on 127.0.0.1 that accepts connections and never answers, for a request that
 * is still waiting when the person cancels. Returns `{ url, stop() }`.
 */
export async function startSilentServer() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    // Read and drop the request, so that the client closing its side is seen (as 'close').
    socket.resume();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Connections the client still holds open. */
    openConnections: () => sockets.size,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
