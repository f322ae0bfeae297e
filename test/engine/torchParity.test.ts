// Engine tests: the recurrent stack (RNN/GRU/LSTM, stacked, bidirectional, batch-first) against PyTorch's own numbers —
// forward values and every gradient of BPTT — from test/fixtures/torch (made by scripts/makeTorchFixtures.py).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { typescriptKernels, wasmKernels, type Kernels } from '../../src/engine/kernels';
import { RecurrentStack, type StackConfig } from '../../src/engine/layers/recurrentStack';
import { gradientCheck } from '../../src/engine/gradcheck';
import { loadTorchStateDict, parseModel, serializeModel } from '../../src/engine/io/modelJson';
import { SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import { formatShape, fromNested, sameShape, type Tensor } from '../../src/engine/tensor';

const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'torch');
const TOLERANCE = 1e-9;

/** One file of test/fixtures/torch; the format is written down in its README. */
interface TorchCase {
  name: string;
  config: {
    cell: 'rnn' | 'gru' | 'lstm';
    nonlinearity?: 'tanh' | 'relu';
    gruReset?: 'after' | 'before';
    inputSize: number;
    hiddenSize: number;
    numLayers: number;
    bidirectional: boolean;
    batchFirst: boolean;
    bias?: boolean;
  };
  stateDict: Record<string, unknown>;
  x: unknown;
  h0: unknown;
  c0?: unknown;
  output: unknown;
  hN: unknown;
  cN?: unknown;
  gradOutput: unknown;
  gradHN: unknown;
  gradCN?: unknown;
  grads: Record<string, unknown>;
}

function loadCases(): TorchCase[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as Record<string, unknown>)
    .filter((json) => 'config' in json && 'stateDict' in json) // losses.json and optimizers.json are for other tests
    .map((json) => json as unknown as TorchCase);
}

/** The fixture's config as a StackConfig; the cell-specific fields appear only where the fixture has them. */
function stackConfig(fixture: TorchCase): StackConfig {
  const { cell, nonlinearity, gruReset, inputSize, hiddenSize, numLayers, bidirectional, batchFirst, bias } = fixture.config;
  return {
    cell, inputSize, hiddenSize, numLayers, bidirectional, batchFirst,
    ...(bias !== undefined ? { bias } : {}),
    ...(nonlinearity !== undefined ? { nonlinearity } : {}),
    ...(gruReset !== undefined ? { gruReset } : {}),
  };
}

function loadedStack(fixture: TorchCase, kernels: Kernels = typescriptKernels): RecurrentStack {
  const stack = new RecurrentStack(stackConfig(fixture), new RandomState(0), kernels);
  const dict: Record<string, Tensor> = {};
  for (const [name, nested] of Object.entries(fixture.stateDict)) dict[name] = fromNested(nested, name);
  stack.loadStateDict(dict);
  return stack;
}

/** Forward with the fixture's initial state, then backward with its upstream gradients. */
function forwardBackward(stack: RecurrentStack, fixture: TorchCase) {
  const lstm = fixture.config.cell === 'lstm';
  const forward = stack.forward(fromNested(fixture.x, 'x'), {
    h: fromNested(fixture.h0, 'h0'),
    c: lstm ? fromNested(fixture.c0, 'c0') : undefined,
  });
  const backward = stack.backward(fromNested(fixture.gradOutput, 'gradOutput'), {
    h: fromNested(fixture.gradHN, 'gradHN'),
    c: lstm ? fromNested(fixture.gradCN, 'gradCN') : undefined,
  });
  return { forward, backward };
}

/** Forward and backward of the fixture through `stack` (gradients zeroed first): every quantity PyTorch gave, next to ours. */
function comparedWithTorch(stack: RecurrentStack, fixture: TorchCase): { what: string; actual: Tensor | undefined; expected: unknown }[] {
  const lstm = fixture.config.cell === 'lstm';
  stack.zeroGrad();
  const { forward, backward } = forwardBackward(stack, fixture);
  const parameters = new Map(stack.parameters().map((parameter) => [parameter.name, parameter]));
  return [
    { what: 'output', actual: forward.output, expected: fixture.output },
    { what: 'hN', actual: forward.h, expected: fixture.hN },
    ...(lstm ? [{ what: 'cN', actual: forward.c, expected: fixture.cN }] : []),
    { what: 'grad x', actual: backward.dx, expected: fixture.grads.x },
    { what: 'grad h0', actual: backward.dInitial.h, expected: fixture.grads.h0 },
    ...(lstm ? [{ what: 'grad c0', actual: backward.dInitial.c, expected: fixture.grads.c0 }] : []),
    ...Object.keys(fixture.stateDict).map((name) => ({ what: `grad ${name}`, actual: parameters.get(name)?.grad, expected: fixture.grads[name] })),
  ];
}

