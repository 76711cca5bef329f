// A real OpenID Connect provider for the tests (npm oidc-provider), on 127.0.0.1 only.
// Usage: node oidc_provider.mjs PORT REDIRECT_URI POST_LOGOUT_URI
// One confidential client "hebu" (PKCE required), accounts with a hetu claim.
//
// Test controls on the same port (loopback only, never in the app):
//   POST /__test/rotate   the provider is rebuilt with the other signing key (the old one is
//                         no longer published), as an IdP restarted with rotated keys;
//   POST /__test/forge    {"claims": {...}} (null removes one) | {"key": "stranger"} | {"tamper": "signature" |
//                         "payload"} | {"alg": "none" | "HS256", "secret": "..."}: the next
//                         token response carries an ID token changed that way;
//   POST /__test/reset    forget a pending forge;
//   GET  /__test/stats    {"jwks_requests": n, "discovery_requests": n, "code_verifier": the
//                         last one the token endpoint got, "kid": the signing key}.
import http from "node:http";
import Provider from "oidc-provider";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from "jose";

const [port, redirectUri, postLogoutUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const accounts = {
  "test-client": { name: "Testi Asiakas", email: "testi@example.fi", hetu: "010190-123A", locale: "fi" },
  "no-hetu": { name: "Staff Person", email: "staff@example.fi", locale: "sv" },
};

async function signingKey(kid) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
}

const keys = [await signingKey("key-1"), await signingKey("key-2")];
const stranger = await signingKey("stranger");
let current = 0;
let forge = null;
const stats = { jwks_requests: 0, discovery_requests: 0, code_verifier: null };

const b64url = (data) => Buffer.from(data).toString("base64url");

async function reforged(raw, how) {
  const [header, payload, signature] = raw.split(".");
  const claims = { ...decodeJwt(raw), ...(how.claims || {}) };
  for (const [name, value] of Object.entries(claims)) if (value === null) delete claims[name];
  if (how.tamper === "payload") {
    return [header, b64url(JSON.stringify({ ...claims, sub: "someone-else" })), signature].join(".");
  }
  if (how.tamper === "signature") {
    const bytes = Buffer.from(signature, "base64url");
    bytes[bytes.length >> 1] ^= 0x01;
    return [header, payload, bytes.toString("base64url")].join(".");
  }
  if (how.alg === "none") {
    return [b64url(JSON.stringify({ alg: "none", typ: "JWT" })), b64url(JSON.stringify(claims)), ""].join(".");
  }
  if (how.alg === "HS256") {
    const secret = new TextEncoder().encode(how.secret);
    return new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: keys[current].kid }).sign(secret);
  }
  const key = how.key === "stranger" ? stranger : keys[current];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .sign(await importJWK(key, "RS256"));
}

function build(signing) {
  const provider = new Provider(issuer, {
    clients: [{
      client_id: "hebu",
      client_secret: "hebu-test-secret",
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    }],
    jwks: { keys: [signing] },
    pkce: { required: () => true },
    claims: { openid: ["sub"], profile: ["name", "locale", "hetu"], email: ["email"] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ["test-cookie-key-0123456789"] },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...account }; } };
    },
    // A first-party broker: the user is not asked for consent.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid profile email");
      grant.addOIDCClaims(["name", "email", "locale", "hetu"]);
      await grant.save();
      return grant;
    },
  });
  provider.proxy = false;
  provider.use(async (ctx, next) => {
    if (ctx.method === "GET" && ctx.path === "/jwks") stats.jwks_requests += 1;
    if (ctx.path === "/.well-known/openid-configuration") stats.discovery_requests += 1;
    await next();
    if (ctx.method !== "POST" || ctx.path !== "/token") return;
    stats.code_verifier = ctx.oidc?.params?.code_verifier ?? null;
    if (forge && ctx.status === 200 && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: await reforged(ctx.body.id_token, forge) };
      forge = null;
    }
  });
  return provider.callback();
}

let handler = build(keys[current]);

async function control(req, res) {
  let body = "";
  for await (const chunk of req) body += chunk;
  const path = req.url.split("?")[0];
  if (req.method === "POST" && path === "/__test/rotate") {
    current = 1 - current;
    handler = build(keys[current]);
  } else if (req.method === "POST" && path === "/__test/forge") {
    forge = JSON.parse(body || "{}");
  } else if (req.method === "POST" && path === "/__test/reset") {
    forge = null;
  } else if (!(req.method === "GET" && path === "/__test/stats")) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ ...stats, kid: keys[current].kid }));
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith("/__test/")) control(req, res);
  else handler(req, res);
});
process.on("SIGTERM", () => process.exit(0));
server.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
