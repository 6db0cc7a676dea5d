import { defineConfig } from "vite";

// The API serves dist/ in every environment; `npm run dev` proxies API calls to it.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  server: { proxy: { "/health": "http://127.0.0.1:8000", "/ready": "http://127.0.0.1:8000" } },
  build: { outDir: "dist", sourcemap: true },
});
