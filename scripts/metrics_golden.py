#!/usr/bin/env python3
"""Golden values for the Go tests of package metrics.

Run:  /usr/bin/python3 scripts/metrics_golden.py
Needs scipy (1.10.1 used), mpmath (1.2.1) and scikit-learn (1.2.1 used; Debian python3-sklearn).
The printed values are pasted, with this script cited, into metrics/*_test.go.
"""
import math

import mpmath as mp
import numpy as np
import scipy.stats as st
from sklearn.metrics import accuracy_score, f1_score

print("# rankdata")
for x in ([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [2.0, 2.0, 2.0], [0.5, -1.0, 7.25, -1.0]):
    print(x, "->", list(st.rankdata(x)))

print("# pearsonr / spearmanr")
pairs = [
    ([1, 2, 3, 4, 5, 6, 7], [2.1, 3.9, 6.2, 7.8, 10.1, 11.8, 14.3]),
    ([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4]),
    ([0.12, 0.5, -0.3, 0.8, 0.8, 0.1], [7.5, 6.0, 1.0, 9.0, 8.0, 7.5]),
    ([1, 2], [5, 3]),
]
for x, y in pairs:
    print(x, y, "pearson", repr(st.pearsonr(x, y)[0]), "spearman", repr(st.spearmanr(x, y)[0]))

print("# accuracy / macro F1 (labels=range(classes))")
cases = [
    ([0, 1, 1, 0, 1, 1, 0, 0], [0, 1, 0, 0, 1, 1, 1, 1], 2),
    ([0, 2, 1, 0, 0, 1, 2, 2, 1, 0], [0, 1, 1, 0, 2, 1, 2, 0, 1, 0], 3),
    # class 3 absent from both gold and pred: counts as F1 = 0 with labels=range(4)
    ([0, 2, 1, 0, 0, 1, 2, 2, 1, 0], [0, 1, 1, 0, 2, 1, 2, 0, 1, 0], 4),
    # class 1 never predicted: precision 0/0 -> 0 (zero_division="warn")
    ([0, 0, 0, 2, 2], [0, 1, 1, 2, 0], 3),
]
for pred, gold, k in cases:
    acc = accuracy_score(gold, pred)
    f1 = f1_score(gold, pred, labels=list(range(k)), average="macro")
    print(pred, gold, k, "accuracy", repr(acc), "macroF1", repr(f1))

print("# t.ppf, and the same quantile solved with mpmath at 40 digits")
# scipy's t.ppf (cephes stdtrit) is accurate to about 1e-9 relative only, e.g.
# t.ppf(0.995, 3) = 5.84090929975643 where the root of the tail equation is
# 5.840909309733355...; the Go tests check both.
mp.mp.dps = 40


def t_quantile_mp(p, df):
    tail = min(mp.mpf(p), 1 - mp.mpf(p))
    f = lambda t: mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - tail
    t = mp.findroot(f, float(abs(st.t.ppf(p, df))))
    return t if p > 0.5 else -t


for p, df in [(0.975, 1), (0.975, 2), (0.975, 4), (0.975, 9), (0.975, 29), (0.975, 1000),
              (0.995, 3), (0.9, 5), (0.6, 7), (0.025, 4), (1e-10, 3), (0.999999, 2)]:
    print(p, df, "scipy", repr(st.t.ppf(p, df)), "mpmath", mp.nstr(t_quantile_mp(p, df), 17))

print("# mean, std, 95% CI")
xs = [0.812, 0.798, 0.825, 0.806, 0.819]
m, s = np.mean(xs), np.std(xs, ddof=1)
lo, hi = st.t.interval(0.95, len(xs) - 1, loc=m, scale=s / math.sqrt(len(xs)))
print(xs, "mean", repr(m), "std", repr(s), "ci", repr(lo), repr(hi))


def fieller(base, treated):
    """Fieller 95% interval for mean(base)/mean(treated), independent samples,
    Welch-Satterthwaite df; written from the quadratic (a - R b)^2 = t^2 (va + R^2 vb)."""
    a, b = np.mean(base), np.mean(treated)
    va = np.var(base, ddof=1) / len(base)
    vb = np.var(treated, ddof=1) / len(treated)
    r = a / b
    v = va + r * r * vb
    df = v * v / (va * va / (len(base) - 1) + r ** 4 * vb * vb / (len(treated) - 1))
    t = st.t.ppf(0.975, df)
    # roots of R^2 (b^2 - t^2 vb) - 2 R a b + (a^2 - t^2 va) = 0
    qa, qb, qc = b * b - t * t * vb, -2 * a * b, a * a - t * t * va
    disc = math.sqrt(qb * qb - 4 * qa * qc)
    return r, (-qb - disc) / (2 * qa), (-qb + disc) / (2 * qa)


print("# Fieller speed-up interval")
base = [41.2, 39.8, 43.1, 40.5, 42.0]
treated = [14.1, 13.2, 15.0, 13.8]
print(base, treated, [repr(v) for v in fieller(base, treated)])
