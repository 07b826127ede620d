import { describe, expect, it } from "vitest";
import { configFrom } from "./config";

const page = { protocol: "https:", hostname: "console.example.com" };

describe("the console's configuration", () => {
  it("takes the REST API and the WebSocket from config.json", () => {
    const config = configFrom({ api_url: "https://abc.execute-api.eu-west-1.amazonaws.com/prod/", websocket_url: "wss://def.execute-api.eu-west-1.amazonaws.com/prod" }, page);
    expect(config).toEqual({ apiUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/prod", websocketUrl: "wss://def.execute-api.eu-west-1.amazonaws.com/prod" });
  });

  it("calls the page's own origin when config.json names no REST API, as the local cloud's does", () => {
    expect(configFrom({ websocket_url: "ws://127.0.0.1:3001" }, page)).toEqual({ apiUrl: "", websocketUrl: "ws://127.0.0.1:3001" });
  });

  it("falls back to the page's host on the local cloud's WebSocket port without config.json", () => {
    expect(configFrom(null, page)).toEqual({ apiUrl: "", websocketUrl: "wss://console.example.com:3001" });
    expect(configFrom({ api_url: 42 }, { protocol: "http:", hostname: "127.0.0.1" })).toEqual({ apiUrl: "", websocketUrl: "ws://127.0.0.1:3001" });
  });
});
