// Engine tests: RandomState against numpy's legacy np.random.RandomState, bit for bit (test/fixtures/numpy, made by
// scripts/makeNumpyFixtures.py), the correctly rounded log behind randn, and clear errors for bad input.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { correctlyRoundedLog } from '../../src/engine/random/correctlyRoundedLog';
import { RandomState } from '../../src/engine/random/randomState';

/** Where numpy's last bit came from the C library's log rather than a correctly rounded one (see the README). */
interface LibmDependent {
  index: number;
  numpy: number;
  correctlyRounded: number;
}

type Step =
  | { call: 'reseed'; values: number[] }
  | { call: 'randn'; count: number; values: number[]; libmDependent?: LibmDependent[] }
  | { call: 'random_sample'; count: number; values: number[] }
  | { call: 'randint'; low: number; high: number; count: number; values: number[] }
  | { call: 'choice'; n: number; p: number[] | null; count: number; values: number[] }
  | { call: 'uniform'; low: number; high: number; count: number; values: number[] }
  | { call: 'shuffle'; n: number; values: number[] };

type Stream =
  | { call: 'randn'; seed: number; count: number; sha256: string; sha256CorrectlyRounded: string; libmDependent: LibmDependent[] }
  | { call: 'random_sample'; seed: number; count: number; sha256: string }
  | { call: 'randint'; seed: number; low: number; high: number; count: number; sha256: string }
  | { call: 'shuffle'; seed: number; n: number; sha256: string };

interface RandomStateFixture {
  versions: Record<string, string>;
  issueExample: { seed: number; randn: number[] };
  sequences: { seed: number; steps: Step[] }[];
  streams: Stream[];
  log: { cases: [number, number][]; libcLogNotCorrectlyRounded: number };
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'numpy', 'randomState.json'), 'utf-8'),
) as RandomStateFixture;

/** Runs one step of the fixture's program on `rs`, returning what numpy's call returned. */
function runStep(rs: RandomState, step: Step, seed: number): number[] {
  switch (step.call) {
    case 'reseed':
      rs.seed(seed);
      return [];
    case 'randn':
      return Array.from(rs.randnArray(step.count));
    case 'random_sample':
      return Array.from(rs.randArray(step.count));
    case 'randint':
      return Array.from({ length: step.count }, () => rs.randint(step.low, step.high));
    case 'choice':
      return Array.from({ length: step.count }, () => rs.choice(step.n, step.p ?? undefined));
    case 'uniform':
      return Array.from({ length: step.count }, () => rs.uniform(step.low, step.high));
    case 'shuffle': {
      const items = Array.from({ length: step.n }, (_, i) => i);
      rs.shuffle(items);
      return items;
    }
  }
}

/** numpy's values with the libm-dependent positions replaced by the correctly rounded ones RandomState computes. */
function expectedValues(values: readonly number[], libmDependent: readonly LibmDependent[] = []): number[] {
  const expected = [...values];
  for (const d of libmDependent) {
    assert.equal(expected[d.index], d.numpy, 'fixture: libmDependent entry does not match the stored value');
    expected[d.index] = d.correctlyRounded;
  }
  return expected;
}

/** SHA-256 of the values as little-endian float64 bytes, as the script hashes them. */
function float64Sha256(values: ArrayLike<number>): string {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return createHash('sha256').update(new Uint8Array(view.buffer)).digest('hex');
}

function firstDifference(actual: readonly number[], expected: readonly number[]): string {
  const i = actual.findIndex((v, k) => !Object.is(v, expected[k]));
  return i < 0 ? `lengths ${actual.length} and ${expected.length}` : `first difference at ${i}: ${actual[i]} vs numpy ${expected[i]}`;
}

describe('RandomState: numpy legacy RandomState, bit for bit', () => {
  it('reproduces the issue: np.random.seed(1); np.random.randn(4) = 1.6243453637, −0.6117564137, −0.5281717523, −1.0729686222', () => {
    const { seed, randn } = fixture.issueExample;
    const values = new RandomState(seed).randnArray(4);
    randn.forEach((printed, i) => assert.ok(Math.abs(values[i] - printed) <= 0.5e-10, `randn[${i}] = ${values[i]}, printed ${printed}`));
  });

  for (const { seed, steps } of fixture.sequences) {
    it(`seed ${seed}: randn (odd/even runs, interleaved with rand, reseeded), rand, randint, choice, uniform and shuffle match numpy exactly`, () => {
      const rs = new RandomState(seed);
      steps.forEach((step, k) => {
        const actual = runStep(rs, step, seed);
        const expected = expectedValues(step.values, step.call === 'randn' ? step.libmDependent : undefined);
        const ok = actual.length === expected.length && actual.every((v, i) => Object.is(v, expected[i]));
        assert.ok(ok, `seed ${seed}, step ${k} (${JSON.stringify({ ...step, values: undefined })}): ${firstDifference(actual, expected)}`);
      });
    });
  }

  for (const stream of fixture.streams) {
    const label = stream.call === 'shuffle' ? `shuffle(arange(${stream.n}))` : `${stream.count} × ${stream.call}`;
    it(`seed ${stream.seed}: a long stream of ${label} has numpy's SHA-256`, () => {
      const rs = new RandomState(stream.seed);
      switch (stream.call) {
        case 'randn': {
          const values = rs.randnArray(stream.count);
          assert.equal(float64Sha256(values), stream.sha256CorrectlyRounded, 'differs from numpy with a correctly rounded log');
          // Putting numpy's libm-dependent last bits back gives numpy's stream itself.
          for (const d of stream.libmDependent) {
            assert.equal(values[d.index], d.correctlyRounded);
            values[d.index] = d.numpy;
          }
          assert.equal(float64Sha256(values), stream.sha256);
          break;
        }
        case 'random_sample':
          assert.equal(float64Sha256(rs.randArray(stream.count)), stream.sha256);
          break;
        case 'randint':
          assert.equal(float64Sha256(Array.from({ length: stream.count }, () => rs.randint(stream.low, stream.high))), stream.sha256);
          break;
        case 'shuffle': {
          const items = Array.from({ length: stream.n }, (_, i) => i);
          rs.shuffle(items);
          assert.equal(float64Sha256(items), stream.sha256);
          break;
        }
      }
    });
  }

  it("numpy's libm-dependent randn values are rare and at most two ulps away", () => {
    for (const stream of fixture.streams) {
      if (stream.call !== 'randn') continue;
      assert.ok(stream.libmDependent.length <= stream.count * 0.002, `${stream.libmDependent.length} of ${stream.count}`);
      for (const d of stream.libmDependent) {
        const ulp = 2 ** (Math.floor(Math.log2(Math.abs(d.correctlyRounded))) - 52);
        assert.ok(Math.abs(d.numpy - d.correctlyRounded) <= 2 * ulp, `index ${d.index}: ${d.numpy} vs ${d.correctlyRounded}`);
      }
    }
  });

  it('seeding again equals a fresh generator and drops the cached normal deviate', () => {
    const reused = new RandomState(5);
    reused.randn();                     // leaves the pair's second value cached
    reused.seed(42);
    const fresh = new RandomState(42);
    assert.deepEqual(Array.from(reused.randnArray(7)), Array.from(fresh.randnArray(7)));
  });
});

