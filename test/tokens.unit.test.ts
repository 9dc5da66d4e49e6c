import { createTokenService } from '../src/auth';

/** Verified tokens are remembered (see auth.ts): the memory must never outlive a token's validity. */
describe('token verification', () => {
  const secret = 'unit-test-secret-that-is-long-enough-for-hs256';

  test('a remembered token still expires', async () => {
    const tokens = createTokenService(secret, 1);
    const { token, expiresAt } = tokens.issue('user-1');
    expect(tokens.verify(token)).toEqual({ id: 'user-1' });
    expect(tokens.verify(token)).toEqual({ id: 'user-1' });
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
    expect(tokens.verify(token)).toBeNull();
  });

  test('a token signed with another secret, or altered, is refused however often it is presented', () => {
    const tokens = createTokenService(secret, 60);
    const foreign = createTokenService(`${secret}-other`, 60).issue('user-1').token;
    const { token } = tokens.issue('user-2');
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (let i = 0; i < 2; i++) {
      expect(tokens.verify(foreign)).toBeNull();
      expect(tokens.verify(altered)).toBeNull();
    }
    expect(tokens.verify(token)).toEqual({ id: 'user-2' });
  });
});
