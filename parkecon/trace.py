"""Where a computed number comes from: facts read through the package carry their ids along.

`pe.value` returns a `Num`, a float that remembers the facts it was read from. Arithmetic on
Nums (+ - * / ** and unary minus, with each other or with plain numbers) gives a Num whose
expression records the computation, so that `pe.glue` can store, beside each pasted number,
which facts it is computed from and how, in words ("[value added, 2021] ÷ (1 + [growth,
2021] ÷ 100)"). `pe.glue` returns a Num named after its key, so a later number computed from
it says that it builds on that pasted value.

Values often pass through pandas or numpy on the way, which keep the float but not the Num.
Every Num is therefore also remembered by its exact value: a plain float that equals a Num
made earlier in the kernel is taken to be that Num. For whole numbers below 10,000 (counts,
years and small percentages, which may coincide by chance) only a Num made in the same cell
is taken. A number that matches nothing has no derivation; the build reports it.
"""
from __future__ import annotations

import math
import numbers

# An expression is a tuple tree: ("fact", id) | ("glue", key) | ("const", value)
# | (op, left, right) with op in + - * / ** | ("neg", x) | ("fn", name, x).
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}
_SYMBOL = {"+": " + ", "-": " − ", "*": " × ", "/": " ÷ ", "**": "^"}
_SCALES = {1e3, 1e4, 1e6, 1e8, 1e9}      # unit conversions (thousand, 万, million, 亿, billion)

_REGISTRY: dict[float, list] = {}          # value -> [(cell, seq, Num)], newest last
_SEQ = [0]
SMALL = 10_000


def _cell() -> int | None:
    try:
        from IPython import get_ipython

        ip = get_ipython()
        return ip.execution_count if ip is not None else None
    except Exception:  # pragma: no cover
        return None


class Num(float):
    """A float that remembers the facts it comes from and the computation that made it."""

    def __new__(cls, value, expr=None, facts=()):
        self = super().__new__(cls, value)
        self.expr = expr if expr is not None else ("const", float(value))
        self.facts = tuple(dict.fromkeys(facts))
        if self.facts and math.isfinite(self):
            _SEQ[0] += 1
            _REGISTRY.setdefault(_key(self), []).append((_cell(), _SEQ[0], self))
        return self

    @classmethod
    def of_fact(cls, fact_id: str, value: float) -> "Num":
        return cls(value, ("fact", fact_id), (fact_id,))

    def named(self, key: str) -> "Num":
        """This value as the pasted value `key` (what later computations build on)."""
        n = Num(float(self), ("glue", key), self.facts)
        n.source = self
        return n

    def __reduce__(self):
        return (float, (float(self),))

    # arithmetic -----------------------------------------------------------------------
    def _op(self, other, op, reflected=False):
        if not isinstance(other, numbers.Real) or isinstance(other, bool):
            return NotImplemented
        o = as_num(other)
        a, b = (o, self) if reflected else (self, o)
        fa, fb = float(a), float(b)
        result = {"+": lambda: fa + fb, "-": lambda: fa - fb, "*": lambda: fa * fb,
                  "/": lambda: fa / fb, "**": lambda: fa ** fb}[op]()
        if isinstance(result, complex):
            return result
        # a conversion of units (÷ 10^9 for billions) does not change what the number is
        if op in "*/" and isinstance(b, float) and not isinstance(b, Num) and fb in _SCALES:
            return Num(result, _expr(a), _facts(a))
        if op == "*" and isinstance(a, float) and not isinstance(a, Num) and fa in _SCALES:
            return Num(result, _expr(b), _facts(b))
        return Num(result, (op, _expr(a), _expr(b)), _facts(a) + _facts(b))

    def __add__(self, o): return self._op(o, "+")
    def __radd__(self, o): return self._op(o, "+", True)
    def __sub__(self, o): return self._op(o, "-")
    def __rsub__(self, o): return self._op(o, "-", True)
    def __mul__(self, o): return self._op(o, "*")
    def __rmul__(self, o): return self._op(o, "*", True)
    def __truediv__(self, o): return self._op(o, "/")
    def __rtruediv__(self, o): return self._op(o, "/", True)
    def __pow__(self, o, mod=None): return self._op(o, "**") if mod is None else NotImplemented
    def __rpow__(self, o): return self._op(o, "**", True)
    def __neg__(self): return Num(-float(self), ("neg", self.expr), self.facts)
    def __pos__(self): return self
    def __abs__(self): return self if float(self) >= 0 else -self

    def __round__(self, ndigits=None):
        if ndigits is None:
            return round(float(self))
        return Num(round(float(self), ndigits), self.expr, self.facts)

    def __hash__(self):
        return float.__hash__(self)

    def __eq__(self, other):
        return float.__eq__(self, other)


