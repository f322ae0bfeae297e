// Language worker (Node, no vscode): the entry of dist/languageWorker.js — a worker_threads thread the extension host
// starts on the first completion or hover in a lesson cell, so the TypeScript compiler never runs on the host's event
// loop. It answers one request at a time; a request the host cancelled meanwhile is skipped or abandoned mid-way.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CANCEL_SLOTS, type FromLanguageWorker, type LanguageAnswers, type LanguageWorkerData, type ToLanguageWorker } from '../host/cellLanguageProtocol';
import { LabLanguageService } from '../host/labLanguageService';
import { parseLabTypes } from '../host/labTypes';

if (!parentPort) throw new Error('dist/languageWorker.js runs as a worker thread started by the RNN Lab extension');
const port = parentPort;
const data = workerData as LanguageWorkerData;
const cancelled = new Int32Array(data.cancelled);
let service: LabLanguageService | undefined;

function answer(request: ToLanguageWorker): FromLanguageWorker {
  const isCancelled = (): boolean => Atomics.load(cancelled, request.requestId % CANCEL_SLOTS) === request.requestId;
  if (isCancelled()) return { type: 'cancelled', requestId: request.requestId };
  service ??= new LabLanguageService(parseLabTypes(readFileSync(data.typesFile, 'utf8')));
  let result: LanguageAnswers[keyof LanguageAnswers];
  switch (request.type) {
    case 'completions': result = service.completions(request.position, isCancelled); break;
    case 'completionDetails': result = service.completionDetails(request.position, request.name, request.source, isCancelled); break;
    case 'hover': result = service.hover(request.position, isCancelled); break;
    case 'signatureHelp': result = service.signatureHelp(request.position, isCancelled); break;
    default: throw new Error(`unknown request '${(request as { type: unknown }).type}'`);
  }
  if (isCancelled()) return { type: 'cancelled', requestId: request.requestId };
  return { type: 'answer', requestId: request.requestId, answer: result };
}

port.on('message', (request: ToLanguageWorker) => {
  let reply: FromLanguageWorker;
  try {
    reply = answer(request);
  } catch (error) {
    reply = { type: 'error', requestId: request.requestId, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
