// CLI layer: `rnn-lab gradcheck` — checks the engine's backpropagation through time against finite differences on
// small float64 networks, and prints the worst relative error per parameter, so a learner can see the gradients are right.
import { CheckedValue, gradientCheck, GradcheckResult } from '../engine/gradcheck';
import type { StackConfig } from '../engine/layers/recurrentStack';
import { SequenceModel } from '../engine/model';
import { RandomState } from '../engine/random/randomState';
import type { Batch } from '../engine/tasks/task';
import { Command, EXIT, formatCommandHelp } from './command';
import { oneOf, option, parseFlags, realNumber, toggle, UsageError, wholeNumber } from './flags';

const FLAGS = {
  cell: option('KIND', oneOf(['all', 'rnn', 'gru', 'lstm'] as const), 'all', 'Which cells: all, rnn (tanh and relu), gru (reset after and before) or lstm.'),
  layers: option('N', wholeNumber, 1, 'Stacked layers in each checked network (1 to 4).'),
  bidirectional: toggle('Check bidirectional networks.'),
  tolerance: option('X', realNumber, 1e-7, 'Largest relative error that passes.'),
  seed: option('S', wholeNumber, 7, 'Seed of the random weights, inputs and targets.'),
};

/** The checked network is small on purpose: every entry of every parameter is nudged four times. */
const SIZES = { input: 4, hidden: 4, output: 3, timeSteps: 5, batch: 3 } as const;

type CellVariant = Pick<StackConfig, 'cell' | 'nonlinearity' | 'gruReset'> & { readonly label: string };

const VARIANTS: Record<'rnn' | 'gru' | 'lstm', CellVariant[]> = {
  rnn: [{ label: 'rnn tanh', cell: 'rnn', nonlinearity: 'tanh' }, { label: 'rnn relu', cell: 'rnn', nonlinearity: 'relu' }],
  gru: [{ label: 'gru reset after', cell: 'gru', gruReset: 'after' }, { label: 'gru reset before', cell: 'gru', gruReset: 'before' }],
  lstm: [{ label: 'lstm', cell: 'lstm' }],
};

export interface ParameterResult {
  readonly name: string;
  /** Worst relative error over the entries that were compared. */
  readonly worst: number;
  /** Entries skipped because their finite difference straddled a ReLU kink. */
  readonly kinks: number;
}

export interface GradcheckCaseResult {
  readonly label: string;
  /** In the model's parameter order. */
  readonly parameters: ParameterResult[];
  readonly checked: number;
}

/** The central difference step (the engine's default). */
const EPSILON = 1e-3;

/**
 * Kink test for a failing ReLU entry. Where the loss is smooth, the fourth-order estimates with ε and ε/2 agree to
 * round-off (~1e-10 relative here); when a ReLU input crosses 0 within the stencil they move with ε. The test looks
 * at the two numeric estimates only, never at the analytic gradient, so a wrong backward cannot make itself skipped.
 */
const ROUND_OFF = 1e-7;

function straddlesKink(coarse: GradcheckResult, fine: GradcheckResult): boolean {
  const a = coarse.worst?.numeric ?? NaN;
  const b = fine.worst?.numeric ?? NaN;
  const disagreement = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-5);
  return disagreement > ROUND_OFF;
}

