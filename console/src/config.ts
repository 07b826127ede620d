// Where the WebSocket API is: the local cloud writes it into /config.json; without one, the page's
// own host on port 3001 (the local cloud's default).
export interface ConsoleConfig {
  websocketUrl: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch("/config.json", { headers: { Accept: "application/json" } });
    if (response.ok) {
      const body = (await response.json()) as { websocket_url?: unknown };
      if (typeof body.websocket_url === "string") {
        return { websocketUrl: body.websocket_url };
      }
    }
  } catch {
    // fall through to the default
  }
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return { websocketUrl: `${scheme}://${location.hostname}:3001` };
}
