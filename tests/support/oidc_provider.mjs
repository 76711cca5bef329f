// A real OpenID Connect provider for the tests (npm oidc-provider), on 127.0.0.1 only.
// Usage: node oidc_provider.mjs PORT REDIRECT_URI POST_LOGOUT_URI
// One confidential client "hebu" (PKCE required), accounts with a hetu claim.
import Provider from "oidc-provider";

const [port, redirectUri, postLogoutUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const accounts = {
  "test-client": { name: "Testi Asiakas", email: "testi@example.fi", hetu: "010190-123A", locale: "fi" },
  "no-hetu": { name: "Staff Person", email: "staff@example.fi", locale: "sv" },
};

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
process.on("SIGTERM", () => process.exit(0));
provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
