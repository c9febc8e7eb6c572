/**
 * Loads the WASM backend with the training kernels tfjs does not ship for it (wasm-kernels.ts). Vite
 * resolves the .wasm files to hashed asset URLs; the threaded SIMD build runs when the page is
 * cross-origin isolated (SharedArrayBuffer), else the SIMD or plain one.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmTrainingKernels } from './wasm-kernels.ts';

let done = false;

export function prepareWasm(): void {
  if (done) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plain,
    'tfjs-backend-wasm-simd.wasm': simd,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
  });
  registerWasmTrainingKernels();
  done = true;
}
