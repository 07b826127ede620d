// `npm run dev`: Vite's hot reload on http://127.0.0.1:5173, the API proxied to a running local cloud
// (`make dev`; LEARNFLOW_HTTP_PORT when it is not 8180). The WebSocket URL comes from the local
// cloud's /config.json, so the socket goes straight to the local cloud's WebSocket port.
import { defineConfig } from "vitest/config";

const localCloud = `http://127.0.0.1:${process.env["LEARNFLOW_HTTP_PORT"] ?? "8180"}`;

export default defineConfig({
  build: {
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": localCloud,
      "/health": localCloud,
      "/config.json": localCloud,
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
