// Engine tests: saved models (src/engine/io/modelJson.ts) — a save → JSON text → load round trip predicts exactly as
// before, every malformed file is an Error naming the field, and PyTorch state_dicts move in and out unchanged.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadTorchStateDict, parseModel, SavedModel, serializeModel, serializeModelWithWeights, toTorchStateDict } from '../../src/engine/io/modelJson';
import { ModelConfig, SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import { fromNested, Tensor } from '../../src/engine/tensor';
import { resolveTrainingConfig } from '../../src/engine/trainer';

const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'torch');

/** A random input [T, B, I] with values that are not round numbers. */
function randomInput(shape: [number, number, number], seed: number): Tensor {
  const rng = new RandomState(seed);
  return { shape, data: rng.randnArray(shape[0] * shape[1] * shape[2]) };
}

/** A model whose parameters are all moved off their initial values, so a round trip that dropped one would show. */
function perturbedModel(config: ModelConfig, seed: number): SequenceModel {
  const model = new SequenceModel(config, new RandomState(seed));
  const rng = new RandomState(seed + 1000);
  for (const p of model.parameters()) for (let i = 0; i < p.value.data.length; i++) p.value.data[i] += 0.1 * rng.randn();
  return model;
}

/** A saved model as a file would hold it: through JSON text and back to plain objects. */
function throughJson(saved: SavedModel): Record<string, unknown> {
  return JSON.parse(JSON.stringify(saved)) as Record<string, unknown>;
}

const LSTM_CONFIG: ModelConfig = {
  stack: { cell: 'lstm', inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: false, forgetBias: 1 },
  outputSize: 5, mode: 'many-to-many', loss: 'softmax-cross-entropy',
};

describe('model JSON: save and load', () => {
  const configs: { name: string; config: ModelConfig }[] = [
    { name: '2-layer LSTM, many-to-many', config: LSTM_CONFIG },
    {
      name: 'bidirectional GRU (reset before, sum merge), many-to-one',
      config: { stack: { cell: 'gru', gruReset: 'before', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, merge: 'sum' }, outputSize: 1, mode: 'many-to-one', loss: 'mse' },
    },
    {
      name: 'ReLU RNN with dropout, many-to-one',
      config: { stack: { cell: 'rnn', nonlinearity: 'relu', inputSize: 2, hiddenSize: 7, numLayers: 3, bidirectional: false, dropout: 0.3 }, outputSize: 2, mode: 'many-to-one', loss: 'sigmoid-bce' },
    },
  ];

  for (const { name, config } of configs) {
    it(`${name}: save → JSON text → load predicts bit for bit as the original`, () => {
      const original = perturbedModel(config, 3);
      const x = randomInput([6, 2, config.stack.inputSize], 9);
      const { model: loaded } = parseModel(throughJson(serializeModel(original)));
      assert.deepEqual(loaded.config, original.config);
      assert.deepEqual(loaded.parameters().map((p) => p.name), original.parameters().map((p) => p.name));
      const before = original.predict(x);
      const after = loaded.predict(x);
      assert.deepEqual(after.output.shape, before.output.shape);
      assert.deepEqual(Array.from(after.output.data), Array.from(before.output.data));
      assert.deepEqual(Array.from(after.finalState.h.data), Array.from(before.finalState.h.data));
    });
  }

  it('keeps the metadata: task, vocabulary and training settings', () => {
    const meta = { task: { name: 'dinos', sequenceLength: 25, vocabulary: ['\n', 'a', 'b', 'c', 'd'] }, training: resolveTrainingConfig({ hidden: 6, layers: 2 }) };
    const { meta: loaded } = parseModel(throughJson(serializeModel(perturbedModel(LSTM_CONFIG, 1), meta)));
    assert.deepEqual(loaded, meta);
  });

  it('a file without meta loads with empty metadata', () => {
    const json = throughJson(serializeModel(perturbedModel(LSTM_CONFIG, 1)));
    delete json.meta;
    assert.deepEqual(parseModel(json).meta, {});
  });
});

