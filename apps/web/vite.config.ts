import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Paths from this file, so `vite build --config apps/web/vite.config.ts` works from any directory.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);
const apiUrl = process.env.DONDOC_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  // The UI imports the API's contracts for their types only (erased at build); the alias lets the type
  // imports resolve the same way for tsc and for Vite.
  resolve: { alias: { '@app/contracts': `${here}../../libs/contracts/src`, '@app/domain': `${here}../../libs/domain/src` } },
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: {
        // Libraries change less often than our code: separate chunks keep their cache across releases.
        manualChunks: {
          react: ['react', 'react-dom', 'react-router-dom'],
          antd: ['antd', '@ant-design/icons'],
          charts: ['recharts'],
        },
      },
    },
  },
  // `npm run dev` (deploy/local/dev.js) serves the UI from here with live reload and passes the API's address;
  // everything the API answers itself goes there: the JSON API, its docs, health and signed e-mail links (/a/…).
  server: {
    proxy: Object.fromEntries(['^/api/', '^/docs', '^/health', '^/a/'].map((path) => [path, { target: apiUrl, changeOrigin: false }])),
  },
});
