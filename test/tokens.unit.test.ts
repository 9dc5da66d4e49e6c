import { createTokenService } from '../src/auth';

/** Verified tokens are remembered (see auth.ts): the memory must never outlive a token's validity. */
describe('token verification', () => {
  const secret = 'unit-test-secret-that-is-long-enough-for-hs256';

  test('a remembered token still expires', async () => {
    const tokens = createTokenService(secret, 1);
    const { token, expiresAt } = tokens.issue('user-1', 'session-1');
    expect(tokens.verify(token)).toMatchObject({ id: 'user-1', sessionId: 'session-1' });
    expect(tokens.verify(token)).toMatchObject({ id: 'user-1', sessionId: 'session-1' });
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
    expect(tokens.verify(token)).toBeNull();
  });

  test('a token signed with another secret, or altered, is refused however often it is presented', () => {
    const tokens = createTokenService(secret, 60);
    const foreign = createTokenService(`${secret}-other`, 60).issue('user-1', 'session-1').token;
    const { token } = tokens.issue('user-2', 'session-2');
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (let i = 0; i < 2; i++) {
      expect(tokens.verify(foreign)).toBeNull();
      expect(tokens.verify(altered)).toBeNull();
    }
    expect(tokens.verify(token)).toMatchObject({ id: 'user-2', sessionId: 'session-2' });
  });
});

describe('ended sessions', () => {
  const secret = 'unit-test-secret-that-is-long-enough-for-hs256';

  test("an ended session's tokens are refused, remembered or not; other sessions' are not", () => {
    const tokens = createTokenService(secret, 60);
    const remembered = tokens.issue('user-1', 'session-1').token;
    expect(tokens.verify(remembered)).not.toBeNull();
    const fresh = tokens.issue('user-1', 'session-1').token;
    const other = tokens.issue('user-1', 'session-2').token;
    tokens.endSession('session-1', new Date());
    expect(tokens.verify(remembered)).toBeNull();
    expect(tokens.verify(fresh)).toBeNull();
    expect(tokens.verify(other)).toMatchObject({ sessionId: 'session-2' });
  });

  test('an end older than the token lifetime is not remembered (its tokens expired by themselves)', () => {
    const tokens = createTokenService(secret, 60);
    tokens.endSession('session-1', new Date(Date.now() - 62_000));
    expect(tokens.isSessionEnded('session-1')).toBe(false);
    tokens.endSession('session-2', new Date(Date.now() - 30_000));
    expect(tokens.isSessionEnded('session-2')).toBe(true);
  });

  test('a token without a session (issued before sessions existed) is refused', () => {
    const jwt = require('jsonwebtoken') as typeof import('jsonwebtoken');
    const tokens = createTokenService(secret, 60);
    const old = jwt.sign({}, secret, { algorithm: 'HS256', subject: 'user-1', expiresIn: 60 });
    expect(tokens.verify(old)).toBeNull();
  });
});
