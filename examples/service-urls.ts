/** Where the demo finds the service: the URLs given, else the ports and host the service itself reads. */
export interface ServiceUrls {
  apiUrl: string;
  wsUrl: string;
}

/**
 * `API_URL` / `WS_URL` when set; otherwise built from `API_PORT` / `SERVER_PORT` (defaults
 * 8081 / 8080, as in src/config.ts) and `HOST`, so that the demo reaches a service started
 * with the same environment. A wildcard HOST (the default 0.0.0.0) is reached on localhost.
 */
export function serviceUrls(env: NodeJS.ProcessEnv): ServiceUrls {
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  const at = (port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  return {
    apiUrl: env.API_URL ?? `http://${at(env.API_PORT ?? '8081')}/graphql`,
    wsUrl: env.WS_URL ?? `ws://${at(env.SERVER_PORT ?? '8080')}/graphql`,
  };
}
