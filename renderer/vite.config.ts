import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The renderer is served by the engine (`logscope serve`, or the desktop window), from dist/renderer.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Rolldown's PLUGIN_TIMINGS note (the Vue SFC transform is most of a 4 s build) is not
    // actionable and, printed in yellow by `npm start`, reads to a new user as a problem.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
