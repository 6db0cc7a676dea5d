import { defineConfig } from "vite";

// The API serves dist/ in every environment. `npm run dev` serves the app itself and proxies every API path (all
// paths but the app's own /app/ routes and Vite's files) to the API of `make up`.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  server: {
    proxy: {
      "^/(?!app(/|$)|src/|@|node_modules/).+": { target: "http://127.0.0.1:8000", ws: false },
    },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 1200 },
});
