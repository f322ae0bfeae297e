// Kernel layer, types only: the 'rnn-lab' module as TypeScript sees it in a lesson cell (completion, hover) — the
// object createLabModule (labModule.ts) builds, declared as a module. scripts/labTypes.mjs emits its declarations;
// test/kernel/labModuleTypes.test.ts checks that it names exactly the values that object holds, so the two cannot drift.
export * from '../engine/index';
