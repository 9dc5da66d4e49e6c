import jwt from 'jsonwebtoken';
import { graphql } from '../gql';
import { gql, gqlData } from './http';
import { uniqueName } from './factories';
import type { TestServers } from './servers';

/** Sessions' operations (issue 11): sign-up with the refresh token, refresh, logout. */

export const SessionPayloadFields = graphql(`
  fragment SessionPayloadFields on AuthPayload {
    token
    expiresAt
    refreshToken
    refreshExpiresAt
    user { id }
  }
`);

export const RegisterSessionDoc = graphql(`
  mutation RegisterSession($username: String!, $password: String!) {
    register(username: $username, password: $password) { ...SessionPayloadFields }
  }
`);

export const LoginSessionDoc = graphql(`
  mutation LoginSession($username: String!, $password: String!) {
    login(username: $username, password: $password) { ...SessionPayloadFields }
  }
`);

export const RefreshSessionDoc = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { ...SessionPayloadFields user { username } }
  }
`);

export const LogoutDoc = graphql(`
  mutation Logout {
    logout
  }
`);

/** What a client holds of one session. */
export interface SessionTokens {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

export interface SessionUser extends SessionTokens {
  id: string;
  username: string;
  password: string;
}

export const password = 'correct horse battery';

/** Registers a new user: their first session. */
export async function signUpWithSession(servers: Pick<TestServers, 'httpUrl'>, prefix = 'user'): Promise<SessionUser> {
  const username = uniqueName(prefix);
  const { register } = await gqlData(servers.httpUrl, RegisterSessionDoc, { username, password });
  return { id: register.user.id, username, password, ...tokensOf(register) };
}

/** Signs the user in again: another session. */
export async function logIn(servers: Pick<TestServers, 'httpUrl'>, user: { username: string }): Promise<SessionTokens> {
  return tokensOf((await gqlData(servers.httpUrl, LoginSessionDoc, { username: user.username, password })).login);
}

export function refresh(servers: Pick<TestServers, 'httpUrl'>, refreshToken: string) {
  return gql(servers.httpUrl, RefreshSessionDoc, { refreshToken });
}

export function logout(servers: Pick<TestServers, 'httpUrl'>, token: string) {
  return gql(servers.httpUrl, LogoutDoc, {}, token);
}

export function tokensOf(payload: SessionTokens): SessionTokens {
  return { token: payload.token, expiresAt: payload.expiresAt, refreshToken: payload.refreshToken, refreshExpiresAt: payload.refreshExpiresAt };
}

/** The access token's `sid` claim (read without verifying). */
export function sessionIdOf(token: string): string {
  const claims = jwt.decode(token);
  if (!claims || typeof claims === 'string' || typeof claims.sid !== 'string') throw new Error('token without a sid claim');
  return claims.sid;
}