/** Max |actual − expected|, after checking shapes; NaN if any entry is NaN (so it fails every `≤` test). */
function maxAbsError(actual: Tensor | undefined, expected: unknown, what: string, scale = 1): number {
  assert.ok(actual, `${what} is missing`);
  const reference = fromNested(expected, what);
  assert.ok(
    sameShape(actual.shape, reference.shape),
    `${what} has shape ${formatShape(actual.shape)}, PyTorch has ${formatShape(reference.shape)}`,
  );
  let worst = 0;
  for (let i = 0; i < reference.data.length; i++) {
    const error = Math.abs(actual.data[i] - scale * reference.data[i]);
    if (!(error <= worst)) worst = error; // NaN sticks
  }
  return worst;
}

describe('PyTorch parity: RecurrentStack (float64, forward and BPTT)', () => {
  const cases = loadCases();
  const worst = { error: 0, where: 'nothing compared' };

  /** Compares one quantity, records the worst error seen, and fails with the case and quantity named. */
  const expectClose = (caseName: string, what: string, actual: Tensor | undefined, expected: unknown, scale = 1) => {
    const error = maxAbsError(actual, expected, `${caseName}: ${what}`, scale);
    if (!Number.isNaN(worst.error) && !(error <= worst.error)) {
      worst.error = error;
      worst.where = `${caseName}: ${what}`;
    }
    assert.ok(error <= TOLERANCE, `${caseName}: ${what} differs from PyTorch by ${error} (tolerance ${TOLERANCE})`);
  };

  after(() => {
    console.log(`      torch parity: worst max-abs error over ${cases.length} cases = ${worst.error.toExponential(2)} (${worst.where})`);
  });

  it('has the fixtures for every cell, stacking, direction and layout', () => {
    const names = new Set(cases.map((fixture) => fixture.name));
    for (const required of [
      'rnn_tanh_l1', 'rnn_relu_l2', 'rnn_tanh_bi_batchfirst', 'gru_l1', 'gru_l2_bi', 'gru_batchfirst', 'lstm_l1',
      'lstm_l2', 'lstm_l2_bi_batchfirst', 'lstm_l3_bi', 'rnn_t1_bi_l2', 'rnn_b1', 'rnn_h1', 'gru_t1_bi_l2', 'gru_b1',
      'gru_h1', 'lstm_t1_bi_l2', 'lstm_b1', 'lstm_h1', 'gru_before_l1', 'gru_before_l2_bi',
      'gru_before_b1_batchfirst', 'rnn_nobias_l2', 'gru_nobias_bi', 'lstm_nobias_l2_bi_batchfirst', 'gru_before_nobias',
    ]) {
      assert.ok(names.has(required), `fixture ${required}.json is missing; run \`npm run fixtures\``);
    }
  });

  for (const fixture of cases) {
    it(`matches PyTorch: ${fixture.name}`, () => {
      const stack = loadedStack(fixture);
      assert.deepEqual(
        stack.parameters().map((parameter) => parameter.name).sort(),
        Object.keys(fixture.stateDict).sort(),
        `${fixture.name}: parameter names differ from PyTorch's`,
      );
      for (const { what, actual, expected } of comparedWithTorch(stack, fixture)) expectClose(fixture.name, what, actual, expected);
    });
  }

  it('accumulates parameter gradients across backward calls until zeroGrad', () => {
    for (const name of ['rnn_relu_l2', 'gru_l2_bi', 'lstm_l2_bi_batchfirst', 'gru_before_l2_bi']) {
      const fixture = cases.find((candidate) => candidate.name === name);
      assert.ok(fixture, `fixture ${name} is missing`);
      const stack = loadedStack(fixture);
      stack.zeroGrad();
      forwardBackward(stack, fixture);
      forwardBackward(stack, fixture);
      const gradients = () => new Map(stack.parameters().map((parameter) => [parameter.name, parameter.grad]));
      for (const [parameterName, grad] of gradients()) {
        expectClose(name, `grad ${parameterName} after two backward passes (expected 2×)`, grad, fixture.grads[parameterName], 2);
      }
      stack.zeroGrad();
      for (const [parameterName, grad] of gradients()) {
        assert.ok(grad.data.every((value) => value === 0), `${name}: zeroGrad left ${parameterName}.grad non-zero`);
      }
      forwardBackward(stack, fixture);
      for (const [parameterName, grad] of gradients()) {
        expectClose(name, `grad ${parameterName} after zeroGrad and one backward pass`, grad, fixture.grads[parameterName]);
      }
    }
  });

  it('round-trips the state dict it loaded', () => {
    const fixture = cases.find((candidate) => candidate.name === 'lstm_l2_bi_batchfirst');
    assert.ok(fixture);
    const dict = loadedStack(fixture).stateDict();
    assert.deepEqual(Object.keys(dict).sort(), Object.keys(fixture.stateDict).sort());
    for (const [name, nested] of Object.entries(fixture.stateDict)) {
      assert.equal(maxAbsError(dict[name], nested, `stateDict ${name}`), 0, `stateDict() changed ${name}`);
    }
  });

  describe('loadStateDict rejects a dictionary that does not fit, naming the key', () => {
    const fixture = cases.find((candidate) => candidate.name === 'gru_l2_bi');
    const fresh = (): { stack: RecurrentStack; dict: Record<string, Tensor> } => {
      assert.ok(fixture, 'fixture gru_l2_bi is missing');
      const dict: Record<string, Tensor> = {};
      for (const [name, nested] of Object.entries(fixture.stateDict)) dict[name] = fromNested(nested, name);
      return { stack: new RecurrentStack(stackConfig(fixture), new RandomState(0)), dict };
    };
    const naming = (key: string) => (error: unknown) => {
      assert.ok(error instanceof Error, 'expected an Error');
      // The whole name: `bias_ih_l0_reverse` in the message must not pass for `bias_ih_l0`.
      const named = new RegExp(`(^|[^A-Za-z0-9_])${key}([^A-Za-z0-9_]|$)`).test(error.message);
      assert.ok(named, `the error should name ${key}: "${error.message}"`);
      return true;
    };

    it('accepts the fixture as it is (the control for the cases below)', () => {
      const { stack, dict } = fresh();
      assert.doesNotThrow(() => stack.loadStateDict(dict));
    });

    it('a weight with the wrong shape', () => {
      const { stack, dict } = fresh();
      const weight = dict.weight_hh_l1_reverse; // [3H, H]
      dict.weight_hh_l1_reverse = { shape: [weight.shape[1], weight.shape[0]], data: weight.data }; // transposed shape
      assert.throws(() => stack.loadStateDict(dict), naming('weight_hh_l1_reverse'));
    });

    it('a bias of the wrong length', () => {
      const { stack, dict } = fresh();
      dict.bias_ih_l0 = { shape: [dict.bias_ih_l0.shape[0] - 1], data: dict.bias_ih_l0.data.slice(1) };
      assert.throws(() => stack.loadStateDict(dict), naming('bias_ih_l0'));
    });

    it('a missing key', () => {
      const { stack, dict } = fresh();
      delete dict.bias_hh_l1;
      assert.throws(() => stack.loadStateDict(dict), naming('bias_hh_l1'));
    });

    it('an unexpected key', () => {
      const { stack, dict } = fresh();
      dict.weight_ih_l2 = dict.weight_ih_l1;
      assert.throws(() => stack.loadStateDict(dict), naming('weight_ih_l2'));
    });
  });
});

