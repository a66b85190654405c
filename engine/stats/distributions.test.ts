import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareQuantile,
  chiSquareSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from './distributions';

// Reference values from SciPy 1.17 (scipy.stats.t / chi2 / norm .ppf, .cdf, .sf).
const T_QUANTILES: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.706204736174694],
  [0.975, 2, 4.302652729749462],
  [0.975, 3, 3.1824463052837078],
  [0.975, 9, 2.262157162798205],
  [0.975, 29, 2.045229642132703],
  [0.975, 100, 1.9839715185235518],
  [0.995, 4.5, 4.272823993011293],
  [0.9, 7, 1.4149239276505086],
  [0.001, 3, -10.214531852407385],
  [1e-8, 10, -15.895687652513546],
  [0.025, 1000, -1.9623390808264085],
];
const T_CDF: [x: number, df: number, p: number][] = [
  [-3, 3, 0.02883444281121865],
  [0.5, 7.5, 0.6842945176887727],
  [2.5, 50, 0.99212752086344],
  [-40, 2, 0.0003122073360923703],
  [10, 1, 0.9682744825694465],
];
const CHI_SQUARE_QUANTILES: [p: number, df: number, x: number][] = [
  [0.95, 1, 3.841458820694124],
  [0.95, 2, 5.991464547107979],
  [0.95, 10, 18.307038053275146],
  [0.999, 19, 43.82019596451753],
  [0.999, 49, 85.35056460859305],
  [0.999, 99, 148.23035916510173],
  [0.999, 2, 13.815510557964274],
  [0.01, 5, 0.5542980767282772],
  [1e-6, 3, 0.00024181048720124264],
];
const CHI_SQUARE_SURVIVAL: [x: number, df: number, p: number][] = [
  [3.84, 1, 0.05004352124870519],
  [18.3, 10, 0.050109061411462506],
  [150, 99, 0.0007204453957169282],
  [0.5, 4, 0.9735009788392561],
  [300, 99, 4.2266534644194534e-22],
];
const NORMAL_QUANTILES: [p: number, z: number][] = [
  [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813],
  [0.025, -1.9599639845400545],
  [0.3, -0.5244005127080409],
  [0.5, 0],
  [0.975, 1.959963984540054],
];
const NORMAL_CDF: [x: number, p: number][] = [
  [-20, 2.7536241186061556e-89],
  [-5, 2.866515718791933e-7],
  [-1.96, 0.024997895148220435],
  [0, 0.5],
  [1, 0.8413447460685429],
  [3, 0.9986501019683699],
];

const close = (actual: number, expected: number, relative = 1e-11) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-300);

describe('distributions', () => {
  it('computes ln Γ at known points', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)));
    close(logGamma(10), Math.log(362880));
    close(logGamma(1e-3), 6.907178885383853, 1e-12);
  });

  it.each(T_QUANTILES)("Student's t quantile p=%s df=%s matches SciPy", (p, df, t) =>
    close(tQuantile(p, df), t),
  );
  it.each(T_CDF)("Student's t CDF at %s, df=%s matches SciPy", (x, df, p) => close(tCdf(x, df), p));

  it('inverts the t CDF and matches the closed forms for 1 and 2 degrees of freedom', () => {
    for (const p of [0.001, 0.1, 0.4, 0.75, 0.999]) {
      close(tQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-12);
      close(tQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-12);
      for (const df of [3, 5.5, 40]) close(tCdf(tQuantile(p, df), df), p, 1e-12);
    }
    expect(tQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(tQuantile(0.5, 7)).toBe(0);
  });

  it.each(CHI_SQUARE_QUANTILES)('chi-square quantile p=%s df=%s matches SciPy', (p, df, x) =>
    close(chiSquareQuantile(p, df), x),
  );
  it.each(CHI_SQUARE_SURVIVAL)('chi-square upper tail at %s, df=%s matches SciPy', (x, df, p) =>
    close(chiSquareSurvival(x, df), p),
  );

  it('has chi-square with 2 degrees of freedom equal to an exponential with mean 2', () => {
    for (const x of [0.1, 1, 5, 30]) close(chiSquareCdf(x, 2), 1 - Math.exp(-x / 2), 1e-13);
    for (const p of [0.01, 0.5, 0.99]) close(chiSquareQuantile(p, 2), -2 * Math.log(1 - p), 1e-12);
  });

  it.each(NORMAL_QUANTILES)('normal quantile at %s matches SciPy', (p, z) =>
    close(normalQuantile(p), z, 1e-13),
  );
  it.each(NORMAL_CDF)('normal CDF at %s matches SciPy', (x, p) => close(normalCdf(x), p));

  it('rejects probabilities and degrees of freedom outside their domains', () => {
    expect(() => tQuantile(1.5, 3)).toThrow(RangeError);
    expect(() => tQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => chiSquareQuantile(-0.1, 3)).toThrow(RangeError);
    expect(tQuantile(1, 3)).toBe(Infinity);
    expect(chiSquareQuantile(0, 3)).toBe(0);
  });
});
