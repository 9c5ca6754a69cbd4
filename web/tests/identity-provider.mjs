// A real OpenID Provider for the browser tests (npm oidc-provider, a certified implementation),
// in this process on a loopback port, with its own login and consent pages. Its accounts are
// the login names of `accounts`; each carries the groups given, in its ID token's `groups`
// claim. It registers one confidential client whose redirect URL is Leadline's callback.

import http from 'node:http';
import Provider from 'oidc-provider';

/**
 * Listens first, so that the issuer (its URL) is known; the provider is mounted once the
 * client's redirect URL is known too.
 * @returns {Promise<{ issuer: string, register: (client: object) => void, stop: () => Promise<void> }>}
 */
export async function startIdentityProvider(accounts) {
  let handler = (req, res) => {
    res.statusCode = 503;
    res.end('not ready');
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const register = ({ clientId, clientSecret, redirectUri }) => {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
      // The groups go in the ID token itself, as Okta, Entra ID and Keycloak are set up to do.
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      cookies: { keys: ['browser-tests-only'] },
      ttl: {
        AccessToken: 600,
        AuthorizationCode: 60,
        Grant: 3600,
        IdToken: 600,
        Interaction: 600,
        Session: 3600,
      },
      async findAccount(_ctx, id) {
        const account = accounts[id];
        if (!account) return undefined;
        return {
          accountId: id,
          async claims() {
            return { sub: id, email: `${id}@example.com`, name: id, groups: account.groups };
          },
        };
      },
    });
    // Its own warnings about development keys and pages are expected here.
    provider.on('server_error', (_ctx, error) => console.error('identity provider:', error));
    handler = provider.callback();
  };
  const stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { issuer, register, stop };
}