describe('PyTorch interop: a bare nn.RNN / nn.GRU / nn.LSTM state_dict, straight from nested lists', () => {
  const cases = loadCases();
  const named = (name: string): TorchCase => {
    const fixture = cases.find((candidate) => candidate.name === name);
    assert.ok(fixture, `fixture ${name} is missing`);
    return fixture;
  };

  for (const name of ['rnn_tanh_l1', 'gru_l2_bi', 'lstm_l2_bi_batchfirst']) {
    it(`${name}: loadStateDict and loadTorchStateDict take {k: v.tolist()} as it is, and the stack then matches PyTorch`, () => {
      const fixture = named(name);
      const viaStack = new RecurrentStack(stackConfig(fixture), new RandomState(0));
      viaStack.loadStateDict(fixture.stateDict as Record<string, unknown[]>);
      const viaIo = new RecurrentStack(stackConfig(fixture), new RandomState(0));
      loadTorchStateDict(viaIo, fixture.stateDict);
      for (const stack of [viaStack, viaIo]) {
        for (const { what, actual, expected } of comparedWithTorch(stack, fixture)) {
          assert.ok(maxAbsError(actual, expected, `${name}: ${what}`) <= TOLERANCE, `${name}: ${what} differs from PyTorch`);
        }
      }
    });
  }

  it('a model with an output layer given a bare dict: the error says to load it into model.stack', () => {
    const fixture = named('lstm_l1');
    const model = new SequenceModel({ stack: stackConfig(fixture), outputSize: 2, mode: 'many-to-one', loss: 'mse' }, new RandomState(0));
    assert.throws(() => loadTorchStateDict(model, fixture.stateDict), { message: /missing parameter 'head.weight' .* loadTorchStateDict\(model.stack, dict\)/ });
    loadTorchStateDict(model.stack, fixture.stateDict);
    assert.deepEqual(model.stack.stateDict().weight_hh_l0.data, fromNested(fixture.stateDict.weight_hh_l0).data);
  });

  it('a value that is neither a Tensor nor a nested list, and a key like __proto__, are named', () => {
    const fixture = named('gru_l1');
    const stack = new RecurrentStack(stackConfig(fixture), new RandomState(0));
    assert.throws(() => stack.loadStateDict({ ...fixture.stateDict, bias_hh_l0: 'zeros' } as never), { name: 'TypeError', message: "parameter 'bias_hh_l0' is neither a Tensor nor a nested list of numbers" });
    assert.throws(() => stack.loadStateDict(JSON.parse('{"__proto__": [1]}')), { message: /unexpected parameter '__proto__'/ });
  });
});

