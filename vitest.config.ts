import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Two projects: `unit` (next to the code, fast, no processes) and `cross` (tests/, real
// processes, real clients, a real browser). `npm test` runs both, after lint and type-check.
export default defineConfig({
  plugins: [vue()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{broker,engine,electron,launcher,renderer,scripts}/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'cross',
          include: ['tests/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
