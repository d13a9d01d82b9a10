"""Golden values for results/stats_test.go and report_test.go.

Run: /usr/bin/python3 results/testdata/golden_stats.py
(scipy 1.10.1, numpy; Debian python3-scipy). The Welch and ratio intervals are
written out by hand because scipy 1.10 has no confidence_interval() on
ttest_ind; the t quantiles come from scipy.stats.t.ppf.
"""
import math

import numpy as np
import scipy.stats as st

for df in [1, 2, 3.7, 4, 9, 29]:
    print(f"t.ppf(0.975, {df}) = {st.t.ppf(0.975, df)!r}")

a = [0.80, 0.82, 0.85]
b = [0.70, 0.74, 0.71, 0.73]
print("mean(a) =", repr(np.mean(a)), " std(a, ddof=1) =", repr(np.std(a, ddof=1)))
print("t.interval(0.95, 2, mean(a), sem(a)) =", st.t.interval(0.95, len(a) - 1, loc=np.mean(a), scale=st.sem(a)))


def welch(x, y):
    vx = np.var(x, ddof=1) / len(x)
    vy = np.var(y, ddof=1) / len(y)
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
    d = np.mean(x) - np.mean(y)
    h = st.t.ppf(0.975, df) * math.sqrt(vx + vy)
    return d, d - h, d + h, df


print("welch(a, b) = (diff, low, high, df) =", welch(a, b))


def ratio(num, den):
    """Fieller's interval for mean(num)/mean(den): the R with
    (a - R b)^2 <= t^2 (va + R^2 vb), t at the Welch-Satterthwaite df of
    a - R_hat b (the method of metrics.SpeedupInterval), solved as a quadratic
    in R. None for the bounds when the set is unbounded."""
    a, b = np.mean(num), np.mean(den)
    va = np.var(num, ddof=1) / len(num)
    vb = np.var(den, ddof=1) / len(den)
    r = a / b
    v = va + r * r * vb
    df = v * v / (va * va / (len(num) - 1) + r**4 * vb * vb / (len(den) - 1))
    t = st.t.ppf(0.975, df)
    qa, qb, qc = b * b - t * t * vb, -2 * a * b, a * a - t * t * va
    if qa <= 0:
        return r, None, None, df
    disc = math.sqrt(qb * qb - 4 * qa * qc)
    return r, (-qb - disc) / (2 * qa), (-qb + disc) / (2 * qa), df


ref = [30.0, 32.0, 31.0]
grp = [10.0, 12.0, 11.5]
print("ratio(ref, grp) = (ratio, low, high, df) =", ratio(ref, grp))

# The report fixture of report_test.go (sweepFixture in fixtures_test.go).
print("norm.ppf(0.975) =", repr(st.norm.ppf(0.975)))
print("welch(Switch test, STL test) =", welch([0.86, 0.88], [0.80, 0.82, 0.78]))
print("ratio(STL secs to target, Switch secs) =", ratio([6.0, 4.0], [3.0, 6.0]))
print("ratio(MTL secs to target, Switch secs) =", ratio([6.0, 6.0, 12.0], [3.0, 6.0]))
print("ratio(MTL secs to target, STL secs) =", ratio([6.0, 6.0, 12.0], [6.0, 4.0]))
print("t.interval(0.95, 2, 8, sem([6, 6, 12])) =", st.t.interval(0.95, 2, loc=8.0, scale=st.sem([6.0, 6.0, 12.0])))
