"""The combinatorics of column matching, knowing no form: a maximum-weight assignment (`assign`, Kuhn-Munkres),
the heaviest run rising with the official order (`increasing`) and a monotone alignment of gap columns with
gap fields (`align`)."""

from __future__ import annotations

def _hungarian(weights: list[list[float]]) -> list[int]:
    """Maximum-weight assignment of rows to columns (rows <= columns): for each row its column.

    The O(n^2 m) shortest augmenting path method with potentials (Kuhn-Munkres); the matrices here are
    at most ~30 x 30, so plain Python is fast enough and needs no numerical library.
    """
    n, m = len(weights), len(weights[0]) if weights else 0
    INF = float("inf")
    u, w = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [INF] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], INF, 0
            row = weights[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -row[j - 1] - u[i0] - w[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    w[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def assign(pairs: dict[tuple[int, int], float], n_cols: int, n_fields: int) -> dict[int, int]:
    """Maximum-weight matching over candidate pairs (column index, field index) -> weight."""
    if not pairs:
        return {}
    cols = sorted({c for c, _ in pairs})
    fields = sorted({f for _, f in pairs})
    # uncontested pairs (the column's only candidate, and the field's only candidate) need no solver
    by_col: dict[int, list[int]] = {}
    by_field: dict[int, list[int]] = {}
    for c, f in pairs:
        by_col.setdefault(c, []).append(f)
        by_field.setdefault(f, []).append(c)
    out = {c: by_col[c][0] for c in cols if len(by_col[c]) == 1 and len(by_field[by_col[c][0]]) == 1}
    rest_cols = [c for c in cols if c not in out]
    rest_fields = [f for f in fields if f not in out.values()]
    if rest_cols:
        transpose = len(rest_cols) > len(rest_fields)
        rows, others = (rest_fields, rest_cols) if transpose else (rest_cols, rest_fields)
        matrix = [[(pairs.get((o, r)) if transpose else pairs.get((r, o))) or 0.0 for o in others] for r in rows]
        for i, j in enumerate(_hungarian(matrix)):
            if j < 0 or matrix[i][j] <= 0:
                continue
            c, f = (others[j], rows[i]) if transpose else (rows[i], others[j])
            out[c] = f
    return out


def increasing(anchors: list[tuple[int, int]], weight=None) -> list[tuple[int, int]]:
    """The run of (column, field index) anchors whose fields rise with the columns and whose summed
    `weight` is largest (the longest run when no weight is given): where two strong anchors disagree with
    the official order (a clerk typed 信用代码 before 名称), the stronger evidence keeps its place."""
    if not anchors:
        return []
    anchors = sorted(anchors)
    w = [weight(a) if weight else 1.0 for a in anchors]
    best = list(w)
    prev = [-1] * len(anchors)
    for i in range(len(anchors)):
        for j in range(i):
            if anchors[j][1] < anchors[i][1] and best[j] + w[i] > best[i]:
                best[i], prev[i] = best[j] + w[i], j
    i = max(range(len(anchors)), key=lambda k: best[k])
    out = []
    while i >= 0:
        out.append(anchors[i])
        i = prev[i]
    return out[::-1]


def align(cols: list[int], fields: list[int], score) -> list[tuple[int, int]]:
    """Monotone alignment of gap columns with gap fields (both in sheet/official order), maximising the sum
    of `score(c, f)` (pairs scoring None are not allowed); a column or field may stay unpaired."""
    n, m = len(cols), len(fields)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [(best[i + 1][j], 1), (best[i][j + 1], 2)]
            s = score(cols[i], fields[j])
            if s is not None:
                options.append((best[i + 1][j + 1] + s, 3))
            best[i][j], step[i][j] = max(options)
    out, i, j = [], 0, 0
    while i < n and j < m:
        if step[i][j] == 3:
            out.append((cols[i], fields[j]))
            i, j = i + 1, j + 1
        elif step[i][j] == 1:
            i += 1
        else:
            j += 1
    return out
