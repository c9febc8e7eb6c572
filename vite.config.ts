import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation (COOP + COEP) unlocks SharedArrayBuffer, which the tfjs WASM backend needs for
 * threads. Both the dev server and `vite preview` (what the Playwright tests run against) send them, so
 * the tests see the same page users get.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, headers: isolationHeaders },
  preview: { port: 4173, strictPort: true, headers: isolationHeaders },
  build: { target: 'es2022' },
  worker: {
    format: 'es',
    rolldownOptions: {
      // The WASM backend starts its threads from `factory.toString()` of its Emscripten module; a
      // compressing minifier folds the module's `typeof _scriptDir < 'u'` guards against names of the
      // enclosing scope, which the thread's copy lacks ("e is not defined"). Mangling alone is safe.
      output: { minify: { compress: false, mangle: true } },
    },
  },
});
