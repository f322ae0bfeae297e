// Engine layer: a correctly rounded natural logarithm, so `RandomState.randn` gives numpy's bits (see `correctlyRoundedLog`).

const LN2_HI = 0.6931471805599453;       // ln 2 rounded to a double
const LN2_LO = 2.3190468138462996e-17;   // ln 2 − LN2_HI
const SPLITTER = 134217729;              // 2²⁷ + 1, Veltkamp's constant for splitting a double into two 26-bit halves
const TWO_54 = 18014398509481984;        // 2⁵⁴, scales subnormals into the normal range
const SQRT2 = Math.SQRT2;

/** Terms n = 0 … DOUBLE_DOUBLE_TERMS − 1 of the series are summed in double-double; the rest (< 2⁻⁵⁶ together) in double. */
const DOUBLE_DOUBLE_TERMS = 11;
const TOTAL_TERMS = 23;                  // t²² / 45 < 2⁻¹¹⁰ for t ≤ 0.0295

/** 1 / (2n + 1) as double-doubles: COEFF_HI[n] + COEFF_LO[n]. */
const COEFF_HI = new Float64Array(TOTAL_TERMS);
const COEFF_LO = new Float64Array(TOTAL_TERMS);

const bits = new DataView(new ArrayBuffer(8));

// Double-double results are returned through these two module variables rather than allocated tuples: the
// logarithm runs once per pair of normal deviates and must not produce garbage.
let resultHi = 0;
let resultLo = 0;

/** resultHi + resultLo = a + b exactly, |resultLo| ≤ ulp(resultHi) / 2 (Knuth's TwoSum). */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bVirtual = s - a;
  resultLo = (a - (s - bVirtual)) + (b - bVirtual);
  resultHi = s;
}

/** resultHi + resultLo = a · b exactly (Dekker's TwoProduct with Veltkamp splitting; no FMA needed). */
function twoProduct(a: number, b: number): void {
  const p = a * b;
  let c = SPLITTER * a;
  const aHi = c - (c - a);
  const aLo = a - aHi;
  c = SPLITTER * b;
  const bHi = c - (c - b);
  const bLo = b - bHi;
  resultLo = ((aHi * bHi - p) + aHi * bLo + aLo * bHi) + aLo * bLo;
  resultHi = p;
}

/** (aHi + aLo) · (bHi + bLo) to about 2⁻¹⁰⁴ relative. */
function multiply(aHi: number, aLo: number, bHi: number, bLo: number): void {
  twoProduct(aHi, bHi);
  const lo = resultLo + (aHi * bLo + aLo * bHi);
  twoSum(resultHi, lo);
}

/** (aHi + aLo) + (bHi + bLo) to about 2⁻¹⁰⁴ relative (Shewchuk's accurate double-double sum). */
function add(aHi: number, aLo: number, bHi: number, bLo: number): void {
  twoSum(aHi, bHi);
  const sumHi = resultHi;
  const sumLo = resultLo;
  twoSum(aLo, bLo);
  const lowHi = resultHi;
  const lowLo = resultLo;
  twoSum(sumHi, sumLo + lowHi);
  twoSum(resultHi, resultLo + lowLo);
}

for (let n = 0; n < TOTAL_TERMS; n++) {
  const d = 2 * n + 1;
  COEFF_HI[n] = 1 / d;
  twoProduct(COEFF_HI[n], d);                        // hi · d = 1 − residual, exactly
  COEFF_LO[n] = ((1 - resultHi) - resultLo) / d;
}

/**
 * ln x rounded to the nearest double (ties cannot occur for x ≠ 1).
 *
 * Why: numpy's `randn` computes `f = sqrt(−2 log(r²) / r²)` with the C library's `log`. Every other operation of the
 * polar method is an exactly rounded IEEE operation, so the last bit of each deviate depends only on `log`. V8's
 * `Math.log` (fdlibm) is off by one ulp for about 7% of arguments, which made ~3% of our deviates differ from numpy's
 * in the last bit. glibc up to 2.27 rounds `log` correctly, so with this function those numpy builds are matched
 * exactly; glibc ≥ 2.28 (error ≤ 0.52 ulp) differs from the correctly rounded value for about 0.1% of arguments,
 * and there numpy itself gives different last bits on different machines.
 *
 * Method: x = 2ᵉ · m with m ∈ [√½, √2]; s = (m − 1)/(m + 1); ln m = 2 atanh s = 2s · Σₙ s²ⁿ/(2n + 1), |s| ≤ 0.1716;
 * ln x = e · ln 2 + ln m, all in double-double arithmetic (error ≈ 2⁻¹⁰⁰ relative), then rounded once.
 */
export function correctlyRoundedLog(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);   // NaN, ±0 → −Infinity, negative → NaN, +Infinity
  if (x === 1) return 0;
  let exponent = 0;
  if (x < 2.2250738585072014e-308) {                     // subnormal: scale by 2⁵⁴ (exact)
    x *= TWO_54;
    exponent = -54;
  }
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  exponent += ((high >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (high & 0x000fffff) | 0x3ff00000);  // same mantissa, exponent 0: m ∈ [1, 2)
  let m = bits.getFloat64(0);
  if (m > SQRT2) {
    m /= 2;
    exponent += 1;
  }

  // s = (m − 1) / (m + 1) as sHi + sLo. m − 1 is exact (Sterbenz); m + 1 is kept exactly as a double-double.
  const numerator = m - 1;
  twoSum(m, 1);
  const denominatorHi = resultHi;
  const denominatorLo = resultLo;
  const sHi = numerator / denominatorHi;
  twoProduct(sHi, denominatorHi);
  const remainder = ((numerator - resultHi) - resultLo) - sHi * denominatorLo;
  const sLo = remainder / denominatorHi;

  // t = s²
  multiply(sHi, sLo, sHi, sLo);
  const tHi = resultHi;
  const tLo = resultLo;

  // P(t) = Σₙ tⁿ / (2n + 1) by Horner: the small tail in double, the leading terms in double-double.
  let tail = 0;
  for (let n = TOTAL_TERMS - 1; n >= DOUBLE_DOUBLE_TERMS; n--) tail = COEFF_HI[n] + tHi * tail;
  let pHi = tail;
  let pLo = 0;
  for (let n = DOUBLE_DOUBLE_TERMS - 1; n >= 0; n--) {
    multiply(tHi, tLo, pHi, pLo);
    add(COEFF_HI[n], COEFF_LO[n], resultHi, resultLo);
    pHi = resultHi;
    pLo = resultLo;
  }

  // ln m = 2 s P(t);  ln x = e ln 2 + ln m
  multiply(sHi, sLo, pHi, pLo);
  const logMHi = 2 * resultHi;
  const logMLo = 2 * resultLo;
  if (exponent === 0) return logMHi + logMLo;
  twoProduct(exponent, LN2_HI);
  const scaleHi = resultHi;
  const scaleLo = resultLo + exponent * LN2_LO;
  add(scaleHi, scaleLo, logMHi, logMLo);
  return resultHi + resultLo;
}
