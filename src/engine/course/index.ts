// Engine layer (course API): the DeepLearning.AI Sequence Models week-1 assignments as functions with the notebooks'
// names, shapes (feature-major: x (n_x, m, T_x), a (n_a, m, T_x)) and dictionary keys, so learners can compare.
// Both notebooks have an `rnn_forward` and an `rnn_backward`: "Step by Step"'s are `rnnForward` / `rnnBackward`,
// Dinosaur Island's (the character model's loss) are `charRnnForward` / `charRnnBackward`. docs/course.md lists all.
export type { NestedNumbers, ParametersLike, TensorLike } from './arguments';
export * from './arrays';
export * from './dinosaurIsland';
export * from './gru';
export * from './lstm';
export * from './rnn';
export * from './bidirectional';
export * from './rnnUtils';
export * as np from './np';
export { RandomState } from '../random/randomState';
export { fromNested } from '../tensor';
export type { Tensor } from '../tensor';
