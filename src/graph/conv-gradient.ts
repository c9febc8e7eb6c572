/**
 * Why a convolution's kernel gradient is a sum over positions. A Conv2D uses the same kernel at every
 * output position p, so by the chain rule
 *
 *   ∂L/∂W[ky, kx, ci, o] = Σ_n Σ_p  x[n, top(p) + ky·d_h, left(p) + kx·d_w, ci] · δ[n, p, o]
 *
 * where δ = ∂L/∂z is the upstream gradient at the layer's pre-activation output and the window of p
 * starts at (oy·s_h − pad_top, ox·s_w − pad_left). Each position contributes one kh×kw term (input patch
 * × its δ, summed over the batch); the kernel's gradient is their sum. Padding reads zeros. Pure, no
 * tfjs: the worker feeds it real tensors, the tests hold its sum to tfjs's own gradient.
 */

export interface ConvGeometry {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Zeros before the first row and column (TensorFlow's 'same' split, or 0 for 'valid'). */
  readonly padTop: number;
  readonly padLeft: number;
}

/** One slice of a kernel (input channel `ci` into output channel `o`) and the batch it was used on. */
export interface PositionTermsInput {
  /** The layer's input, channels-last [n, h, w, cin]. */
  readonly input: Float32Array;
  readonly inputShape: readonly [number, number, number, number];
  /** ∂L/∂z at the layer's pre-activation output, [n, ho, wo, cout]. */
  readonly delta: Float32Array;
  readonly deltaShape: readonly [number, number, number, number];
  readonly geometry: ConvGeometry;
  readonly ci: number;
  readonly o: number;
}

/**
 * The per-position terms, laid out [ho, wo, kh, kw]: term (oy, ox) is that window's input patch times
 * δ there, summed over the batch.
 */
export function positionTerms(a: PositionTermsInput): Float32Array {
  const [n, h, w, cin] = a.inputShape;
  const [dn, ho, wo, cout] = a.deltaShape;
  const [kh, kw] = a.geometry.kernel;
  const [sh, sw] = a.geometry.strides;
  const [dh, dw] = a.geometry.dilation;
  if (dn !== n) throw new Error(`The input holds ${n} images but the upstream gradient ${dn}.`);
  if (a.ci < 0 || a.ci >= cin || a.o < 0 || a.o >= cout) throw new Error(`No kernel slice ${a.ci}→${a.o} in ${cin}→${cout} channels.`);
  const size = kh * kw;
  const terms = new Float32Array(ho * wo * size);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const g = a.delta[((b * ho + oy) * wo + ox) * cout + a.o];
        if (g === 0) continue;
        const at = (oy * wo + ox) * size;
        for (let ky = 0; ky < kh; ky++) {
          const y = oy * sh - a.geometry.padTop + ky * dh;
          if (y < 0 || y >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const x = ox * sw - a.geometry.padLeft + kx * dw;
            if (x < 0 || x >= w) continue;
            terms[at + ky * kw + kx] += a.input[((b * h + y) * w + x) * cin + a.ci] * g;
          }
        }
      }
    }
  }
  return terms;
}

/** Σ over positions of `terms` ([positions, size]): the kernel slice's gradient, [size]. */
export function sumTerms(terms: Float32Array, size: number): Float32Array {
  const sum = new Float64Array(size);
  for (let i = 0; i < terms.length; i++) sum[i % size] += terms[i];
  return Float32Array.from(sum);
}

/** Each position's share of the gradient as one number: the L2 norm of its term (the heat map). */
export function termNorms(terms: Float32Array, size: number): Float32Array {
  const out = new Float32Array(terms.length / size);
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let i = 0; i < size; i++) s += terms[p * size + i] ** 2;
    out[p] = Math.sqrt(s);
  }
  return out;
}
