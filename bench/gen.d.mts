/** Types of the benchmark generator's exports that tests use (gen.mjs is plain JavaScript). */
/** mulberry32: a small, fast, seedable PRNG returning numbers in [0, 1). */
export function rng(seed: number): () => number;
