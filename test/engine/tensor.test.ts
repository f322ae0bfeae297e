// Engine tests: tensor helpers that the charts' numbers go through.
import * as assert from 'node:assert/strict';
import { norm } from '../../src/engine/tensor';

describe('tensor', () => {
  it('norm reads vectors whose squares leave float64 (a vanishing ‖∂L/∂h⟨t⟩‖ near 1e-250, an exploding one near 1e200)', () => {
    const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) <= 1e-15 * expected, `${actual} is not ${expected}`);
    near(norm(Float64Array.of(3e-250, 4e-250)), 5e-250);
    near(norm(Float64Array.of(3e200, -4e200)), 5e200);
    assert.equal(norm(Float64Array.of(0, 3, 4, 0), 1, 3), 5);
    assert.equal(norm(new Float64Array(3)), 0);
    assert.ok(Number.isNaN(norm(Float64Array.of(1, NaN))));
    assert.equal(norm(Float64Array.of(1, -Infinity)), Infinity);
  });
});