describe('correctlyRoundedLog', () => {
  it(`is ln x correctly rounded (mpmath, 200 bits) on ${fixture.log.cases.length} cases: every binade, near 1, around √½ and √2, subnormals`, () => {
    const wrong = fixture.log.cases.filter(([x, lnX]) => !Object.is(correctlyRoundedLog(x), lnX));
    assert.deepEqual(wrong.map(([x, lnX]) => `ln ${x}: ${correctlyRoundedLog(x)}, expected ${lnX}`), []);
  });

  it('fixes the arguments where V8 Math.log is an ulp off', () => {
    const mathLogWrong = fixture.log.cases.filter(([x, lnX]) => Math.log(x) !== lnX).length;
    assert.ok(mathLogWrong > 0, 'expected Math.log to miss some of the cases (else this test proves nothing)');
  });

  it('handles the special values as Math.log does', () => {
    assert.equal(correctlyRoundedLog(1), 0);
    assert.equal(correctlyRoundedLog(0), -Infinity);
    assert.equal(correctlyRoundedLog(-0), -Infinity);
    assert.equal(correctlyRoundedLog(Infinity), Infinity);
    assert.ok(Number.isNaN(correctlyRoundedLog(-1)));
    assert.ok(Number.isNaN(correctlyRoundedLog(NaN)));
  });
});

describe('RandomState: bad input gives clear RangeErrors', () => {
  for (const seed of [-1, 1.5, 2 ** 32, NaN, Infinity]) {
    it(`seed ${seed}`, () => {
      assert.throws(() => new RandomState(seed), { name: 'RangeError', message: /seed must be an integer from 0 to 4294967295/ });
      assert.throws(() => new RandomState(0).seed(seed), RangeError);
    });
  }

  it('accepts the extreme seeds 0 and 2³² − 1', () => {
    assert.doesNotThrow(() => new RandomState(0));
    assert.doesNotThrow(() => new RandomState(2 ** 32 - 1));
  });

  const choiceCases: [string, number[], RegExp][] = [
    ['probabilities summing to 0.9', [0.2, 0.3, 0.4], /probabilities sum to 0\.9.*not 1/],
    ['probabilities summing to 1.1', [0.5, 0.3, 0.3], /probabilities sum to 1\.1.*not 1/],
    ['a negative probability', [1.2, -0.2, 0], /probability 1 is -0\.2; probabilities must be finite and non-negative/],
    ['a NaN probability', [0.5, NaN, 0.5], /probability 1 is NaN/],
    ['an infinite probability', [Infinity, 0, 0], /probability 0 is Infinity/],
  ];
  for (const [what, p, message] of choiceCases) {
    it(`choice with ${what}`, () => {
      assert.throws(() => new RandomState(0).choice(p.length, p), { name: 'RangeError', message });
    });
  }

  it('choice with as many probabilities as the population, and a positive population', () => {
    assert.throws(() => new RandomState(0).choice(3, [0.5, 0.5]), { name: 'RangeError', message: /2 probabilities for a population of 3/ });
    assert.throws(() => new RandomState(0).choice(0), { name: 'RangeError', message: /positive population size/ });
  });

  it('choice accepts sums within numpy tolerance √ε of 1', () => {
    assert.doesNotThrow(() => new RandomState(0).choice(3, [0.1, 0.2, 0.7 + 1e-9]));
  });

  it('randint needs safe integers low < high', () => {
    assert.throws(() => new RandomState(0).randint(3, 3), { name: 'RangeError', message: /low=3, high=3/ });
    assert.throws(() => new RandomState(0).randint(0, 2.5), RangeError);
    assert.throws(() => new RandomState(0).randint(0, 2 ** 53), RangeError);
    assert.throws(() => new RandomState(0).interval(-1), RangeError);
  });
});