export const gradcheckCommand: Command = {
  name: 'gradcheck',
  summary: 'Check the engine\'s gradients against finite differences (float64).',
  help: () => formatCommandHelp(
    'rnn-lab gradcheck [flags]',
    'Builds small float64 networks, computes every parameter gradient with backpropagation through time, and\n'
      + 'compares each entry with the fourth-order central difference of the loss. Prints the worst relative error per\n'
      + 'parameter; exits with 1 if any exceeds --tolerance.',
    FLAGS,
    'Example:\n  rnn-lab gradcheck --cell gru --layers 2 --bidirectional',
  ),
  run: async (args) => {
    const { flags } = parseFlags(args, FLAGS);
    if (flags.layers < 1 || flags.layers > 4) throw new UsageError(`--layers must be a whole number from 1 to 4, got ${flags.layers}`);
    if (!(flags.tolerance > 0)) throw new UsageError(`--tolerance must be a positive number, got ${flags.tolerance}`);
    if (flags.seed < 0 || flags.seed > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got ${flags.seed}`);
    const variants = flags.cell === 'all' ? [...VARIANTS.rnn, ...VARIANTS.gru, ...VARIANTS.lstm] : VARIANTS[flags.cell];
    const shape = `${flags.bidirectional ? 'bidirectional, ' : ''}${flags.layers} layer${flags.layers > 1 ? 's' : ''}`;
    process.stdout.write(`Gradient check: float64, fourth-order central differences, T = ${SIZES.timeSteps}, batch ${SIZES.batch}, hidden ${SIZES.hidden}, ${shape}; tolerance ${flags.tolerance}\n\n`);
    const results = variants.map((variant) => checkVariant(variant, flags.layers, flags.bidirectional, flags.seed, flags.tolerance));
    process.stdout.write(formatTable(results, flags.tolerance));
    const rows = results.flatMap((r) => r.parameters.map((p) => ({ label: r.label, ...p })));
    const failures = rows.filter((row) => !(row.worst <= flags.tolerance));
    const worst = rows.reduce((a, b) => (!(b.worst <= a.worst) ? b : a));
    const entries = results.reduce((sum, r) => sum + r.checked, 0);
    const kinks = rows.reduce((sum, row) => sum + row.kinks, 0);
    if (kinks > 0) {
      process.stdout.write(`\nReLU is not differentiable at 0: ${kinks} entr${kinks === 1 ? 'y' : 'ies'} whose finite difference straddled a kink (the estimates with ε and ε/2 disagree) ${kinks === 1 ? 'was' : 'were'} skipped.\n`);
    }
    if (failures.length > 0) {
      process.stdout.write(`\nFAILED: ${failures.length} parameter(s) exceed the tolerance ${flags.tolerance} (worst ${worst.worst.toExponential(2)}: ${worst.label}, ${worst.name}).\n`);
      return EXIT.failure;
    }
    process.stdout.write(`\nPassed: ${entries} gradient entries in ${results.length} network(s); worst relative error ${worst.worst.toExponential(2)} (${worst.label}, ${worst.name}).\n`);
    return EXIT.ok;
  },
};

/**
 * One network: a random initial state (so the paths through h⟨0⟩ and c⟨0⟩ are checked too), many-to-many softmax
 * cross-entropy, and weights scaled up for the saturating cells so their gates leave the linear region (not for
 * ReLU, whose activations would grow until round-off swamps the differences). Entries are checked one at a time
 * so that, for ReLU, an entry whose finite difference straddles a kink can be recognised and skipped.
 */
export function checkVariant(variant: CellVariant, layers: number, bidirectional: boolean, seed: number, tolerance: number): GradcheckCaseResult {
  const rng = new RandomState(seed);
  const { input: I, hidden: H, output: O, timeSteps: T, batch: B } = SIZES;
  const { label, ...cell } = variant;
  const model = new SequenceModel({
    stack: { ...cell, inputSize: I, hiddenSize: H, numLayers: layers, bidirectional },
    outputSize: O, mode: 'many-to-many', loss: 'softmax-cross-entropy',
  }, rng);
  const relu = variant.nonlinearity === 'relu';
  const scale = relu ? 1 : 2.5;
  for (const p of model.parameters()) p.value.data.forEach((v, i, a) => (a[i] = v * scale));
  const batch: Batch = {
    x: { shape: [T, B, I], data: rng.randnArray(T * B * I) },
    targets: { kind: 'classes', shape: [T, B], indices: Int32Array.from({ length: T * B }, () => rng.randint(0, O)) },
  };
  const D = bidirectional ? 2 : 1;
  const stateShape = [layers * D, B, H];
  const initial = {
    h: { shape: stateShape, data: rng.randnArray(layers * D * B * H).map((v) => 0.5 * v) },
    ...(variant.cell === 'lstm' ? { c: { shape: stateShape, data: rng.randnArray(layers * D * B * H) } } : {}),
  };
  model.zeroGrad();
  model.lossAndGradients(batch, { initial });
  const lossOnly = (): number => model.lossOf(model.predict(batch.x, initial).output.data, batch.targets).loss;
  let checked = 0;
  const parameters = model.parameters().map((p): ParameterResult => {
    let worst = 0;
    let kinks = 0;
    for (let i = 0; i < p.value.data.length; i++) {
      // A one-entry view sharing the parameter's memory: the check nudges the real weight.
      const entry: CheckedValue = { name: p.name, value: { data: p.value.data.subarray(i, i + 1) }, grad: { data: p.grad.data.subarray(i, i + 1) } };
      const coarse = gradientCheck(lossOnly, [entry], { epsilon: EPSILON });
      if (relu && !(coarse.maxError <= tolerance)) {
        if (straddlesKink(coarse, gradientCheck(lossOnly, [entry], { epsilon: EPSILON / 2 }))) {
          kinks++;
          continue;
        }
      }
      checked++;
      if (!(coarse.maxError <= worst)) worst = coarse.maxError;
    }
    return { name: p.name, worst, kinks };
  });
  return { label, parameters, checked };
}

function formatTable(results: readonly GradcheckCaseResult[], tolerance: number): string {
  const rows = results.flatMap((r) => r.parameters.map((p) => [
    r.label, p.name, p.worst.toExponential(2), `${p.worst <= tolerance ? 'ok' : 'FAIL'}${p.kinks > 0 ? ` (${p.kinks} at a kink, skipped)` : ''}`,
  ]));
  const header = ['network', 'parameter', 'worst rel. error', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const format = (row: string[]): string => row.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}
