// Where the APIs are: /config.json beside the page names them (the local cloud writes it, a deployed
// stack publishes it). Without an `api_url` the REST API is the page's own origin; without a
// `websocket_url`, the page's own host on port 3001 (the local cloud's default).
export interface ConsoleConfig {
  /** The REST API's base URL, without a trailing slash; "" is the page's own origin. */
  apiUrl: string;
  websocketUrl: string;
}

export function configFrom(body: unknown, page: Pick<Location, "protocol" | "hostname">): ConsoleConfig {
  const fields = typeof body === "object" && body !== null ? (body as { api_url?: unknown; websocket_url?: unknown }) : {};
  const scheme = page.protocol === "https:" ? "wss" : "ws";
  return {
    apiUrl: typeof fields.api_url === "string" ? fields.api_url.replace(/\/+$/, "") : "",
    websocketUrl: typeof fields.websocket_url === "string" ? fields.websocket_url : `${scheme}://${page.hostname}:3001`,
  };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  let body: unknown = null;
  try {
    const response = await fetch("/config.json", { headers: { Accept: "application/json" } });
    if (response.ok) {
      body = (await response.json()) as unknown;
    }
  } catch {
    // the defaults below
  }
  return configFrom(body, location);
}
