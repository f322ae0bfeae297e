// Node layer: messages over a byte stream as frames (a 4-byte length, then V8's structured-clone format, as Node's
// 'advanced' IPC) with a size limit enforced before a frame is buffered, so a process that is not trusted (the
// grader's sandbox) can make its reader hold at most one frame of at most `maxFrameBytes`, and only real messages.
import { deserialize, serialize } from 'node:v8';

const HEADER_BYTES = 4;

/** Why a stream of frames was refused: `reason` in words, for the report. */
export class FrameError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FrameError';
  }
}

/** One message as a frame. Throws when the message cannot be serialized (a function, a symbol). */
export function encodeFrame(message: unknown): Buffer {
  const body = serialize(message);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/**
 * Reads frames from chunks as they arrive. `onMessage` gets each message; after a frame larger than `maxFrameBytes`
 * or one that does not deserialize, `onError` is called once and everything after is ignored.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed = false;
  /** The length of the frame being read, once its header is in. */
  private expected: number | undefined;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onMessage: (message: unknown) => void,
    private readonly onError: (error: FrameError) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.failed) {
      if (this.expected === undefined) {
        if (this.buffered < HEADER_BYTES) return;
        const length = this.take(HEADER_BYTES).readUInt32BE(0);
        if (length > this.maxFrameBytes) {
          this.fail(`a message of ${length} bytes, over the limit of ${this.maxFrameBytes}`);
          return;
        }
        this.expected = length;
      }
      // Chunks are joined only once the whole frame is here: a large frame arriving in small chunks is copied once.
      if (this.buffered < this.expected) return;
      const body = this.take(this.expected);
      this.expected = undefined;
      let message: unknown;
      try {
        message = deserialize(body);
      } catch (error) {
        this.fail(`a message that is not structured-clone data (${(error as Error).message})`);
        return;
      }
      this.onMessage(message);
    }
  }

  private fail(reason: string): void {
    this.failed = true;
    this.chunks = [];
    this.buffered = 0;
    this.onError(new FrameError(reason));
  }

  /** The first `count` buffered bytes, removed from the buffer. */
  private take(count: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const rest = joined.subarray(count);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return joined.subarray(0, count);
  }
}
