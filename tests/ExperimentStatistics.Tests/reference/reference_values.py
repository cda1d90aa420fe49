#!/usr/bin/env python3
"""Reference values for ExperimentStatistics.Tests (not run in CI).

Reproduce with Debian's SciPy (apt-get install -y python3-scipy; SciPy 1.10.1, NumPy 1.24):
    /usr/bin/python3 tests/ExperimentStatistics.Tests/reference/reference_values.py
The data sets are copied verbatim in ReferenceValueTests.cs; every printed figure is recorded there with its source.
"""
import numpy as np
import scipy
from scipy import stats

print(f"scipy {scipy.__version__}, numpy {np.__version__}")

# Welch: arm (a) against control (b).
WELCH = {
    "effect": (
        [812, 905, 760, 1012, 880, 940, 795, 1103, 870, 915],
        [700, 760, 810, 690, 745, 802, 730, 688, 775, 720, 760, 699],
    ),
    "no_effect": (
        [1.2, 3.4, 2.2, 5.1, 0.7, 2.9, 3.3],
        [2.0, 2.8, 1.9, 4.4, 3.1, 2.5],
    ),
}
for name, (a, b) in WELCH.items():
    a, b = np.array(a, float), np.array(b, float)
    res = stats.ttest_ind(a, b, equal_var=False)  # SciPy 1.10's result has no confidence_interval(); computed below
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    diff = a.mean() - b.mean()
    lo, hi = stats.t.interval(0.95, df, loc=diff, scale=np.sqrt(va + vb))
    print(f"welch {name}: diff={diff!r} p={res.pvalue!r} ci=({lo!r}, {hi!r}) df={df!r}")

# Two proportions: arm x1/n1 against control x2/n2.
PROPORTIONS = {"effect": (12, 80, 25, 90), "no_effect": (3, 40, 4, 45)}
for name, (x1, n1, x2, n2) in PROPORTIONS.items():
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_z = 2 * stats.norm.sf(abs(z))
    # The same p-value independently: a 2x2 chi-square without continuity correction (R's prop.test(correct=FALSE)).
    p_chi = stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)[1]
    se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    lo, hi = stats.norm.interval(0.95, loc=p1 - p2, scale=se)
    print(f"ztest {name}: diff={p1 - p2!r} p_z={p_z!r} p_chi2={p_chi!r} ci=({lo!r}, {hi!r})")

# One arm: Wilson interval of a proportion, Student-t interval of a mean, median and p90 (linear, R type 7).
for k, n in [(12, 80), (0, 40), (40, 40)]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    print(f"wilson {k}/{n}: ({ci.low!r}, {ci.high!r})")
a = np.array(WELCH["effect"][0], float)
lo, hi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
print(f"t-interval effect arm: mean={a.mean()!r} ci=({lo!r}, {hi!r})")
print(f"percentiles effect arm: median={np.percentile(a, 50)!r} p90={np.percentile(a, 90)!r}")

# Sample-ratio mismatch: chi-square goodness of fit against the weights.
for counts, weights in [([5600, 4400], [50, 50]), ([130, 260, 90], [25, 50, 25])]:
    expected = np.array(weights) / sum(weights) * sum(counts)
    res = stats.chisquare(counts, expected)
    print(f"srm {counts} vs {weights}: chi2={res.statistic!r} p={res.pvalue!r}")
