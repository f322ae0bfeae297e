// Engine layer: the one random number generator of RNN Lab. A port of numpy's legacy `np.random.RandomState`
// (MT19937 + polar Box–Muller), bit for bit, so lessons can use the course's own seeds.
import { correctlyRoundedLog } from './correctlyRoundedLog';

const STATE_LENGTH = 624;
const SHIFT = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_32 = 4294967296;

/**
 * numpy-compatible generator: `new RandomState(1).randn()` equals `np.random.seed(1); np.random.randn()`.
 * Every method consumes the stream exactly as numpy's legacy methods do, so interleaved calls match too.
 */
export class RandomState {
  private readonly key = new Uint32Array(STATE_LENGTH);
  private position = STATE_LENGTH;
  private cachedGauss = 0;
  private hasCachedGauss = false;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** `np.random.seed(seed)` for an integer seed in [0, 2³²). */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
    }
    let s = seed >>> 0;
    for (let i = 0; i < STATE_LENGTH; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
    this.position = STATE_LENGTH;
    this.hasCachedGauss = false;
    this.cachedGauss = 0;
  }

  /** The next raw 32-bit output of MT19937. */
  nextUint32(): number {
    if (this.position >= STATE_LENGTH) this.regenerate();
    let y = this.key[this.position++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits: `np.random.random_sample()` / `rand()`. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * Standard normal: `np.random.randn()` (polar method; the second value of each pair is cached, as numpy does).
   * Reference note: numpy takes `log` from the C library, the one step of the method that is not an exactly rounded
   * IEEE operation. We use a correctly rounded log (V8's `Math.log` is off by an ulp for ~7% of arguments), which
   * matches numpy on glibc ≤ 2.27 always and on glibc ≥ 2.28 in all but ~0.1% of pairs, where numpy's own last bit
   * depends on the machine (see `correctlyRoundedLog`).
   */
  randn(): number {
    if (this.hasCachedGauss) {
      this.hasCachedGauss = false;
      return this.cachedGauss;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * correctlyRoundedLog(r2)) / r2);
    this.cachedGauss = f * x1;
    this.hasCachedGauss = true;
    return f * x2;
  }

  /** `np.random.uniform(low, high)`. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /**
   * An integer in [0, max] (inclusive), by masked rejection, as numpy's `random_interval` (used by `randint` and
   * `shuffle`). Bounds above 2³² − 1 draw 64-bit words, high half first, as numpy's `next_uint64` does; they are
   * limited here to 2⁵³ − 1, the largest integer a double holds exactly.
   */
  interval(max: number): number {
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new RangeError(`interval bound must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${max}`);
    }
    if (max === 0) return 0;
    if (max > 0xffffffff) return this.interval64(max);
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    while ((value = (this.nextUint32() & mask) >>> 0) > max);
    return value;
  }

  /** `np.random.randint(low, high)`: an integer in [low, high) (safe integers, high − low < 2⁵³). */
  randint(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low || high - low >= 2 ** 53) {
      throw new RangeError(`randint needs safe integers low < high with high − low < 2^53, got low=${low}, high=${high}`);
    }
    return low + this.interval(high - low - 1);
  }

  /**
   * `np.random.choice(n, p=probabilities)`: an index in [0, n). Without probabilities it is `randint(0, n)`;
   * with them, numpy's cumulative-sum search (one uniform draw, `searchsorted(side='right')`).
   */
  choice(n: number, probabilities?: ArrayLike<number>): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`choice needs a positive population size, got ${n}`);
    if (probabilities === undefined) return this.randint(0, n);
    if (probabilities.length !== n) {
      throw new RangeError(`choice: ${probabilities.length} probabilities for a population of ${n}`);
    }
    const cdf = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = probabilities[i];
      if (!(p >= 0) || !Number.isFinite(p)) throw new RangeError(`choice: probability ${i} is ${p}; probabilities must be finite and non-negative`);
      total += p;
      cdf[i] = total;
    }
    if (Math.abs(total - 1) > Math.sqrt(Number.EPSILON)) throw new RangeError(`choice: probabilities sum to ${total}, not 1`);
    for (let i = 0; i < n; i++) cdf[i] /= total;
    const u = this.random();
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] <= u) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(lo, n - 1);
  }

  /** `np.random.shuffle(items)` for a one-dimensional array, in place (Fisher–Yates from the end). */
  shuffle<T>(items: { length: number; [index: number]: T }): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
  }

  /** `np.random.randn(n)`: n standard normals in a fresh array. */
  randnArray(length: number): Float64Array {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = this.randn();
    return out;
  }

  /** `np.random.rand(n)`: n uniforms in [0, 1). */
  randArray(length: number): Float64Array {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = this.random();
    return out;
  }

  /** `random_interval` for 2³² ≤ max < 2⁵³: 64-bit words (high half first), masked to max's bit length. */
  private interval64(max: number): number {
    const highMax = Math.floor(max / TWO_32);
    let highMask = highMax;
    highMask |= highMask >>> 1;
    highMask |= highMask >>> 2;
    highMask |= highMask >>> 4;
    highMask |= highMask >>> 8;
    highMask |= highMask >>> 16;
    let value: number;
    do {
      const high = (this.nextUint32() & highMask) >>> 0;
      const low = this.nextUint32();
      value = high * TWO_32 + low;
    } while (value > max);
    return value;
  }

  private regenerate(): void {
    const key = this.key;
    let i = 0;
    for (; i < STATE_LENGTH - SHIFT; i++) {
      const y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + SHIFT] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < STATE_LENGTH - 1; i++) {
      const y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + SHIFT - STATE_LENGTH] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (key[STATE_LENGTH - 1] & UPPER_MASK) | (key[0] & LOWER_MASK);
    key[STATE_LENGTH - 1] = key[SHIFT - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.position = 0;
  }
}
