// Webview layer: a run's per-step history as chart points — downsampled to at most MAX_CURVE_POINTS, with the steps
// that are not finite returned separately so the chart can mark them instead of leaving an unexplained gap.
import { downsampleIndices } from '../shared/downsample';
import { point, type CrossMarker, type Point } from './charts';

/** Points per drawn curve: enough for a smooth line on any screen, few enough to redraw every frame. */
export const MAX_CURVE_POINTS = 1000;

/**
 * Line width for a curve of `points` points: long noisy curves are drawn 1 px wide, which browsers stroke as a
 * hairline — many times cheaper than a wider stroke when the canvas is rasterized without a GPU.
 */
export function curveWidth(points: number, wide: number): number {
  return points > 200 ? 1 : wide;
}

export interface Curve {
  readonly points: Point[];
  /** Steps (among the kept ones) whose value was NaN or infinite. */
  readonly nonFinite: number[];
}

export function curve(steps: readonly number[], values: readonly number[], logarithmic: boolean): Curve {
  const points: Point[] = [];
  const nonFinite: number[] = [];
  for (const i of downsampleIndices(values, MAX_CURVE_POINTS)) {
    points.push(point(steps[i], values[i], logarithmic));
    if (!Number.isFinite(values[i])) nonFinite.push(steps[i]);
  }
  return { points, nonFinite };
}

export function crosses(steps: readonly number[], color: string): CrossMarker[] {
  return steps.map((x) => ({ x, color }));
}

/** A dashed horizontal line across [from, to] (a baseline or a clipping threshold). */
export function horizontal(y: number, from: number, to: number): Point[] {
  return [{ x: from, y }, { x: to, y }];
}

/** The largest finite value (−Infinity when there is none); a loop, since spreading a long history overflows the stack. */
export function maxFinite(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]) && values[i] > max) max = values[i];
  return max;
}

/** True when the positive finite values of `series` span more than `decades` powers of ten (a log axis reads better). */
export function spansDecades(series: readonly (readonly number[])[], decades: number): boolean {
  let min = Infinity;
  let max = 0;
  for (const values of series) {
    for (const v of values) {
      if (Number.isFinite(v) && v > 0) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return max > 0 && max / min > 10 ** decades;
}
