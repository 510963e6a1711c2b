// The real SCIM 2.0 server the Rust tests use (`scim2-server`, installed by
// scripts/install-python-peers.sh), started on 127.0.0.1 for the end-to-end scenarios, optionally
// with the learning platform's custom extension whose `region` is required (as
// tests/core/scim_support.rs serves it).

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

import { freePort } from "./net.mjs";
import { waitUntil } from "./webdriver.mjs";

/** The learning platform's extension (seed 002). */
export const ILMS = "urn:ietf:params:scim:schemas:extension:ilms:2.0:User";

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_LIMIT = 4_000;

/** `SSO_SCIM_SERVER_BIN`, else the virtual environment in the cache, as the Rust tests look. */
function serverBinary() {
  if (process.env.SSO_SCIM_SERVER_BIN) return process.env.SSO_SCIM_SERVER_BIN;
  const cache =
    process.env.SSO_CONSOLE_CACHE || join(homedir(), ".cache", "sso-console");
  return join(cache, "scim-venv", "bin", "scim2-server");
}

async function launch({ token, files = null }) {
  const binary = serverBinary();
  if (!existsSync(binary)) {
    throw new Error(
      `the SCIM test server is not installed at ${binary}: run scripts/install-python-peers.sh ` +
        "(or point SSO_SCIM_SERVER_BIN at a scim2-server executable)",
    );
  }
  const port = await freePort();
  const args = [
    "--bearer-token",
    token,
    "--hostname",
    "127.0.0.1",
    "--port",
    String(port),
  ];
  if (files !== null)
    args.push("--schema", files.schemas, "--resource-type", files.types);
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exitCode = null;
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = code ?? signal;
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (exitCode !== null) return;
    child.kill("SIGTERM");
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(resolve, STOP_TIMEOUT_MS, "timeout");
    });
    if ((await Promise.race([exited, timeout])) === "timeout") {
      child.kill("SIGKILL");
      await exited;
    }
    clearTimeout(timer);
  };

  const getJson = async (path) => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };

  try {
    await waitUntil(
      async () => {
        if (exitCode !== null)
          throw new Error(`scim2-server exited (${exitCode}):\n${output}`);
        try {
          const response = await fetch(`${baseUrl}/ServiceProviderConfig`, {
            headers: { Authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(1_000),
          });
          return response.status < 500;
        } catch {
          return false;
        }
      },
      {
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 100,
        what: `scim2-server on port ${port}`,
      },
    );
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output}`, { cause: error });
  }
  return { baseUrl, token, getJson, stop, output: () => output };
}

function attribute(name, type, required) {
  return {
    name,
    type,
    multiValued: false,
    description: name,
    required,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
  };
}

/**
 * Starts scim2-server with a fresh bearer token. With `extension`, its schemas are the server's
 * own plus the learning platform's (required `region` with canonical values EMEA, AMER, APAC,
 * `hireDate`, `customField1`, `manager`), which the User resource type requires.
 * Returns `{ baseUrl, token, getJson(path), stop() }`.
 */
export async function startScimServer({ extension = false } = {}) {
  const token = `scim-token-${randomUUID().replaceAll("-", "")}-never-shown`;
  if (!extension) return launch({ token });

  const dir = await mkdtemp(join(tmpdir(), "sso-console-scim-"));
  try {
    const plain = await launch({ token });
    let schemas;
    try {
      schemas = await plain.getJson("/Schemas");
    } finally {
      await plain.stop();
    }
    const list = schemas.Resources.map(({ meta: _meta, ...schema }) => schema);
    const region = {
      ...attribute("region", "string", true),
      canonicalValues: ["EMEA", "AMER", "APAC"],
    };
    const manager = {
      ...attribute("manager", "complex", false),
      subAttributes: [
        attribute("displayName", "string", false),
        attribute("email", "string", false),
      ],
    };
    list.push({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
      id: ILMS,
      name: "IlmsUser",
      description: "Learning platform user",
      attributes: [
        region,
        attribute("hireDate", "dateTime", false),
        attribute("customField1", "string", false),
        manager,
      ],
    });
    const types = [
      {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        id: "User",
        name: "User",
        description: "User Account",
        endpoint: "/Users",
        schema: "urn:ietf:params:scim:schemas:core:2.0:User",
        schemaExtensions: [
          {
            schema:
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            required: false,
          },
          { schema: ILMS, required: true },
        ],
      },
      {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        id: "Group",
        name: "Group",
        description: "Group",
        endpoint: "/Groups",
        schema: "urn:ietf:params:scim:schemas:core:2.0:Group",
      },
    ];
    const files = {
      schemas: join(dir, "schemas.json"),
      types: join(dir, "resource-types.json"),
    };
    await writeFile(files.schemas, JSON.stringify(list));
    await writeFile(files.types, JSON.stringify(types));
    const server = await launch({ token, files });
    return {
      ...server,
      stop: async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
