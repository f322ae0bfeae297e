// Engine layer: the WebAssembly kernels at run time — the compiled module, its shared memory, the allocator that
// places the engine's float32 arrays in that memory, and the phases a layer runs (on one thread, or shared part by
// part with helper threads on the same memory: sharedPhases.ts).
import { MAX_PARTS } from './descriptor';
import { KERNELS_WASM_BASE64 } from './kernelsWasm';
import { ShareOrAlone, SharedPhases, type Phase } from './sharedPhases';

interface KernelExports {
  gemm(m: number, n: number, k: number, a: number, rsA: number, csA: number, b: number, ldb: number, c: number, ldc: number, accumulate: number): void;
  gemmTransposedA(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, pack: number): void;
  transpose(rows: number, cols: number, src: number, lds: number, dst: number, ldd: number): void;
  maxParts(): number;
  forwardProjection(descriptor: number, part: number, parts: number, slot: number): void;
  forwardSteps(descriptor: number, part: number, parts: number, slot: number): void;
  backwardSteps(descriptor: number, part: number, parts: number, slot: number): void;
  backwardWeights(descriptor: number, part: number, parts: number, slot: number): void;
}

const PAGE = 65_536;
/** 4 GB: all a 32-bit memory can address. The engine's budget check (budget.ts) refuses larger networks first. */
const MAXIMUM_PAGES = 65_536;
/** Below this many multiply-adds a phase runs on one thread: waking a helper costs more than it saves. */
const PARALLEL_THRESHOLD = 1 << 21;
/**
 * From this many multiply-adds (several milliseconds, longer than the time slices a busy core is handed out in) a phase
 * is always shared: a preempted helper costs it little, and trying it alone would cost the whole of one thread's time.
 */
const ALWAYS_SHARED = 1 << 27;
/**
 * Parts a shared phase is cut into, per thread. More parts balance better when a helper comes late or runs slowly
 * (the training thread waits at most for the part a helper is running); fewer keep each part's products larger.
 */
export const PARTS_PER_THREAD = 4;
const ALIGNMENT = 16;

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled kernels, or null where this JavaScript engine lacks WebAssembly SIMD or shared memory (then the
 * engine computes in float64 TypeScript). Compiled once per thread.
 */
export function kernelsModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** A float array placed in the shared memory: its byte offset (what the kernels read) and a view of it. */
export interface Float32Block {
  readonly offset: number;
  readonly view: Float32Array;
}