class Text(str):
    """A string (a number in words, "more than 12") that remembers the number it was made from."""

    def __new__(cls, text: str, of: "Num | None" = None, how: str | None = None):
        self = super().__new__(cls, text)
        self.of = of
        self.how = how
        return self


def _expr(x):
    return x.expr if isinstance(x, Num) else ("const", float(x))


def _facts(x):
    return x.facts if isinstance(x, Num) else ()


def _key(v: float) -> float:
    """Values equal to 12 significant digits share a key (x / 1e9 * 1e9 need not give x back)."""
    return float(f"{float(v):.12g}")


# A value may be a remembered one in other units: billions (÷ 10^9), 亿 (÷ 10^8), millions,
# 万, thousands, or a share written as a per cent (× 100) or a fraction (÷ 100).
_UNIT_STEPS = (1.0, 1e9, 1e8, 1e6, 1e4, 1e3, 0.01, 100.0)


def lookup(value, cell: int | None = None) -> Num | None:
    """The newest Num equal to `value`, in the same or other units (see the module's note
    on small whole numbers)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v) or v == 0:
        return None
    small = v.is_integer() and abs(v) < SMALL
    here = cell if cell is not None else _cell()
    for step in _UNIT_STEPS[:1] if small else _UNIT_STEPS:   # a count is not 3,000 in thousands
        hits = _REGISTRY.get(_key(v * step))
        if not hits:
            continue
        if small:
            hits = [h for h in hits if h[0] == here and here is not None]
            if not hits:
                continue
        hit = hits[-1][2]
        return hit if step == 1.0 else Num(v, _rescaled(hit.expr, step), hit.facts)
    return None


def _rescaled(expr, step: float):
    """`expr` for value = expr / step: a share as a per cent (× 100) or a fraction (÷ 100);
    other steps are conversions of units (billions, 亿, 万) and leave the expression as it is."""
    if step == 0.01:
        return ("*", expr, ("const", 100.0))
    if step == 100.0:
        return ("/", expr, ("const", 100.0))
    return expr


def as_num(value):
    """`value` as a Num when it is one or equals one made earlier; else unchanged.

    A unit scale (1e9) or a whole number below 10,000 (1, 100, a number of years) in a
    computation is a constant written in the code, never taken for a remembered value."""
    if isinstance(value, Num) or isinstance(value, bool):
        return value
    if _is_constant(value):
        return value
    hit = lookup(value)
    if hit is not None:
        return hit
    return value


def _is_constant(value) -> bool:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return v in _SCALES or (v.is_integer() and abs(v) < SMALL)


def traced(value) -> "Num | Text | None":
    """The traced form of a value about to be pasted, or None when nothing is known."""
    if isinstance(value, Text):
        if value.of is not None and not isinstance(value.of, Num):
            hit = lookup(value.of)
            value = Text(str(value), hit, value.how)
        return value if (value.of is not None or value.how) else None
    if isinstance(value, Num):
        return value
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return lookup(value) or infer(value)
    return None


# ---- words ------------------------------------------------------------------------------
def describe(expr, label=lambda fid: fid, top: bool = True) -> str:
    """An expression tree in words; `label(fact_id)` names a fact."""
    kind = expr[0]
    if kind == "fact":
        return f"[{label(expr[1])}]"
    if kind == "glue":
        return f"{{{expr[1]}}}"
    if kind == "const":
        v = expr[1]
        return f"{v:g}" if abs(v) < 1e6 else f"{v:.4g}"
    if kind == "neg":
        inner = describe(expr[1], label, False)
        return f"−{_paren(expr[1], 'neg', inner)}"
    if kind == "fn":
        return f"{expr[1]}({describe(expr[2], label, True)})"
    op, a, b = expr
    left = _paren(a, op, describe(a, label, False))
    right = _paren(b, op, describe(b, label, False), right=True)
    return left + _SYMBOL[op] + right


def _paren(expr, parent_op, text, right=False):
    kind = expr[0]
    if kind not in _PREC:
        return text
    p, q = _PREC[kind], _PREC[parent_op]
    if p < q or (right and p == q and parent_op in "-/**"):
        return f"({text})"
    return text


def inputs(expr) -> tuple[list[str], list[str]]:
    """(fact ids, pasted keys) an expression reads, in order of first use."""
    facts: dict[str, None] = {}
    keys: dict[str, None] = {}

    def walk(e):
        if e[0] == "fact":
            facts[e[1]] = None
        elif e[0] == "glue":
            keys[e[1]] = None
        elif e[0] in ("neg",):
            walk(e[1])
        elif e[0] == "fn":
            walk(e[2])
        elif e[0] in _PREC:
            walk(e[1])
            walk(e[2])
    walk(expr)
    return list(facts), list(keys)


# ---- numbers computed outside the package (pandas, numpy) --------------------------------------
_FORMS = (
    ("/", lambda a, b: a / b if b else None, lambda a, b: ("/", a, b)),
    ("%", lambda a, b: a / b * 100 if b else None, lambda a, b: ("*", ("/", a, b), ("const", 100.0))),
    ("g", lambda a, b: (a / b - 1) * 100 if b else None,
     lambda a, b: ("*", ("-", ("/", a, b), ("const", 1.0)), ("const", 100.0))),
    ("-", lambda a, b: a - b, lambda a, b: ("-", a, b)),
    ("+", lambda a, b: a + b, lambda a, b: ("+", a, b)),
    ("*", lambda a, b: a * b, lambda a, b: ("*", a, b)),
)


def infer(value, recent: int = 40) -> Num | None:
    """A Num for a value computed from two remembered ones outside the package (a ratio, share,
    growth, difference, sum or product of numbers made in this cell), equal to 10 significant
    digits. Whole numbers below 10,000 are not inferred: they match too easily."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v) or v == 0 or (v.is_integer() and abs(v) < SMALL):
        return None
    here = _cell()
    if here is None:
        return None
    newest: dict[float, tuple[int, Num]] = {}
    for hits in _REGISTRY.values():
        for cell, seq, num in hits:
            if cell == here and seq > newest.get(_key(num), (0, None))[0]:
                newest[_key(num)] = (seq, num)
    pool = [n for _, n in sorted(newest.values(), key=lambda p: -p[0])[:recent]]
    targets = {}
    for rank, step in enumerate(_UNIT_STEPS):
        targets.setdefault(float(f"{v * step:.10g}"), (rank, step))
    best = None
    for order, (_, f, build) in enumerate(_FORMS):
        for a in pool:
            fa = float(a)
            for b in pool:
                if a is b:
                    continue
                try:
                    r = f(fa, float(b))
                except (OverflowError, ZeroDivisionError):
                    continue
                if r and math.isfinite(r):
                    hit = targets.get(float(f"{r:.10g}"))
                    if hit is not None and (best is None or (hit[0], order) < best[0]):
                        best = ((hit[0], order), hit[1], build(a.expr, b.expr), a.facts + b.facts)
    if best is None:
        return None
    _, step, expr, facts = best
    return Num(v, _rescaled(expr, step), facts)


def val(row) -> float:
    """The value of a fact row (a row of `pe.facts()` or `pe.fact`), as a Num carrying its id;
    a row without a fact id gives a plain float."""
    v = row["value"]
    if isinstance(v, Num):
        return v
    fid = row.get("fact_id") if hasattr(row, "get") else None
    if isinstance(fid, str) and v == v:
        return Num.of_fact(fid, float(v))
    return float(v)
