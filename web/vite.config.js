// Vite builds web/ into static files that cmake/EmbedWebApp.cmake embeds into the binary. Nothing
// is inlined (the server's Content-Security-Policy allows this origin's files only), every name is
// content-hashed, and `npm run dev` proxies the API to a local `evently serve`.
import { defineConfig } from 'vite';

const api = process.env.EVENTLY_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2020',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
});