describe('model files with a binary weights file (format version 2)', () => {
  const meta = { task: { name: 'dinos', sequenceLength: 25, vocabulary: ['\n', 'a', 'b', 'c', 'd'] } };
  const saved = (): { json: any; weights: Uint8Array } => {
    const { json, weights } = serializeModelWithWeights(perturbedModel(LSTM_CONFIG, 4), meta);
    return { json: JSON.parse(JSON.stringify(json)), weights };
  };

  it('save → JSON + bytes → load: every weight bit for bit, 8 bytes each, little-endian, in the model\'s order', () => {
    const original = perturbedModel(LSTM_CONFIG, 4);
    const { json, weights } = saved();
    const names = original.parameters().map((p) => p.name);
    assert.deepEqual(Object.keys(json.parameters), names);
    const total = original.parameters().reduce((n, p) => n + p.value.data.length, 0);
    assert.deepEqual(json.weights, { file: 'weights.bin', encoding: 'float64-le', values: total });
    assert.equal(weights.byteLength, 8 * total);
    const first = original.parameters()[0].value.data[0];
    assert.equal(new DataView(weights.buffer, weights.byteOffset).getFloat64(0, true), first, 'little-endian float64 at offset 0');
    const second = original.parameters()[1];
    assert.equal(json.parameters[second.name].offset, original.parameters()[0].value.data.length);
    const { model, meta: loadedMeta } = parseModel(json, weights);
    assert.deepEqual(loadedMeta, meta);
    for (const [i, p] of model.parameters().entries()) assert.deepEqual(Array.from(p.value.data), Array.from(original.parameters()[i].value.data), p.name);
    const unaligned = new Uint8Array(weights.byteLength + 1).subarray(1);
    unaligned.set(weights);
    assert.deepEqual(Array.from(parseModel(json, unaligned).model.parameters()[3].value.data), Array.from(original.parameters()[3].value.data), 'bytes at any offset');
  });

  it('the JSON part stays small whatever the model: no weight is written as text', () => {
    const { json } = saved();
    assert.ok(JSON.stringify(json).length < 2000, `${JSON.stringify(json).length} characters`);
  });

  const cases: { what: string; change: (file: { json: any; weights: Uint8Array }) => Uint8Array | undefined; message: RegExp }[] = [
    { what: 'no weights given', change: () => undefined, message: /^weights: this model keeps its weights in "weights\.bin" beside it, and they were not given/ },
    { what: 'a weights file one value short', change: ({ weights }) => weights.subarray(0, weights.byteLength - 8), message: /^weights: "weights\.bin" holds \d+ bytes, but the model declares \d+ values .*cut short or belongs to another model/ },
    { what: 'a weights file of 3 bytes', change: (file) => {
      file.json.weights.values = 0;
      return new Uint8Array(3);
    }, message: /^weights: "weights\.bin" holds 3 bytes, but the model declares 0 values/ },
    { what: 'a NaN stored', change: ({ weights }) => {
      new DataView(weights.buffer, weights.byteOffset).setFloat64(8 * 5, NaN, true);
      return weights;
    }, message: /^parameters\.weight_ih_l0: value 5 in the weights file is NaN, expected a finite number/ },
    { what: 'an offset moved', change: (file) => {
      file.json.parameters.weight_hh_l0.offset += 1;
      return file.weights;
    }, message: /^parameters\.weight_hh_l0\.offset: expected 120/ },
    { what: 'another encoding', change: (file) => {
      file.json.weights.encoding = 'float32-be';
      return file.weights;
    }, message: /^weights\.encoding: expected 'float64-le', got "float32-be"/ },
    { what: 'a config claiming hidden size 4096 over the weights of hidden size 6 (nothing is allocated for it)', change: (file) => {
      file.json.config.stack.hiddenSize = 4096;
      file.json.config.stack.numLayers = 1;
      return file.weights;
    }, message: /^parameters: the config describes a 1-layer LSTM with hidden size 4096, which has at least 67211264 weights, but the file holds 683/ },
  ];

  for (const { what, change, message } of cases) {
    it(`${what}: an Error naming the field`, () => {
      const file = saved();
      const weights = change(file);
      assert.throws(() => parseModel(file.json, weights), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it('a small inline file claiming a network within the limits but far larger than its data is refused before anything is allocated', () => {
    const json = throughJson(serializeModel(perturbedModel(LSTM_CONFIG, 2))) as any;
    json.config.stack.hiddenSize = 4096;   // within the limits and the memory budget: the old parser allocated 1.1 GB
    json.config.stack.numLayers = 1;       // for this network before it looked at the data
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(() => parseModel(json), /^Error: parameters: the config describes a 1-layer LSTM with hidden size 4096, which has at least 67211264 weights, but the file holds 683/);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 64 * 1024 ** 2, `${(grown / 1024 ** 2).toFixed(0)} MB of arrays were allocated for it`);
  });
});

describe('model JSON: a malformed file is an Error naming the field', () => {
  /** A valid saved LSTM as plain JSON objects, for each case to break in one place. */
  const valid = (): any => throughJson(serializeModel(perturbedModel(LSTM_CONFIG, 2), { task: { name: 'dinos', sequenceLength: 25, vocabulary: ['a', 'b'] } }));

  const cases: { what: string; input: () => unknown; message: RegExp }[] = [
    { what: 'a number instead of an object', input: () => 42, message: /^model file: expected an object, got 42/ },
    { what: 'null', input: () => null, message: /^model file: expected an object, got null/ },
    { what: 'an array', input: () => [valid()], message: /^model file: expected an object/ },
    { what: 'another format', input: () => ({ ...valid(), format: 'keras-model' }), message: /^format: expected 'rnn-lab-model', got "keras-model"/ },
    { what: 'no format at all', input: () => { const j = valid(); delete j.format; return j; }, message: /^format: .*got nothing/ },
    { what: 'version 3', input: () => ({ ...valid(), version: 3 }), message: /^version: .*versions 1 and 2, the file has 3/ },
    { what: 'no config', input: () => { const j = valid(); delete j.config; return j; }, message: /^config: expected an object, got nothing/ },
    { what: 'config.stack not an object', input: () => { const j = valid(); j.config.stack = 'lstm'; return j; }, message: /^config\.stack: expected an object, got "lstm"/ },
    { what: 'config.stack.hiddenSize = -3', input: () => { const j = valid(); j.config.stack.hiddenSize = -3; return j; }, message: /^config\.stack\.hiddenSize must be a whole number .*got -3/ },
    { what: "config.stack.hiddenSize = 'abc'", input: () => { const j = valid(); j.config.stack.hiddenSize = 'abc'; return j; }, message: /^config\.stack\.hiddenSize must be a whole number .*got "abc"/ },
    { what: "config.stack.cell = 'transformer'", input: () => { const j = valid(); j.config.stack.cell = 'transformer'; return j; }, message: /^config\.stack\.cell must be one of rnn, gru, lstm; got "transformer"/ },
    { what: 'config.outputSize = 0', input: () => { const j = valid(); j.config.outputSize = 0; return j; }, message: /^config: outputSize must be .*got 0/ },
    { what: 'no parameters', input: () => { const j = valid(); delete j.parameters; return j; }, message: /^parameters: expected an object, got nothing/ },
    { what: 'a missing bias', input: () => { const j = valid(); delete j.parameters.bias_hh_l1; return j; }, message: /^parameters\.bias_hh_l1: expected an object, got nothing/ },
    { what: 'a missing weight matrix', input: () => { const j = valid(); delete j.parameters.weight_hh_l1; return j; }, message: /^parameters: the config describes a 2-layer LSTM with hidden size 6, which has at least 582 weights, but the file holds 539/ },
    { what: 'a missing head', input: () => { const j = valid(); delete j.parameters['head.bias']; return j; }, message: /^parameters\.head\.bias: expected an object/ },
    { what: 'an extra parameter', input: () => { const j = valid(); j.parameters.weight_ih_l2 = j.parameters.weight_ih_l1; return j; }, message: /^parameters\.weight_ih_l2: not a parameter of this LSTM/ },
    { what: 'a GRU-named parameter in an LSTM', input: () => { const j = valid(); j.parameters.weight_hh_l0_reverse = j.parameters.weight_hh_l0; return j; }, message: /^parameters\.weight_hh_l0_reverse: not a parameter/ },
    { what: 'a wrong shape', input: () => { const j = valid(); j.parameters.weight_hh_l0.shape = [24, 5]; return j; }, message: /^parameters\.weight_hh_l0\.shape: expected \[24, 6\], got \[24,5\]/ },
    { what: 'a shape of strings', input: () => { const j = valid(); j.parameters.weight_hh_l0.shape = ['24', '6']; return j; }, message: /^parameters\.weight_hh_l0\.shape: expected \[24, 6\]/ },
    { what: 'data one entry too short', input: () => { const j = valid(); j.parameters.weight_hh_l0.data.pop(); return j; }, message: /^parameters\.weight_hh_l0\.data: expected a list of 144 numbers, got 143 entries/ },
    { what: 'data not a list', input: () => { const j = valid(); j.parameters.bias_ih_l0.data = 'zeros'; return j; }, message: /^parameters\.bias_ih_l0\.data: expected a list of 24 numbers, got "zeros"/ },
    { what: 'a NaN entry', input: () => { const j = valid(); j.parameters.weight_hh_l0.data[3] = NaN; return j; }, message: /^parameters\.weight_hh_l0\.data\[3\]: expected a finite number/ },
    { what: 'an infinite entry', input: () => { const j = valid(); j.parameters.weight_hh_l0.data[3] = Infinity; return j; }, message: /^parameters\.weight_hh_l0\.data\[3\]: expected a finite number/ },
    { what: 'a string entry', input: () => { const j = valid(); j.parameters.weight_hh_l0.data[3] = '0.5'; return j; }, message: /^parameters\.weight_hh_l0\.data\[3\]: expected a finite number, got "0\.5"/ },
    { what: 'a null entry (what JSON.stringify makes of NaN)', input: () => { const j = valid(); j.parameters['head.weight'].data[7] = null; return j; }, message: /^parameters\.head\.weight\.data\[7\]: expected a finite number, got null/ },
    { what: 'meta not an object', input: () => ({ ...valid(), meta: 'dinos' }), message: /^meta: expected an object/ },
    { what: 'a vocabulary that is not strings', input: () => { const j = valid(); j.meta.task.vocabulary = ['a', 3]; return j; }, message: /^meta\.task\.vocabulary: expected a list of strings/ },
    { what: 'a vocabulary that is not a list', input: () => { const j = valid(); j.meta.task.vocabulary = 'ab'; return j; }, message: /^meta\.task\.vocabulary: expected a list of strings/ },
  ];

  it('the unbroken file loads (so each failure below comes from its one change)', () => {
    assert.doesNotThrow(() => parseModel(valid()));
  });

  for (const { what, input, message } of cases) {
    it(`${what}`, () => {
      assert.throws(() => parseModel(input()), (error: unknown) => {
        assert.ok(error instanceof Error, 'an Error');
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

/** One recurrent fixture of test/fixtures/torch (format in its README). */
interface TorchFixture {
  config: { cell: 'rnn' | 'gru' | 'lstm'; nonlinearity?: 'tanh' | 'relu'; gruReset?: 'after' | 'before'; inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; batchFirst: boolean };
  stateDict: Record<string, unknown>;
  x: unknown;
  h0: unknown;
  c0?: unknown;
  hN: unknown;
  cN?: unknown;
}

function readFixture(name: string): TorchFixture {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as TorchFixture;
}

/** A many-to-many model whose recurrent part has the fixture's configuration, with a 3-output head. */
function modelFor(fixture: TorchFixture, seed = 0): SequenceModel {
  const { cell, nonlinearity, gruReset, inputSize, hiddenSize, numLayers, bidirectional } = fixture.config;
  return new SequenceModel({
    stack: { cell, inputSize, hiddenSize, numLayers, bidirectional, ...(nonlinearity ? { nonlinearity } : {}), ...(gruReset ? { gruReset } : {}) },
    outputSize: 3, mode: 'many-to-many', loss: 'mse',
  }, new RandomState(seed));
}

/** A head as PyTorch's `nn.Linear(outputWidth, 3)` state would list it. */
function headFor(fixture: TorchFixture): { 'head.weight': number[][]; 'head.bias': number[] } {
  const width = fixture.config.hiddenSize * (fixture.config.bidirectional ? 2 : 1);
  const rng = new RandomState(77);
  return {
    'head.weight': Array.from({ length: 3 }, () => Array.from({ length: width }, () => rng.uniform(-0.5, 0.5))),
    'head.bias': Array.from({ length: 3 }, () => rng.uniform(-0.5, 0.5)),
  };
}

function snapshot(model: SequenceModel): number[][] {
  return model.parameters().map((p) => Array.from(p.value.data));
}

describe('model JSON: PyTorch state_dict interchange', () => {
  for (const name of ['lstm_l2', 'gru_l2_bi', 'rnn_relu_l2']) {
    describe(name, () => {
      const fixture = readFixture(name);

      it('a loaded state_dict comes back out as exactly the same nested lists', () => {
        const model = modelFor(fixture);
        const head = headFor(fixture);
        loadTorchStateDict(model, { ...fixture.stateDict, ...head });
        const exported = toTorchStateDict(model);
        assert.deepEqual(Object.keys(exported), [...Object.keys(fixture.stateDict), 'head.weight', 'head.bias'], 'PyTorch state_dict order');
        for (const key of Object.keys(fixture.stateDict)) assert.deepEqual(exported[key], fixture.stateDict[key], key);
        assert.deepEqual(exported['head.weight'], head['head.weight']);
        assert.deepEqual(exported['head.bias'], head['head.bias']);
      });

      it("the loaded model computes PyTorch's final states", () => {
        const model = modelFor(fixture);
        loadTorchStateDict(model, { ...fixture.stateDict, ...headFor(fixture) });
        const lstm = fixture.config.cell === 'lstm';
        const { finalState } = model.predict(fromNested(fixture.x), { h: fromNested(fixture.h0), ...(lstm ? { c: fromNested(fixture.c0) } : {}) });
        const expected = fromNested(fixture.hN).data;
        finalState.h.data.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-12, `hN[${i}]: ${v} vs ${expected[i]}`));
      });

      it('export then import into a differently initialised model predicts bit for bit the same', () => {
        const source = modelFor(fixture, 1);
        const target = modelFor(fixture, 2);
        const x = randomInput([4, 2, fixture.config.inputSize], 5);
        assert.notDeepEqual(Array.from(target.predict(x).output.data), Array.from(source.predict(x).output.data), 'different seeds start different');
        loadTorchStateDict(target, JSON.parse(JSON.stringify(toTorchStateDict(source))));
        assert.deepEqual(Array.from(target.predict(x).output.data), Array.from(source.predict(x).output.data));
      });
    });
  }

  describe('a state_dict that does not fit is an Error naming the key, and loads nothing', () => {
    const fixture = readFixture('lstm_l2');
    const full = (): Record<string, unknown> => JSON.parse(JSON.stringify({ ...fixture.stateDict, ...headFor(fixture) })) as Record<string, unknown>;
    const cases: { what: string; dict: () => unknown; message: RegExp }[] = [
      { what: 'not an object', dict: () => [1, 2], message: /^state dict: expected an object/ },
      { what: 'a missing recurrent weight', dict: () => { const d = full(); delete d.bias_hh_l1; return d; }, message: /missing parameter 'bias_hh_l1'/ },
      { what: 'a missing head', dict: () => { const d = full(); delete d['head.weight']; return d; }, message: /missing parameter 'head\.weight'/ },
      { what: 'an unexpected name (a third layer)', dict: () => ({ ...full(), weight_ih_l2: fixture.stateDict.weight_ih_l1 }), message: /unexpected parameter 'weight_ih_l2'/ },
      { what: 'a module prefix PyTorch adds (rnn.weight_ih_l0)', dict: () => { const d = full(); d['rnn.weight_ih_l0'] = d.weight_ih_l0; delete d.weight_ih_l0; return d; }, message: /unexpected parameter 'rnn\.weight_ih_l0'/ },
      { what: 'a transposed weight', dict: () => { const d = full(); const w = d.weight_ih_l0 as number[][]; d.weight_ih_l0 = w[0].map((_, j) => w.map((row) => row[j])); return d; }, message: /parameter 'weight_ih_l0' has shape \[3, 16\], expected \[16, 3\]/ },
      { what: 'a head of the wrong width', dict: () => { const d = full(); d['head.weight'] = (d['head.weight'] as number[][]).map((row) => row.slice(1)); return d; }, message: /parameter 'head\.weight' has shape \[3, 3\], expected \[3, 4\]/ },
      { what: 'a ragged list', dict: () => { const d = full(); (d.weight_hh_l1 as number[][])[5].pop(); return d; }, message: /^weight_hh_l1\[5\] should be a list of 4/ },
      { what: 'a string inside a list', dict: () => { const d = full(); (d.bias_ih_l0 as unknown[])[2] = '0.1'; return d; }, message: /^bias_ih_l0\[2\] is "0\.1", not a number/ },
    ];
    for (const { what, dict, message } of cases) {
      it(what, () => {
        const model = modelFor(fixture);
        const before = snapshot(model);
        assert.throws(() => loadTorchStateDict(model, dict()), (error: unknown) => {
          assert.ok(error instanceof Error, 'an Error');
          assert.match(error.message, message);
          return true;
        });
        assert.deepEqual(snapshot(model), before, 'a failed load leaves every parameter as it was');
      });
    }
  });
});
