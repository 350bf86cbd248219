// Per-device point buffers and their alignment into uPlot's one-x-array data layout.

/** Points of one device, times in seconds, in time order; `null` marks a gap. */
export class Series {
  private t: number[] = [];
  private v: (number | null)[] = [];
  private start = 0;

  /** Number of points kept. */
  get length(): number {
    return this.t.length - this.start;
  }

  /** The newest time, or -Infinity. */
  get last(): number {
    return this.t.length > this.start ? this.t[this.t.length - 1]! : -Infinity;
  }

  push(t: number, v: number | null): void {
    const n = this.t.length;
    if (n === this.start || t >= this.t[n - 1]!) {
      this.t.push(t);
      this.v.push(v);
      return;
    }
    // out of order (rare): insert in place
    let i = n - 1;
    while (i > this.start && this.t[i - 1]! > t) i--;
    this.t.splice(i, 0, t);
    this.v.splice(i, 0, v);
  }

  /** Forget points older than `minT`, and keep at most `max` points. */
  trim(minT: number, max: number): void {
    let s = this.start;
    const n = this.t.length;
    while (s < n && this.t[s]! < minT) s++;
    if (n - s > max) s = n - max;
    this.start = s;
    if (s > 4096 && s > n / 2) {
      this.t = this.t.slice(s);
      this.v = this.v.slice(s);
      this.start = 0;
    }
  }

  /** Visits the points at or after `from`. */
  forEach(from: number, f: (t: number, v: number | null) => void): void {
    for (let i = this.start; i < this.t.length; i++) if (this.t[i]! >= from) f(this.t[i]!, this.v[i]!);
  }

  clear(): void {
    this.t = [];
    this.v = [];
    this.start = 0;
  }
}

/**
 * uPlot's aligned data for several series: one sorted x array (the union of their times at or
 * after `from`) and per series a y array with `undefined` where it has no point (uPlot draws
 * the line across) and `null` at gaps (uPlot breaks the line).
 */
export function align(series: readonly Series[], from: number): [Float64Array, ...(number | null | undefined)[][]] {
  let total = 0;
  for (const s of series) total += s.length;
  const all = new Float64Array(total);
  let n = 0;
  for (const s of series) s.forEach(from, (t) => (all[n++] = t));
  const sorted = all.subarray(0, n).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
  const xs = sorted.slice(0, m);
  const ys = series.map((s) => {
    const y = new Array<number | null | undefined>(m);
    let j = 0;
    s.forEach(from, (t, v) => {
      while (j < m && xs[j]! < t) j++;
      if (j < m) y[j] = v;
    });
    return y;
  });
  return [xs, ...ys];
}
