// Benchmark (issue #4): runner for TensorFlow.js — the wasm backend (SIMD, one thread) or the pure-JS cpu backend,
// float32. The cells are written with tf ops exactly as our engine and PyTorch compute them (input projection of all
// steps as one matMul, then the recurrence), and tf's autodiff (variableGrads) does the backward pass.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { Fixture } from './fixtureFile';
import { serve, type Session } from './runner';
import type { CharacterWorkload, RegressionWorkload } from './workloads';

type Variables = Record<string, tf.Variable>;

function variables(fixture: Fixture, names: readonly string[]): Variables {
  return Object.fromEntries(names.map((name) => [name, tf.variable(tf.tensor(Float32Array.from(fixture.get(name)), [...fixture.shape(name)]), true, name)]));
}

/** h⟨t⟩ (and c⟨t⟩) from one step's input projection xw = x⟨t⟩·W_ihᵀ + b_ih [B, G], PyTorch's conventions. */
function cellStep(cell: RegressionWorkload['cell'], v: Variables, xw: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D | null): { h: tf.Tensor2D; c: tf.Tensor2D | null } {
  const hw = tf.add(tf.matMul(h, v.weight_hh_l0, false, true), v.bias_hh_l0) as tf.Tensor2D;  // h·W_hhᵀ + b_hh
  switch (cell) {
    case 'rnn':
      return { h: tf.tanh(tf.add(xw, hw)) as tf.Tensor2D, c: null };
    case 'lstm': {
      const [i, f, g, o] = tf.split(tf.add(xw, hw), 4, 1);
      const cNext = tf.add(tf.mul(tf.sigmoid(f), c!), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
      return { h: tf.mul(tf.sigmoid(o), tf.tanh(cNext)) as tf.Tensor2D, c: cNext };
    }
    case 'gru': {
      const [xr, xz, xn] = tf.split(xw, 3, 1);
      const [hr, hz, hn] = tf.split(hw, 3, 1);
      const r = tf.sigmoid(tf.add(xr, hr));
      const z = tf.sigmoid(tf.add(xz, hz));
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));                       // reset after W_hn·h, as PyTorch
      return { h: tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D, c: null };  // h = (1 − z) ⊙ n + z ⊙ h_prev
    }
  }
}

function regressionSession(w: RegressionWorkload, fixture: Fixture, backend: string): Session {
  const { steps: T, batch: B, inputSize: I, hiddenSize: H } = w;
  const v = variables(fixture, ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'head.weight', 'head.bias']);
  const x = tf.tensor2d(Float32Array.from(fixture.get('x')), [T * B, I]);
  const y = tf.tensor2d(Float32Array.from(fixture.get('y')), [B, w.outputSize]);
  const optimizer = tf.train.sgd(w.learningRate);
  const loss = (): tf.Scalar => {
    const xw = tf.add(tf.matMul(x, v.weight_ih_l0, false, true), v.bias_ih_l0) as tf.Tensor2D;  // [T·B, G], all steps at once
    const perStep = tf.split(xw, T, 0) as tf.Tensor2D[];
    let state: { h: tf.Tensor2D; c: tf.Tensor2D | null } = { h: tf.zeros([B, H]), c: w.cell === 'lstm' ? tf.zeros([B, H]) : null };
    for (let t = 0; t < T; t++) state = cellStep(w.cell, v, perStep[t], state.h, state.c);
    const prediction = tf.add(tf.matMul(state.h, v['head.weight'], false, true), v['head.bias']);
    return tf.mean(tf.square(tf.sub(prediction, y))) as tf.Scalar;
  };
  return {
    detail: `hand-written ${w.cell.toUpperCase()} ops + variableGrads/SGD, backend '${backend}'${backendDetail(backend)}, float32`,
    versions: { tfjs: tf.version.tfjs },
    step() {
      const cost = optimizer.minimize(loss, true, Object.values(v))!;
      const value = cost.dataSync()[0];
      cost.dispose();
      return value;
    },
  };
}

/** min-char-rnn in tf ops: one-hot inputs, summed cross-entropy, clip ±5, Adagrad, hidden state carried over. */
function characterSession(w: CharacterWorkload, fixture: Fixture, backend: string): Session {
  const { vocabulary: V, hiddenSize: H, steps: T } = w;
  const v = variables(fixture, ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'head.weight', 'head.bias']);
  const text = Int32Array.from(fixture.get('text'));
  // Reference note: tf's Adagrad starts its sums at initialAccumulatorValue (> 0) and adds its ε inside the root;
  // 1e-8 makes it min-char-rnn's √(mem + 1e-8).
  const optimizer = tf.train.adagrad(w.learningRate, 1e-8);
  let position = 0;
  let h: tf.Tensor2D = tf.zeros([1, H]);
  return {
    detail: `hand-written tanh RNN ops + variableGrads/clipByValue/Adagrad, backend '${backend}'${backendDetail(backend)}, float32`,
    versions: { tfjs: tf.version.tfjs },
    step() {
      if (position + T + 1 >= text.length) {
        position = 0;
        h.dispose();
        h = tf.zeros([1, H]);
      }
      const inputs = tf.oneHot(tf.tensor1d(text.subarray(position, position + T), 'int32'), V).toFloat() as tf.Tensor2D;        // [T, V]
      const targets = tf.oneHot(tf.tensor1d(text.subarray(position + 1, position + T + 1), 'int32'), V).toFloat() as tf.Tensor2D;
      let hLast: tf.Tensor2D | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const xw = tf.add(tf.matMul(inputs, v.weight_ih_l0, false, true), v.bias_ih_l0) as tf.Tensor2D;  // [T, H]
        const rows = tf.split(xw, T, 0) as tf.Tensor2D[];
        const hs: tf.Tensor2D[] = [];
        let ht = h;
        for (let t = 0; t < T; t++) {
          ht = tf.tanh(tf.add(tf.add(rows[t], tf.matMul(ht, v.weight_hh_l0, false, true)), v.bias_hh_l0)) as tf.Tensor2D;
          hs.push(ht);
        }
        hLast = tf.keep(ht);
        const logits = tf.add(tf.matMul(tf.concat(hs, 0), v['head.weight'], false, true), v['head.bias']);  // [T, V]
        return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)))) as tf.Scalar;
      }, Object.values(v));
      const clipped = Object.entries(grads).map(([name, g]) => ({ name, tensor: tf.clipByValue(g, -w.clip, w.clip) }));
      optimizer.applyGradients(clipped);
      const loss = value.dataSync()[0] / T;
      tf.dispose([value, inputs, targets, h, ...Object.values(grads), ...clipped.map((c) => c.tensor)]);
      h = hLast!;
      position += T;
      return loss;
    },
  };
}

function backendDetail(backend: string): string {
  if (backend !== 'wasm') return ' (pure JavaScript)';
  return ` (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'on' : 'off'}, ${getThreadsCount()} thread${getThreadsCount() === 1 ? '' : 's'})`;
}

serve(async (implementation, workload, fixture) => {
  const backend = implementation === 'tfjs-wasm' ? 'wasm' : 'cpu';
  if (backend === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);  // one thread, as PyTorch's row
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
  await tf.ready();
  return workload.kind === 'regression' ? regressionSession(workload, fixture, backend) : characterSession(workload, fixture, backend);
});