/** The memory, the allocator and the phases: one per thread that trains. */
export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  private readonly exports: KernelExports;
  private readonly free: { offset: number; size: number }[] = [];
  private top = 1024;   // offset 0 means "no array" to the kernels
  private sharing: SharedPhases | null = null;
  private helperCount = 0;
  /** Per phase and size (its multiply-adds): whether sharing it has paid lately. */
  private readonly choices = new Map<Phase, Map<number, ShareOrAlone>>();

  constructor(module: WebAssembly.Module, memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 16, maximum: MAXIMUM_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    if (this.exports.maxParts() !== MAX_PARTS) throw new Error('the WebAssembly kernels were built from another descriptor layout: run `npm run wasm`');
  }

  /**
   * Shares every phase large enough to gain from it with `count` helper threads from now on, and returns the control
   * words they must watch (each runs `helperProgram(slot)` of sharedPhases.ts on this memory); `count` 0 tells any
   * helpers to end and returns null.
   */
  useHelpers(count: number): SharedArrayBuffer | null {
    if (count + 1 > MAX_PARTS) throw new RangeError(`the kernels share work between ${MAX_PARTS} threads at most, got ${count + 1}`);
    this.sharing?.stop();
    this.choices.clear();   // what paid with the old helpers says nothing about the new
    this.helperCount = count;
    this.sharing = count > 0 ? new SharedPhases((phase, descriptor, part, parts, slot) => this.exports[phase](descriptor, part, parts, slot)) : null;
    return this.sharing?.control ?? null;
  }

  get threads(): number {
    return 1 + this.helperCount;
  }

  /** Phases shared with helpers so far, and the parts of them the helpers ran (for tests and the bench). */
  get sharedWork(): { readonly phases: number; readonly helperParts: number } {
    return { phases: this.sharing?.phases ?? 0, helperParts: this.sharing?.helperParts ?? 0 };
  }

  /**
   * Runs a phase; `work` (multiply-adds) decides whether the helpers may join in, whether they always do, and otherwise
   * how long sharing it and running it alone have taken lately (ShareOrAlone).
   */
  run(phase: Phase, descriptor: number, work: number): void {
    if (!this.sharing || work < PARALLEL_THRESHOLD) {
      this.exports[phase](descriptor, 0, 1, 0);
      return;
    }
    const choice = work >= ALWAYS_SHARED ? undefined : this.choiceFor(phase, work);
    const share = choice?.share() ?? true;
    const started = performance.now();
    if (share) this.sharing.run(phase, descriptor, PARTS_PER_THREAD * this.threads);
    else this.exports[phase](descriptor, 0, 1, 0);
    choice?.record(share, performance.now() - started);
  }

  private choiceFor(phase: Phase, work: number): ShareOrAlone {
    let bySize = this.choices.get(phase);
    if (!bySize) this.choices.set(phase, bySize = new Map());
    let choice = bySize.get(work);
    if (!choice) bySize.set(work, choice = new ShareOrAlone());
    return choice;
  }

  /** dst [cols, rows] (rows ldd floats apart) = srcᵀ for src [rows, cols] (rows lds apart), both in this memory. */
  transpose(rows: number, cols: number, src: Float32Block, lds: number, dst: Float32Block, ldd: number): void {
    this.exports.transpose(rows, cols, src.offset, lds, dst.offset, ldd);
  }

  /** C (+)= A·B on arrays in this memory (see assembly/kernels.ts for the strides): for measuring the products alone. */
  gemm(m: number, n: number, k: number, a: number, rsA: number, csA: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean): void {
    this.exports.gemm(m, n, k, a, rsA, csA, b, ldb, c, ldc, accumulate ? 1 : 0);
  }

  /** C = Aᵀ·B with A stored [k, m], through `pack` [m, 64] (the weight gradients' product). */
  gemmTransposedA(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, pack: number): void {
    this.exports.gemmTransposedA(m, n, k, a, lda, b, ldb, c, ldc, pack);
  }

  /**
   * The float64 `Gemm` of kernels.ts computed in float32 here: the operands are copied into this memory (B transposed
   * when it is stored transposed), multiplied, and C copied back. For the small products outside the recurrent
   * layers — the output head — where copying costs less than float64 JavaScript loops.
   */
  gemmFloat64(m: number, n: number, k: number, a: Float64Array, transposeA: boolean, b: Float64Array, transposeB: boolean, c: Float64Array, accumulate: boolean): void {
    const [sa, sb, sc, st] = this.scratch(m * k, k * n, m * n, transposeB ? k * n : 0);
    sa.view.set(a.subarray(0, m * k));
    if (transposeB) {
      st.view.set(b.subarray(0, k * n));
      this.exports.transpose(n, k, st.offset, k, sb.offset, n);
    } else {
      sb.view.set(b.subarray(0, k * n));
    }
    if (accumulate) sc.view.set(c.subarray(0, m * n));
    // A as used is m×k: stored so (rows of k) or stored k×m and read transposed.
    this.exports.gemm(m, n, k, sa.offset, transposeA ? 1 : k, transposeA ? m : 1, sb.offset, n, sc.offset, n, accumulate ? 1 : 0);
    c.set(sc.view.subarray(0, m * n));
  }

  private scratchBlocks: Float32Block[] = [];

  /** Reusable float32 arrays of at least these lengths, grown (never shrunk) as needed. */
  private scratch(...lengths: number[]): Float32Block[] {
    return lengths.map((length, i) => {
      let block = this.scratchBlocks[i];
      if (!block || block.view.length < length) {
        if (block) this.release(block);
        this.scratchBlocks[i] = block = this.allocateFloat32(Math.max(length, 2 * (block?.view.length ?? 0)));
      }
      return { offset: block.offset, view: block.view.subarray(0, length) };
    });
  }

  allocateFloat32(length: number): Float32Block {
    const offset = this.allocate(length * 4);
    return { offset, view: new Float32Array(this.memory.buffer, offset, length) };
  }

  allocateFloat64(length: number): { offset: number; view: Float64Array } {
    const offset = this.allocate(length * 8);
    return { offset, view: new Float64Array(this.memory.buffer, offset, length) };
  }

  allocateWords(length: number): { offset: number; view: Int32Array } {
    const offset = this.allocate(length * 4);
    return { offset, view: new Int32Array(this.memory.buffer, offset, length) };
  }

  /** Returns a block to the allocator (neighbouring free blocks merge). */
  release(block: { offset: number; view: ArrayBufferView }): void {
    const size = Math.max(ALIGNMENT, roundUp(block.view.byteLength));
    this.free.push({ offset: block.offset, size });
    this.free.sort((a, b) => a.offset - b.offset);
    for (let i = this.free.length - 1; i > 0; i--) {
      const before = this.free[i - 1];
      if (before.offset + before.size === this.free[i].offset) {
        before.size += this.free[i].size;
        this.free.splice(i, 1);
      }
    }
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.size === this.top) {
      this.top = last.offset;
      this.free.pop();
    }
  }

  /** Bytes in use (allocated and not released): what the engine's arrays take in this memory. */
  get bytesInUse(): number {
    return this.top - 1024 - this.free.reduce((sum, block) => sum + block.size, 0);
  }

  private allocate(bytes: number): number {
    const size = Math.max(ALIGNMENT, roundUp(bytes));
    const fit = this.free.findIndex((block) => block.size >= size);
    if (fit >= 0) {
      const block = this.free[fit];
      const offset = block.offset;
      if (block.size === size) this.free.splice(fit, 1);
      else {
        block.offset += size;
        block.size -= size;
      }
      new Uint8Array(this.memory.buffer, offset, size).fill(0);
      return offset;
    }
    const offset = this.top;
    const end = offset + size;
    if (end > MAXIMUM_PAGES * PAGE) throw new RangeError(`the network's float32 arrays need more than 4 GB (${Math.ceil(end / 2 ** 20)} MiB)`);
    const pages = Math.ceil(end / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    this.top = end;
    return offset;
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
}

let runtime: WasmRuntime | null | undefined;

/** This thread's runtime, created on first use; null where the kernels cannot run. */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime === undefined) {
    const module = kernelsModule();
    try {
      runtime = module ? new WasmRuntime(module) : null;
    } catch {
      runtime = null;
    }
  }
  return runtime;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
