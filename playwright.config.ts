import { defineConfig, devices } from '@playwright/test';
import { BASE_FLAGS, CHROMIUM_EXECUTABLE, WEBGPU_FLAGS } from './scripts/chromium.ts';

// E2E_PORT lets several checkouts on one machine run their browser tests side by side.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  timeout: 60_000,
  use: {
    baseURL: BASE_URL,
    // The page picks its language from the browser's; tests that want Spanish ask for it.
    locale: 'en-US',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /train-webgpu\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1400, height: 900 },
        launchOptions: { ...CHROMIUM_EXECUTABLE, args: BASE_FLAGS },
      },
    },
    {
      name: 'webgpu',
      testMatch: /train-webgpu\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1400, height: 900 },
        launchOptions: { ...CHROMIUM_EXECUTABLE, args: [...BASE_FLAGS, ...WEBGPU_FLAGS] },
      },
    },
  ],
  webServer: {
    // Serves the production build (`npm run test:e2e` builds first) with the same COOP/COEP headers.
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