describe('PyTorch interop: bias=False', () => {
  const cases = loadCases();
  const named = (name: string): TorchCase => {
    const fixture = cases.find((candidate) => candidate.name === name);
    assert.ok(fixture, `fixture ${name} is missing`);
    return fixture;
  };

  it('a bias-free stack has weights only, and a dict without biases into a stack with them says what to change', () => {
    const fixture = named('lstm_nobias_l2_bi_batchfirst');
    const stack = loadedStack(fixture);
    assert.ok(stack.parameters().every((parameter) => parameter.name.startsWith('weight_')));
    assert.deepEqual(Object.keys(stack.stateDict()).sort(), Object.keys(fixture.stateDict).sort());
    const withBiases = new RecurrentStack({ ...stackConfig(fixture), bias: true }, new RandomState(0));
    assert.throws(() => withBiases.loadStateDict(fixture.stateDict as Record<string, unknown[]>),
      { message: "state dict is missing parameter 'bias_ih_l0' (it has no biases at all: for a module made with bias=False, build the stack with bias: false)" });
    assert.throws(() => new RecurrentStack({ ...stackConfig(fixture), forgetBias: 1 }, new RandomState(0)), { message: 'forgetBias needs biases: with bias false the LSTM has none' });
  });

  it('a bias-free model trains (Adam) without biases appearing, and saves and loads as such', () => {
    const fixture = named('gru_nobias_bi');
    const model = new SequenceModel({ stack: { ...stackConfig(fixture), batchFirst: false }, outputSize: 1, mode: 'many-to-one', loss: 'mse' }, new RandomState(3));
    assert.deepEqual(model.parameters().map((parameter) => parameter.name).filter((name) => name.includes('bias')), ['head.bias']);
    const { model: loaded } = parseModel(JSON.parse(JSON.stringify(serializeModel(model))));
    assert.equal(loaded.config.stack.bias, false);
    assert.deepEqual(loaded.parameters().map((parameter) => parameter.name), model.parameters().map((parameter) => parameter.name));
  });

  it('gradients of a bias-free stack match finite differences (float64), and a wrong one fails (negative control)', () => {
    for (const name of ['rnn_nobias_l2', 'gru_before_nobias', 'lstm_nobias_l2_bi_batchfirst']) {
      const fixture = named(name);
      const stack = loadedStack(fixture);
      const lstm = fixture.config.cell === 'lstm';
      const x = fromNested(fixture.x, 'x');
      const initial = { h: fromNested(fixture.h0, 'h0'), ...(lstm ? { c: fromNested(fixture.c0, 'c0') } : {}) };
      const gradOutput = fromNested(fixture.gradOutput, 'gradOutput');
      const loss = (): number => {
        const { output } = stack.forward(x, initial);
        return output.data.reduce((sum, value, i) => sum + value * gradOutput.data[i], 0);
      };
      stack.zeroGrad();
      stack.forward(x, initial);
      stack.backward(gradOutput);
      const parameters = stack.parameters();
      const result = gradientCheck(loss, parameters);
      assert.ok(result.maxError < 1e-7, `${name}: worst ${JSON.stringify(result.worst)}`);
      const wrong = parameters.map((p, i) => (i === 0 ? { name: p.name, value: p.value, grad: { shape: p.grad.shape, data: p.grad.data.map((g, k) => (k === 1 ? g + 1e-3 : g)) } } : p));
      assert.ok(gradientCheck(loss, wrong).maxError > 1e-5, `${name}: the check missed a wrong gradient`);
    }
  });
});

