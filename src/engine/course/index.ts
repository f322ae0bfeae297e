// Engine layer (course API): the DeepLearning.AI Sequence Models week-1 assignments as functions with the notebooks'
// names, shapes (feature-major: x (n_x, m, T_x), a (n_a, m, T_x)) and dictionary keys, so learners can compare.
export * from './arrays';
export * from './lstm';
export * from './rnn';
export * from './rnnUtils';
export {
  clip,
  getInitialLoss,
  initializeParameters,
  MAX_SAMPLE_LENGTH,
  optimize,
  rnnStepBackward,
  rnnStepForward,
  sample,
  smooth,
  updateParameters,
  type CharIndex,
  type CharRnnBackwardGradients,
  type CharRnnCache,
  type CharRnnGradients,
  type CharRnnParameters,
} from './dinosaurIsland';
/** The Dinosaur Island notebook's own `rnn_forward`/`rnn_backward` (the character model's loss) live under this name. */
export * as dinosaurIsland from './dinosaurIsland';
