// Benchmark (issue #4): runner for brain.js 1.6 (pure JavaScript, Float32Array matrices, one sequence at a time).
// brain.js has no many-to-one regression or batches: as in issue #4's reference measurements, one "step" of W1/W2/W4 is one pass over
// the B sequences of the batch, each trained on its own (forward, BPTT, update) to predict its next input vector.
import type { Fixture } from './fixtureFile';
import { serve, type Session } from './runner';
import type { CharacterWorkload, RegressionWorkload } from './workloads';

/** The little of brain.js 1.6's API the runner uses (the package ships no types). */
interface BrainNetwork {
  formatData(data: unknown): unknown[];
  verifyIsInitialized(data: unknown[]): void;
  initialize(): void;
  trainPattern(input: unknown, logErrorRate: true): number;
  dataFormatter: unknown;
  readonly model: { readonly allMatrices: ReadonlyArray<{ readonly weights: ArrayLike<number> }> };
}
interface BrainModule {
  recurrent: Record<'LSTMTimeStep' | 'GRUTimeStep' | 'RNNTimeStep' | 'RNN', new (options: Record<string, unknown>) => BrainNetwork>;
  utilities: { DataFormatter: new (values: unknown[]) => unknown };
}

const brain = require('brain.js') as BrainModule;
const BRAIN_VERSION = (require('brain.js/package.json') as { version: string }).version;

/**
 * brain.js's error can overflow while the network is fine (its character RNN reports 2^(mean −log₂ p): one
 * probability that underflows to 0 makes it Infinity). So a non-finite error is passed on as it is, and only
 * non-finite weights — real divergence — end the run.
 */
function checked(net: BrainNetwork, error: number): number {
  if (!Number.isFinite(error) && !net.model.allMatrices.every((m) => Array.prototype.every.call(m.weights, Number.isFinite))) {
    throw new Error(`brain.js diverged: its error is ${error} and some weights are no longer finite`);
  }
  return error;
}

function regressionSession(w: RegressionWorkload, fixture: Fixture): Session {
  const { steps: T, batch: B, inputSize: I, hiddenSize: H } = w;
  const x = fixture.get('x');  // [T, B, I]
  const sequences = Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) => Array.from(x.subarray((t * B + b) * I, (t * B + b + 1) * I))));
  const Network = { lstm: brain.recurrent.LSTMTimeStep, gru: brain.recurrent.GRUTimeStep, rnn: brain.recurrent.RNNTimeStep }[w.cell];
  // brain.js's RNN cell is ReLU, and at its default learning rate (0.01) it diverges to NaN within the first step
  // here (its RMSProp has no bias correction: the first update is ~30·lr per weight); 0.001 trains.
  const learningRate = w.cell === 'rnn' ? 0.001 : 0.01;
  const net = new Network({ inputSize: I, hiddenLayers: [H], outputSize: I, learningRate });
  const formatted = net.formatData(sequences);
  net.verifyIsInitialized(formatted);
  return {
    detail: `recurrent.${w.cell === 'lstm' ? 'LSTM' : w.cell === 'gru' ? 'GRU' : 'RNN'}TimeStep, ${B} sequences × batch 1 per step, ` +
      `next-vector prediction, its RMSProp (lr ${learningRate})${w.cell === 'rnn' ? ', ReLU cell (brain.js has no tanh RNN)' : ''}, float32`,
    versions: { 'brain.js': BRAIN_VERSION },
    step() {
      let error = 0;
      for (const sequence of formatted) error += net.trainPattern(sequence, true);
      return checked(net, error / formatted.length);
    },
  };
}

/**
 * brain.js's character RNN on the same text and vocabulary: each step trains one 25-character sequence from a zero
 * state (brain.js carries no state between patterns), with its built-in RMSProp and clip ±5.
 */
function characterSession(w: CharacterWorkload, fixture: Fixture): Session {
  const vocabulary = fixture.header.vocabulary!;
  const text = Array.from(fixture.get('text'));
  // Its RMSProp has no bias correction (the first update is ~30·lr per weight): at 0.01 or 0.001 this ReLU RNN
  // diverges within a few sequences; at 3e-4 its hidden state often grows until its error measure overflows; 1e-4
  // trains steadily.
  const learningRate = 1e-4;
  const net = new brain.recurrent.RNN({ hiddenLayers: [w.hiddenSize], learningRate });
  net.dataFormatter = new brain.utilities.DataFormatter([vocabulary]);  // characters in vocabulary order: same indices
  net.initialize();
  let position = 0;
  return {
    detail: `recurrent.RNN (ReLU cell, embedding input), ${w.steps} characters per step from a zero state, its RMSProp (lr ${learningRate}), clip ±5, float32; loss is brain.js's own error measure`,
    versions: { 'brain.js': BRAIN_VERSION },
    step() {
      if (position + w.steps + 1 >= text.length) position = 0;
      const error = net.trainPattern(text.slice(position, position + w.steps), true);
      position += w.steps;
      return checked(net, error);
    },
  };
}

serve((_implementation, workload, fixture) =>
  workload.kind === 'regression' ? regressionSession(workload, fixture) : characterSession(workload, fixture));
