// Network helpers for the end-to-end harness; everything stays on 127.0.0.1.

import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that is free right now (for a server or a fixed redirect port). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
