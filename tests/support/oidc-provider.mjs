// A real OpenID Provider (the certified `oidc-provider` package) for the integration tests.
//
//   node oidc-provider.mjs CONFIG.json
//
// Listens on 127.0.0.1 on a free port, then prints one JSON line on stdout:
//   {"issuer":"http://127.0.0.1:PORT","port":PORT}
// It exits when its standard input closes, so it never outlives the test that started it.
//
// CONFIG.json:
//   clients: oidc-provider client metadata (client_id, client_secret, redirect_uris,
//            token_endpoint_auth_method, ...)
//   accounts: { "<login>": { claims } } — the claims of each user; any other login gets defaults
//   pkceRequiredFor: client ids for which the provider insists on PKCE
//   jwtAccessTokens: true to issue JWT access tokens (resource indicators), whose userinfo
//                    calls the provider then refuses
//   conformIdTokenClaims: true to deliver scope claims through userinfo only
//   userinfoOnly: claim names left out of ID tokens, so that only userinfo delivers them (as
//                 providers do with claims too large or too private for a token)
//   resource: the resource indicator's URL (default http://127.0.0.1/api)
//   clientAuthMethods: the token endpoint authentication methods the provider accepts
//   refreshTokens: true to issue a refresh token to every client allowed the refresh_token
//                  grant, without asking for offline_access
import http from "node:http";
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const resource = config.resource ?? "http://127.0.0.1/api";

function claimsFor(login) {
  const base = {
    sub: login,
    email: `${login}@example.org`,
    email_verified: true,
    given_name: "Ada",
    family_name: "Lovelace",
    name: "Ada Lovelace",
    preferred_username: login,
  };
  return { ...base, ...(config.accounts?.[login] ?? {}) };
}

const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: config.clients ?? [],
  cookies: { keys: ["test-cookie-key-not-secret"] },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
    roles: ["roles", "groups"],
  },
  scopes: ["openid", "email", "profile", "roles", "offline_access"],
  ...(config.clientAuthMethods ? { clientAuthMethods: config.clientAuthMethods } : {}),
  conformIdTokenClaims: config.conformIdTokenClaims ?? false,
  ...(config.refreshTokens
    ? { issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token") }
    : {}),
  responseTypes: ["code"],
  pkce: {
    required: (_ctx, client) => (config.pkceRequiredFor ?? []).includes(client.clientId),
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: Boolean(config.jwtAccessTokens),
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "openid email profile roles",
        audience: resource,
        accessTokenFormat: "jwt",
      }),
    },
  },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      claims: async (use) => {
        const claims = claimsFor(id);
        if (use === "id_token") for (const name of config.userinfoOnly ?? []) delete claims[name];
        return claims;
      },
    };
  },
  renderError(ctx, out) {
    ctx.type = "html";
    ctx.body = `<!doctype html><title>error</title><pre id="error">${String(out.error)}: ${String(out.error_description ?? "")}</pre>`;
  },
});
provider.on("server_error", (_ctx, err) => console.error("provider server_error:", err));

server.on("request", provider.callback());
process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
// Whoever started us may stop reading after that line: keep everything else off stdout, so a
// closed pipe can never take the provider down.
process.stdout.on("error", () => {});
console.log = console.info = (...args) => console.error(...args);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
