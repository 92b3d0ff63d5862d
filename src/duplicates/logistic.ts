/**
 * Logistic regression fitted by Newton's method (iteratively reweighted least squares) with an L2
 * penalty: a handful of features, thousands of rows, converged in a few dozen steps, no learning rate
 * to tune. Pure; fits the duplicate finder's weights (offline) and the topic classifier's layer combiners.
 */
export interface LogisticFit {
  weights: number[];
  bias: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function fitLogistic(rows: { x: number[]; y: number; weight?: number }[], options: { l2?: number; iterations?: number } = {}): LogisticFit {
  const l2 = options.l2 ?? 1e-3;
  const d = (rows[0]?.x.length ?? 0) + 1;
  const beta = new Array<number>(d).fill(0);
  const total = rows.reduce((s, r) => s + (r.weight ?? 1), 0) || 1;
  for (let it = 0; it < (options.iterations ?? 50); it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const r of rows) {
      const x = [...r.x, 1];
      const p = sigmoid(x.reduce((s, v, i) => s + v * beta[i]!, 0));
      const w = (r.weight ?? 1) / total;
      for (let i = 0; i < d; i++) {
        grad[i]! += w * (p - r.y) * x[i]!;
        for (let j = 0; j <= i; j++) hess[i]![j]! += w * p * (1 - p) * x[i]! * x[j]!;
      }
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) hess[j]![i] = hess[i]![j]!;
      if (i < d - 1) {
        grad[i]! += l2 * beta[i]!;
        hess[i]![i]! += l2;
      }
      hess[i]![i]! += 1e-9;
    }
    const step = solve(hess, grad);
    let change = 0;
    for (let i = 0; i < d; i++) {
      beta[i]! -= step[i]!;
      change = Math.max(change, Math.abs(step[i]!));
    }
    if (change < 1e-8) break;
  }
  return { weights: beta.slice(0, d - 1), bias: beta[d - 1]! };
}

/** Gaussian elimination with partial pivoting (the systems here are 10 x 10). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / (m[i]![i]! || 1e-12));
}
