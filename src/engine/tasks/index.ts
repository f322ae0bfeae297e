// Engine layer: the public face of the tasks folder — the Task types, the registry and the text helpers.
export type { Batch, LossName, Targets, Task, TaskMode } from './task';
export type { TaskOptions, TaskSettings, TaskSpec } from './taskSpec';
export { DEFAULT_SEED, MAX_SEQUENCE_LENGTH } from './taskSpec';
export { TASK_NAMES, TASK_SPECS, createTask, describeTasks, getTaskSpec } from './registry';
export { VALIDATION_BATCH_SIZE } from './batchBuilding';
export { buildVocabulary, characterIndex, decodeIndices, encodeText, indexOfCharacter } from './textEncoding';
export { DINOSAUR_NAMES, DINOSAUR_VOCABULARY, splitDinosaurNames } from './dinosTask';
export { TEXT_CORPUS, TEXT_VOCABULARY, splitText } from './textTask';
export { SENTIMENT_VOCABULARY, decodeWords, encodeWords, reviewBatch, sentimentLabel } from './sentimentTask';
export { TEMPORAL_ORDER_CLASSES, TEMPORAL_ORDER_SYMBOLS } from './temporalOrderTask';
export { copyMemoryBaseline } from './copyMemoryTask';
export { AMBIGUOUS_WORD, WORD_SENSE_TAGS, WORD_SENSE_VOCABULARY, decodeSentenceWords, encodeSentenceWords, sentenceBatch, wordSenseTags } from './wordSenseTask';
export { DIGIT_NAMES, SPELLING_LETTERS, SPELLING_STOP, decodeSpelling, spellDigitBatch, spellDigitBaseline, spellingTargets } from './spellDigitTask';