describe('PyTorch interop: the initial state of an LSTM is (h, c) together, as in nn.LSTM', () => {
  const cases = loadCases();
  it('h without c, or c without h, is an error; so is c for a GRU', () => {
    const lstm = cases.find((candidate) => candidate.name === 'lstm_l1');
    const gru = cases.find((candidate) => candidate.name === 'gru_l1');
    assert.ok(lstm && gru);
    const lstmStack = loadedStack(lstm);
    const x = fromNested(lstm.x, 'x');
    const h0 = fromNested(lstm.h0, 'h0');
    const c0 = fromNested(lstm.c0, 'c0');
    assert.throws(() => lstmStack.forward(x, { h: h0 }), { name: 'TypeError', message: "an LSTM's initial state needs both h and c (PyTorch's nn.LSTM takes (h_0, c_0) together); got h without c" });
    assert.throws(() => lstmStack.forward(x, { h: undefined as never, c: c0 }), { name: 'TypeError', message: /got c without h/ });
    assert.doesNotThrow(() => lstmStack.forward(x, { h: h0, c: c0 }));
    assert.doesNotThrow(() => lstmStack.forward(x));
    const gruStack = loadedStack(gru);
    assert.throws(() => gruStack.forward(fromNested(gru.x, 'x'), { h: fromNested(gru.h0, 'h0'), c: fromNested(gru.h0, 'h0') }),
      { name: 'TypeError', message: 'initial c given, but a GRU has no cell state (only an LSTM has one)' });
  });
});

describe('PyTorch parity in float32: the WebAssembly SIMD kernels', () => {
  const cases = loadCases();
  const kernels = wasmKernels();
  const TOLERANCE_FLOAT32 = 1e-4;
  let worst = { error: 0, where: 'nothing compared' };

  after(() => {
    console.log(`      float32 parity: worst relative error over ${cases.length} cases = ${worst.error.toExponential(2)} (${worst.where}); tolerance ${TOLERANCE_FLOAT32}`);
  });

  it('runs here: Node has WebAssembly SIMD and shared memory', () => {
    assert.ok(kernels, 'the WebAssembly kernels did not load');
    assert.equal(kernels.precision, 'float32');
  });

  /** max |actual − expected| / max |expected|: float32 carries ~7 digits of the largest value of each quantity. */
  const expectRelativelyClose = (caseName: string, what: string, actual: Tensor | undefined, expected: unknown) => {
    const reference = fromNested(expected, what);
    const scale = reference.data.reduce((max, value) => Math.max(max, Math.abs(value)), 0) || 1;
    const error = maxAbsError(actual, expected, `${caseName}: ${what}`) / scale;
    if (!(error <= worst.error)) worst = { error, where: `${caseName}: ${what}` };
    assert.ok(error <= TOLERANCE_FLOAT32, `${caseName}: ${what} differs from PyTorch by ${error.toExponential(2)} relative (tolerance ${TOLERANCE_FLOAT32})`);
  };

  for (const fixture of cases) {
    it(`matches PyTorch within ${TOLERANCE_FLOAT32} relative: ${fixture.name}`, () => {
      assert.ok(kernels, 'the WebAssembly kernels did not load');
      for (const { what, actual, expected } of comparedWithTorch(loadedStack(fixture, kernels), fixture)) expectRelativelyClose(fixture.name, what, actual, expected);
    });
  }
});
