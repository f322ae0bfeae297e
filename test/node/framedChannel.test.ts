// Node tests: frames over a byte stream — messages (typed arrays included) survive any chunking, and a reader facing
// an untrusted writer refuses a frame over its limit before buffering it, and refuses bytes that are not a message.
import assert from 'node:assert/strict';
import { encodeFrame, FrameReader } from '../../src/node/framedChannel';

function readAll(bytes: Buffer, chunkSize: number, limit = 1024 * 1024): { messages: unknown[]; errors: string[] } {
  const messages: unknown[] = [];
  const errors: string[] = [];
  const reader = new FrameReader(limit, (message) => messages.push(message), (error) => errors.push(error.message));
  for (let start = 0; start < bytes.length; start += chunkSize) reader.push(bytes.subarray(start, start + chunkSize));
  return { messages, errors };
}

describe('node/framedChannel: messages as frames', () => {
  const messages = [{ type: 'ready' }, { type: 'student', id: 3, outcome: { kind: 'value', value: new Float64Array([1.5, -2]) } }, { type: 'stream', id: 3, text: 'ü'.repeat(1000) }];
  const bytes = Buffer.concat(messages.map(encodeFrame));

  it('reads every message back, whole or one byte at a time', () => {
    for (const chunkSize of [bytes.length, 7, 1]) {
      const { messages: read, errors } = readAll(bytes, chunkSize);
      assert.deepEqual(errors, []);
      assert.deepEqual(read, messages);
    }
  });

  it('refuses a frame announced over the limit as soon as its header is read, and everything after it', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(3_000_000_000, 0);
    const { messages: read, errors } = readAll(Buffer.concat([encodeFrame({ type: 'ready' }), header, encodeFrame({ type: 'ready' })]), 5);
    assert.deepEqual(read, [{ type: 'ready' }]);
    assert.deepEqual(errors, ['a message of 3000000000 bytes, over the limit of 1048576']);
  });

  it('refuses bytes that are not structured-clone data', () => {
    const garbage = Buffer.from('not a message at all');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(garbage.length, 0);
    const { messages: read, errors } = readAll(Buffer.concat([header, garbage]), 3);
    assert.deepEqual(read, []);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^a message that is not structured-clone data/);
  });
});
