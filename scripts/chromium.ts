/**
 * The headless Chromium that every browser run drives, the Playwright tests (playwright.config.ts) and
 * the browser benchmarks (bench-browser.ts) alike, so a flag changed for one is changed for all.
 */
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** Launch options: Debian's Chromium where installed (.ci/run installs it); otherwise Playwright's own download. */
export const CHROMIUM_EXECUTABLE: { executablePath?: string } = existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {};
export const BASE_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** WebGPU without a GPU: Chromium's SwiftShader adapter (Vulkan on the CPU). */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];
