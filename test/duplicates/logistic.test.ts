import { type LogisticFit, fitLogistic, sigmoid } from "../../src/duplicates/logistic.js";

/** Numerical Recipes' 32-bit LCG: a fixed, seeded stream of uniforms in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TRUE_WEIGHTS = [1.5, -2, 0.5];
const TRUE_BIAS = -0.5;

/** Rows with features uniform in [-2, 2] and labels drawn from the true model. */
function sample(n: number, seed: number): { x: number[]; y: number }[] {
  const next = lcg(seed);
  return Array.from({ length: n }, () => {
    const x = TRUE_WEIGHTS.map(() => next() * 4 - 2);
    const p = sigmoid(TRUE_BIAS + x.reduce((s, v, i) => s + v * TRUE_WEIGHTS[i]!, 0));
    return { x, y: next() < p ? 1 : 0 };
  });
}

/** Matches a number within `tol` of `v` (an asymmetric matcher, so whole fits can be compared). */
const near = (v: number, tol: number) => ({
  asymmetricMatch: (actual: unknown) => typeof actual === "number" && Math.abs(actual - v) <= tol,
  toAsymmetricMatcher: () => `near(${v} ± ${tol})`,
});

const close = (fit: LogisticFit, digits: number) => ({
  weights: fit.weights.map((w) => expect.closeTo(w, digits)),
  bias: expect.closeTo(fit.bias, digits),
});

/** The gradient of the objective fitLogistic minimises: weighted mean log-loss plus l2/2 |w|^2 (bias free). */
function gradient(rows: { x: number[]; y: number; weight?: number }[], fit: LogisticFit, l2: number): number[] {
  const beta = [...fit.weights, fit.bias];
  const total = rows.reduce((s, r) => s + (r.weight ?? 1), 0);
  const g = beta.map((b, i) => (i < beta.length - 1 ? l2 * b : 0));
  for (const r of rows) {
    const x = [...r.x, 1];
    const p = sigmoid(x.reduce((s, v, i) => s + v * beta[i]!, 0));
    x.forEach((v, i) => (g[i]! += ((r.weight ?? 1) / total) * (p - r.y) * v));
  }
  return g;
}

describe("fitLogistic", () => {
  const rows = sample(20000, 7);

  test("recovers the weights the data was drawn from", () => {
    // Without the penalty, only sampling error remains: with 20,000 rows the standard errors (from the
    // observed information at the fit) are 0.019 to 0.029 for these weights, so 0.1 is about four of
    // them; a wrong gradient, Hessian or sign is off by far more.
    expect(fitLogistic(rows, { l2: 0 })).toEqual({ weights: TRUE_WEIGHTS.map((w) => near(w, 0.1)), bias: near(TRUE_BIAS, 0.1) });
  });

  test.each([0, 1e-3, 0.1])("converges to the minimum: the gradient vanishes (l2 %s)", (l2) => {
    const g = gradient(rows, fitLogistic(rows, { l2 }), l2);
    expect(g.map((v) => Math.abs(v) < 1e-9)).toEqual([true, true, true, true]);
  });

  test("Newton steps converge quadratically: ten give the converged fit", () => {
    // From zero this data needs seven full Newton steps; a gradient method, or a wrong Hessian, is
    // still off in the third decimal after ten.
    expect(fitLogistic(rows, { l2: 0, iterations: 10 })).toEqual(close(fitLogistic(rows, { l2: 0 }), 9));
  });

  test("the penalty shrinks every weight toward zero and leaves the bias free", () => {
    const free = fitLogistic(rows, { l2: 0 });
    const shrunk = fitLogistic(rows, { l2: 0.1 });
    expect(free.weights.map((w, i) => Math.abs(shrunk.weights[i]!) < Math.abs(w))).toEqual([true, true, true]);
  });

  test("a row of weight 2 counts as the row twice", () => {
    const small = sample(300, 11);
    const weighted = small.map((r, i) => (i % 3 === 0 ? { ...r, weight: 2 } : r));
    const doubled = small.flatMap((r, i) => (i % 3 === 0 ? [r, r] : [r]));
    expect(fitLogistic(weighted)).toEqual(close(fitLogistic(doubled), 9));
  });

  test("a row of weight 0 counts for nothing; scaling every weight changes nothing", () => {
    const small = sample(300, 11);
    const outlier = { x: [2, 2, 2], y: 0, weight: 0 };
    const scaled = small.map((r) => ({ ...r, weight: 5 }));
    const plain = close(fitLogistic(small), 9);
    expect([fitLogistic([...small, outlier]), fitLogistic(scaled)]).toEqual([plain, plain]);
  });

  test("weighting the positives 3 to 1 moves the bias by log 3 and leaves the slopes", () => {
    // In the population the weighted fit is exactly the true model with bias + log 3 (prior shift);
    // here it is within the same sampling error as the unweighted fit.
    const plain = fitLogistic(rows, { l2: 0 });
    const weighted = fitLogistic(
      rows.map((r) => ({ ...r, weight: r.y ? 3 : 1 })),
      { l2: 0 },
    );
    expect({ shift: weighted.bias - plain.bias, slopes: weighted.weights }).toEqual({
      shift: near(Math.log(3), 0.1),
      slopes: plain.weights.map((w) => near(w, 0.1)),
    });
  });

  test("separable data: the default penalty keeps the weights finite and the classes apart", () => {
    const separable = [-3, -2, -1, 1, 2, 3].map((v) => ({ x: [v], y: v > 0 ? 1 : 0 }));
    const fit = fitLogistic(separable);
    const p = separable.map((r) => sigmoid(fit.weights[0]! * r.x[0]! + fit.bias) > 0.5);
    expect({ finite: Number.isFinite(fit.weights[0]) && Number.isFinite(fit.bias), p }).toEqual({
      finite: true,
      p: [false, false, false, true, true, true],
    });
  });

  test("no rows: no weights, bias 0", () => {
    expect(fitLogistic([])).toEqual({ weights: [], bias: 0 });
  });

  test("only a bias: the log-odds of the labels", () => {
    const rows3to1 = [1, 1, 1, 0].map((y) => ({ x: [], y }));
    expect(fitLogistic(rows3to1)).toEqual({ weights: [], bias: expect.closeTo(Math.log(3), 9) });
  });
});

describe("sigmoid", () => {
  const rows: Array<[number, number]> = [
    [0, 0.5],
    [1000, 1],
    [-1000, 0],
    [745, 1],
    [-745, 5e-324],
    [Math.log(3), 0.75],
    [-Math.log(3), 0.25],
  ];
  test.each(rows)("sigmoid(%p) = %p", (z, expected) => {
    expect(sigmoid(z)).toBeCloseTo(expected, 15);
  });

  test("finite and in [0, 1] at |z| = 1000, symmetric around 0", () => {
    const zs = [-1000, -40, -1, 1, 40, 1000];
    expect({
      finite: zs.every((z) => Number.isFinite(sigmoid(z)) && sigmoid(z) >= 0 && sigmoid(z) <= 1),
      symmetric: zs.map((z) => sigmoid(z) + sigmoid(-z)),
      tiny: sigmoid(-40) > 0,
    }).toEqual({ finite: true, symmetric: zs.map(() => 1), tiny: true });
  });
});
