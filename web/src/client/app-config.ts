/** What the server tells the app at GET /app-config.json (src/servers/http/web-app.ts). */
export interface AppConfig {
  /** The graphql-ws endpoint (PUBLIC_WS_URL, or the API host with the WebSocket port). */
  wsUrl: string;
}

let loading: Promise<AppConfig> | null = null;

export function loadAppConfig(): Promise<AppConfig> {
  loading ??= fetch('/app-config.json', { headers: { accept: 'application/json' } })
    .then((response) => {
      if (!response.ok) throw new Error(`app-config.json: HTTP ${response.status}`);
      return response.json() as Promise<AppConfig>;
    })
    .catch((error: unknown) => {
      loading = null; // let the next attempt try again
      throw error;
    });
  return loading;
}
