// Engine layer: the layout of a layer descriptor — the block of 32-bit words through which TypeScript hands one
// direction of one recurrent layer (sizes and the byte offsets of its arrays) to the WebAssembly kernels.
// This file is compiled twice: by tsc for the engine and by AssemblyScript for assembly/kernels.ts. It may therefore
// hold nothing but integer constants.

/** The cells the kernels implement, in the descriptor's D_CELL word. */
export const CELL_RNN_TANH = 0;
export const CELL_RNN_RELU = 1;
export const CELL_GRU_RESET_AFTER = 2;
export const CELL_GRU_RESET_BEFORE = 3;
export const CELL_LSTM = 4;

/** Threads that may share one layer's work at once (each has its own slot of the work spaces: D_PACK). */
export const MAX_PARTS = 2;

/** Rows of the operands each pass of the matrix product sums over; the weight-gradient products pack this many at a time. */
export const PACK_TERMS = 64;

/**
 * Floats added to each row of the float32 weight copies the products read as B (W_ih, W_hh and their transposes): a
 * row of 2048 floats is 8 KB, a multiple of the 4 KB that maps an address to its L1 cache set, so the rows a tile walks
 * down would all fall into one set and be evicted as they arrive (W4's h·W_hhᵀ ran at half speed). One cache line more
 * per row spreads them over the sets. Row r of such a copy with n columns starts at float r·(n + WEIGHT_ROW_PAD).
 */
export const WEIGHT_ROW_PAD = 16;

// Word indexes. Sizes first; every other word is the byte offset of a float32 array in the shared memory, or of a
// float64 array where noted. Shapes use T steps, B batch rows, I inputs, H hidden units and G = gates·H.
export const D_CELL = 0;
export const D_STEPS = 1;
export const D_BATCH = 2;
export const D_INPUT = 3;
export const D_HIDDEN = 4;
export const D_REVERSE = 5;          // 1: reads the sequence from t = T−1 down to 0
export const D_X = 6;                // [T, B, I] the layer's input, by time position
export const D_W_IH_T = 7;           // [I, G] weight_ihᵀ, rows G + WEIGHT_ROW_PAD floats apart
export const D_W_IH = 8;             // [G, I] weight_ih, rows I + WEIGHT_ROW_PAD apart
export const D_B_IH = 9;             // [G]
export const D_W_HH_T = 10;          // [H, G] weight_hhᵀ, rows G + WEIGHT_ROW_PAD apart
export const D_W_HH = 11;            // [G, H] weight_hh, rows H + WEIGHT_ROW_PAD apart
export const D_B_HH = 12;            // [G]
export const D_X_PROJECTION = 13;    // [T, B, G] x·W_ihᵀ + b_ih, by time position; may be D_GATES (LSTM) or the states h⟨t⟩ (RNN), overwritten step by step
export const D_GATES = 14;           // [T, B, W] activated gates, W = 4H for GRU (r z n + h·W_hnᵀ+b_hn or r⊙h) and LSTM, H for RNN (unused)
export const D_STATES = 15;          // [T+1, B, H] h: forward [0] = h0, [t+1] = h⟨t⟩; reverse [t] = h⟨t⟩, [T] = h0
export const D_CELLS = 16;           // [T+1, B, H] LSTM c, the same layout
export const D_SCRATCH = 17;         // [B, 4H] per-step work rows (GRU)
export const D_GATE_STATS = 18;      // float64 [T, gates, B, 2]: per batch row, the sum of the activations and the count saturated
export const D_D_OUTPUTS = 19;       // [T, B, H] ∂L/∂output by time position, or 0
export const D_DH_FINAL = 20;        // [B, H] ∂L/∂h of the final state, or 0
export const D_DC_FINAL = 21;        // [B, H] LSTM ∂L/∂c of the final state, or 0
export const D_DX_PROJECTION = 22;   // [T, B, G] ∂L/∂(x·W_ihᵀ + b_ih); may be D_GATES (LSTM: each step's gradients replace its gates)
export const D_DH_PROJECTION = 23;   // [T, B, G] ∂L/∂(h·W_hhᵀ + b_hh); the same array as D_DX_PROJECTION except for GRU reset-after
export const D_DH = 24;              // [2, B, H] ∂L/∂h carried between steps (two halves, swapped each step)
export const D_DC = 25;              // [2, B, H] LSTM ∂L/∂c the same way
export const D_DH0 = 26;             // [B, H] ∂L/∂h0
export const D_DC0 = 27;             // [B, H] LSTM ∂L/∂c0
export const D_H_NORMS = 28;         // float64 [T, B] ‖∂L/∂h⟨t⟩‖ of each batch row (per row: the same however rows are shared out)
export const D_C_NORMS = 29;         // float64 [T, B] the same for ∂L/∂c⟨t⟩
export const D_DW_IH = 30;           // [G, I] ∂L/∂weight_ih of this pass (overwritten)
export const D_DB_IH = 31;           // [G]
export const D_DW_HH = 32;           // [G, H]
export const D_DB_HH = 33;           // [G]
export const D_DX = 34;              // [T, B, I] ∂L/∂x, or 0 when nobody needs it
export const D_PACK = 35;            // [MAX_PARTS, G, PACK_TERMS] work space of the weight-gradient products
export const D_ROW_SCALES = 36;      // int32 [B] backward work space: the exponent k of the scale 2^k each row's carried gradients have
export const D_WORDS = 37;
