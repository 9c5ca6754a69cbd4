import { defineConfig } from 'vite';

// `npm run dev` serves the page with hot reload and passes /v1/ and /graphql to a running
// `leadline serve`
// (LEADLINE_API_URL, default its own default address), so both answer from one origin.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/v1': process.env.LEADLINE_API_URL ?? 'http://127.0.0.1:8080',
      '/graphql': process.env.LEADLINE_API_URL ?? 'http://127.0.0.1:8080',
    },
  },
});
