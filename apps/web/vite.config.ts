import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm --filter @tickets/web dev`: Vite serves the console and forwards the API's paths to a running
// server (API_URL, default the server's own default address). The Host header is kept, so the API
// sees the page's own origin and its CSRF check passes as it does in production.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The SDK's React entry and the console must share one React and one TanStack Query.
    dedupe: ['react', 'react-dom', '@tanstack/react-query'],
  },
  server: {
    proxy: {
      '/trpc': { target: api },
      '/api': { target: api },
      '/healthz': { target: api },
    },
  },
  build: {
    target: 'es2022',
    // The server sends the console's own CSP (script-src 'self'): no inline script may be emitted.
    assetsInlineLimit: 0,
    // One entry chunk (one round trip for all the code). Its real budget, 200 KB gzip, is measured by
    // `pnpm --filter @tickets/web budgets`; Vite's default warning is about raw size.
    chunkSizeWarningLimit: 1024,
  },
});
