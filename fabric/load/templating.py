"""Sandboxed jinja2 rendering of YAML values: `{{ expr }}` alone yields a native value.

The environment is sandboxed with strict undefined, so a template can read only the
variables it is given and a typo is an error, not an empty string. Only values come out of
a template — strings, numbers, booleans, null, and lists and mappings of those: a function,
a method or a jinja2 object (`{{ range }}`, `{{ each.values }}`, `{{ cycler(1) }}`) is
refused, never printed as its Python repr (which would name a memory address that changes
every run). Work is bounded: every loop iteration, call, filter and `~` costs an operation,
every character (or list item) a template builds counts too, and a `Budget` per file and per
stamp (see `budget`) refuses a template that would run for minutes or fill the memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Cycler, Joiner, Namespace, _PassArg, pass_context

from fabric.load.budget import (
    MAX_OPERATIONS_PER_FILE,
    MAX_OPERATIONS_PER_STAMP,
    OverBudget,
    TemplateProblem,
    _current,
    _spend,
    budget,
    is_template,
)

# the budget's names are part of this module's interface too (they used to live here)
__all__ = [
    "MAX_OPERATIONS_PER_FILE",
    "MAX_OPERATIONS_PER_STAMP",
    "OverBudget",
    "TemplateProblem",
    "budget",
    "is_template",
    "render",
]

MAX_BITS = 100_000  # integers a template may build with +, * and ** (about 30,000 digits)
MAX_LENGTH = 1_000_000  # characters or items of one value a template builds (`'x' * n`, `~`, filters)
_MACRO_CALL = 20  # operations a macro call costs: it runs a body (and deep recursion churns the frame stack)
_MAX_NESTING = 100  # of lists and mappings in a template's value
_BIG_NUMBER = re.compile(r"\d{7,}")  # a width or precision of a million or more in a format string
_PADDING = frozenset({"center", "ljust", "rjust", "zfill"})


class _NotAValue(TemplateProblem):
    """A template produced (or tried to print) something that is not a value."""


_VALUES = "only strings, numbers, booleans, null, lists and mappings come out of a template"


def _too_large(operator: str, left: Any, right: Any) -> bool:
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**":
        return ints and right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_BITS
    if operator == "+":
        if ints:
            return bool(max(left.bit_length(), right.bit_length()) >= MAX_BITS)
        sized = isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple))
        return sized and len(left) + len(right) > MAX_LENGTH
    if operator == "%":
        return isinstance(left, str) and _BIG_NUMBER.search(left) is not None
    if ints:
        return bool(left.bit_length() + right.bit_length() > MAX_BITS)  # n * n * n … grows without **
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            return len(sequence) * count > MAX_LENGTH
    return False


def _kind_of(value: Any) -> str:
    names = {str: "a string", list: "a list", tuple: "a list", dict: "a mapping", int: "a number", float: "a number"}
    return names.get(type(value), f"a {type(value).__name__}")


class _Callable:
    """A function or method reached from a template: callable as before, never printed."""

    __slots__ = ("_fn", "_name", "_owner")

    def __init__(self, fn: Callable[..., Any], name: str, owner: Any = None) -> None:
        self._fn = fn
        self._name = name
        self._owner = owner

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fn(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name in ("unsafe_callable", "alters_data", "jinja_pass_arg"):  # what the sandbox asks of callables
            return getattr(self._fn, name)
        raise AttributeError(name)

    def problem(self) -> str:
        """Why this is not a value, in the words of the template."""
        if isinstance(self._owner, dict):  # `var.items`, `each.values`: no such key, only the mapping's method
            return f"undefined in template: {self._name!r} is undefined"
        if self._owner is None:
            return f"template yields the function {self._name!r}, not a value (call it: {self._name}(…)); {_VALUES}"
        return (
            f"template yields the method {self._name!r} of {_kind_of(self._owner)}, not a value "
            f"(call it: {self._name}()); {_VALUES}"
        )

    def __str__(self) -> str:
        raise _NotAValue(self.problem())

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        raise _NotAValue(self.problem())


class _Namespace(Namespace):
    """`namespace()`: attributes to set in loops; the namespace itself is no value."""

    def __repr__(self) -> str:
        raise _NotAValue(f"template yields a namespace, not a value (use one of its attributes); {_VALUES}")

    __str__ = __repr__


class _Cycler(Cycler):
    def __repr__(self) -> str:
        raise _NotAValue(f"template yields a cycler, not a value (use its next() or current); {_VALUES}")

    __str__ = __repr__


class _Joiner(Joiner):
    def __repr__(self) -> str:
        raise _NotAValue(f"template yields a joiner, not a value (call it: joiner()); {_VALUES}")


def _object_problem(value: Any) -> str:
    """Why `value` (no string, number, boolean, null, list or mapping) is not a value."""
    if isinstance(value, _Callable):
        return value.problem()
    if isinstance(value, Macro):
        return f"template yields the macro {value.name!r}, not a value (call it: {value.name}(…)); {_VALUES}"
    if isinstance(value, LoopContext):
        return f"template yields the loop object, not a value (use loop.index, loop.first, …); {_VALUES}"
    if isinstance(value, Namespace):
        return f"template yields a namespace, not a value (use one of its attributes); {_VALUES}"
    if isinstance(value, (Cycler, Joiner)):
        return f"template yields a {type(value).__name__.strip('_').lower()}, not a value; {_VALUES}"
    if callable(value):
        return f"template yields a function, not a value; {_VALUES}"
    return f"template yields a {type(value).__name__} object, not a value; {_VALUES}"


def _is_object(value: Any) -> bool:
    """True for what must never reach output: functions, methods, jinja2's objects."""
    if isinstance(value, (str, int, float, list, tuple, dict)) or value is None:
        return False
    if isinstance(value, jinja2.Undefined):
        return False  # strict undefined raises its own error when used
    return callable(value) or isinstance(value, (Namespace, Cycler, Joiner, LoopContext, bytes))


def _printed_size(value: Any, depth: int = 0) -> int:
    """About how many characters `str(value)` prints; refuses objects, undefined values and
    anything longer than MAX_LENGTH (before building it)."""
    if isinstance(value, str):
        return len(value)
    if value is None or isinstance(value, (bool, int, float)):
        return 8
    if isinstance(value, jinja2.Undefined):
        str(value)  # raises UndefinedError with jinja2's message
    if depth > _MAX_NESTING:
        raise TemplateProblem(f"template value nested deeper than {_MAX_NESTING} levels")
    if isinstance(value, (list, tuple)):
        items: Iterable[Any] = value
    elif isinstance(value, dict):
        items = (x for pair in value.items() for x in pair)
    else:
        raise _NotAValue(_object_problem(value))
    total = 2
    for item in items:
        total += _printed_size(item, depth + 1) + 2
        if total > MAX_LENGTH:
            raise TemplateProblem(f"template output longer than {MAX_LENGTH:,} characters")
    return total


_ITERATORS = (Iterator, KeysView, ValuesView, ItemsView)  # generators (map, select, …) and dict views become lists


def _native(value: Any, depth: int = 0) -> Any:
    """A template's value as plain data (tuples, generators and views become lists); refuses the rest."""
    if isinstance(value, str):
        return str(value)  # Markup → str
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, jinja2.Undefined):
        str(value)  # raises UndefinedError with jinja2's message
    if depth > _MAX_NESTING:
        raise TemplateProblem(f"template value nested deeper than {_MAX_NESTING} levels")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not (key is None or isinstance(key, (str, bool, int, float))):
                raise _NotAValue(_object_problem(key))
            out[str(key) if isinstance(key, str) else key] = _native(item, depth + 1)
        return out
    if isinstance(value, (list, tuple, range, *_ITERATORS)):
        items = []
        for item in value:
            items.append(_native(item, depth + 1))
            if len(items) > MAX_LENGTH:
                raise TemplateProblem(f"template value longer than {MAX_LENGTH:,} items")
        return items
    raise _NotAValue(_object_problem(value))


def _charged(result: Any) -> Any:
    """`result` of an operation, its size counted (and bounded); iterators count as they go."""
    if type(result) is int:  # adding and multiplying big integers costs time by their length
        _spend(0, result.bit_length() // 3)
        return result
    if isinstance(result, (str, list, tuple, dict)):
        if len(result) > MAX_LENGTH:
            raise SecurityError(f"the result would be longer than {MAX_LENGTH:,}")
        _spend(0, len(result))
        return result
    if isinstance(result, _ITERATORS):
        return _counted(result, 0)
    return result


def _counted(items: Iterable[Any], size: int) -> Iterator[Any]:
    """`items`, one operation (and `size` characters) spent per item."""
    for item in items:
        _spend(1, size)
        yield item


def _range(*args: int) -> list[int]:
    """`range(…)` as a list: a value that prints as one."""
    return _charged(list(safe_range(*args)))  # type: ignore[no-any-return]


def _nondeterministic(what: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise TemplateProblem(f"{what} is not available in templates: a stamp must load to the same values every run")

    return refuse


def _join_size(items: list[Any], separator: str) -> int:
    return sum(_printed_size(item) for item in items) + len(separator) * max(0, len(items) - 1)


def _check_call(fn: Any, owner: Any, name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
    """Refuse a string method call whose result would be huge, before it is made; the args to use."""
    numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
    if name in _PADDING and any(n > MAX_LENGTH for n in numbers):
        raise SecurityError(f"the result of {name}() would be longer than {MAX_LENGTH:,}")
    if name == "expandtabs" and owner.count("\t") * max(numbers, default=8) > MAX_LENGTH:
        raise SecurityError(f"the result of {name}() would be longer than {MAX_LENGTH:,}")
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        hits = owner.count(args[0]) if args[0] else len(owner) + 1
        if len(owner) + hits * (len(args[1]) - len(args[0])) > MAX_LENGTH:
            raise SecurityError(f"the result of {name}() would be longer than {MAX_LENGTH:,}")
    if name == "join" and args:
        items = list(_counted(args[0], 0))
        if _join_size(items, owner) > MAX_LENGTH:
            raise SecurityError(f"the result of {name}() would be longer than {MAX_LENGTH:,}")
        return (items, *args[1:])
    return args


def _metered_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` counted as an operation, with its arguments checked and its result's size bounded.

    Every filter takes the context, so jinja2 never runs one at compile time (outside any budget).
    """
    passes = _PassArg.from_obj(fn)

    @pass_context
    def metered(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        _spend(1)
        for arg in (value, *args, *kwargs.values()):
            if _is_object(arg):
                raise _NotAValue(_object_problem(arg))
        value, args = _filter_arguments(name, value, args, kwargs)
        if passes is _PassArg.context:
            result = fn(context, value, *args, **kwargs)
        elif passes is _PassArg.eval_context:
            result = fn(context.eval_ctx, value, *args, **kwargs)
        elif passes is _PassArg.environment:
            result = fn(context.environment, value, *args, **kwargs)
        else:
            result = fn(value, *args, **kwargs)
        return _charged(result)

    metered.__name__ = metered.__qualname__ = f"filter_{name}"
    return metered


def _filter_arguments(name: str, value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, Any]:
    """Refuse a filter call whose result would be huge, before it runs; the value and args to use."""
    numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
    too_long = SecurityError(f"the result of the {name} filter would be longer than {MAX_LENGTH:,}")
    if name in ("center", "indent", "truncate", "wordwrap", "slice", "batch") and any(n > MAX_LENGTH for n in numbers):
        raise too_long
    lines = str(value).count("\n") + 1 if name == "indent" else 0
    if any(isinstance(a, str) and len(a) * lines > MAX_LENGTH for a in args):
        raise too_long
    if name == "format" and isinstance(value, str) and _BIG_NUMBER.search(value):
        raise too_long
    if name == "replace" and isinstance(value, str) and len(args) >= 2 and isinstance(args[0], str):
        hits = value.count(args[0]) if args[0] else len(value) + 1
        if len(value) + hits * (len(str(args[1])) - len(args[0])) > MAX_LENGTH:
            raise too_long
    if name == "join" and not isinstance(value, str):
        value = list(_counted(value, 0))
        if _join_size(value, str(args[0]) if args else str(kwargs.get("d", ""))) > MAX_LENGTH:
            raise too_long
    if name in ("string", "pprint", "tojson", "list") and isinstance(value, (list, tuple, dict)):
        _printed_size(value)
    return value, args


@pass_context
def _each(context: Context, items: Iterable[Any], size: int) -> Iterator[Any]:
    """Wraps every `{% for %}`'s iterable: each iteration costs an operation and the loop body's text."""
    return _counted(items, size)


def _literal_size(body: list[nodes.Node]) -> int:
    """Characters of template text a loop body outputs per iteration (nested loops count their own)."""
    total = 0
    pending: list[nodes.Node] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
        elif not isinstance(node, (nodes.For, nodes.Macro, nodes.CallBlock)):
            pending.extend(node.iter_child_nodes())
    return total


class _CodeGenerator(CodeGenerator):
    """jinja2's compiler with `~` routed through the environment, which bounds what it builds."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.fabric_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with every kind of work counted and bounded (see the module docstring).

    `*`, `**`, `+` and `%` are checked before they run: `7 ** 10**8` would take minutes,
    `'x' * 10**10` exhaust the memory. Lists and mappings cannot be changed in place.
    """

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=False, optimized=False, finalize=_finalize)
        self.globals.update(
            range=_Callable(_range, "range"),
            dict=_Callable(dict, "dict"),
            namespace=_Callable(_Namespace, "namespace"),
            cycler=_Callable(_Cycler, "cycler"),
            joiner=_Callable(_Joiner, "joiner"),
            lipsum=_Callable(_nondeterministic("lipsum"), "lipsum"),
        )
        self.filters = {name: _metered_filter(name, fn) for name, fn in self.filters.items()}
        self.filters["random"] = _metered_filter("random", _nondeterministic("the random filter"))
        self.filters["fabric_each"] = _each

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            size = nodes.Const(_literal_size(loop.body))
            loop.iter = nodes.Filter(loop.iter, "fabric_each", [size], [], None, None, lineno=loop.lineno)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _spend(1)
        if _too_large(operator, left, right):
            raise SecurityError(f"the result of {operator} would be too large")
        if operator == "%":
            for arg in right if isinstance(right, tuple) else (right,):
                if _is_object(arg):
                    raise _NotAValue(_object_problem(arg))
        return _charged(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        _spend(_MACRO_CALL if isinstance(obj, Macro) else 1)  # a macro runs a body: several µs a call
        if isinstance(obj, _Callable) and isinstance(obj._owner, str):
            args = _check_call(obj._fn, obj._owner, obj._name, args, kwargs)
        return _charged(super().call(context, obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:  # `var.items`, `each.values`: a mapping's keys before its methods
            return obj[attribute]
        return _wrapped(super().getattr(obj, attribute), attribute, obj)

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _wrapped(super().getitem(obj, argument), str(argument), obj)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        owner = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            if _BIG_NUMBER.search(owner):
                raise SecurityError(f"the result of {value.__name__}() would be too large")
            for arg in (*args, *kwargs.values()):
                if _is_object(arg):
                    raise _NotAValue(_object_problem(arg))
            return wrapper(*args, **kwargs)

        return _Callable(bounded, value.__name__, owner)

    def fabric_concat(self, parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ …`, refused before it is built if it would be longer than MAX_LENGTH."""
        size = sum(_printed_size(part) for part in parts)
        if size > MAX_LENGTH:
            raise SecurityError(f"the result of ~ would be longer than {MAX_LENGTH:,}")
        _spend(1, size)
        return "".join(str(part) for part in parts)


def _wrapped(value: Any, name: str, owner: Any) -> Any:
    """A function or method reached as an attribute or item, callable but never printed."""
    if callable(value) and not isinstance(value, (jinja2.Undefined, _Callable, Macro)):
        return _Callable(value, name, owner)
    return value


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    """Every `{{ … }}` printed inside text: only values, and their size counted."""
    if type(value) is str:
        _spend(0, len(value))
        return value
    _spend(0, _printed_size(value))
    return value


_ENV = _Sandbox()
_WHOLE = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}\s*$", re.DOTALL)
_CACHE: dict[str, Callable[[dict[str, Any]], Any]] = {}


def _compile(text: str) -> Callable[[dict[str, Any]], Any]:
    match = _WHOLE.match(text)
    if match:
        expression = _ENV.compile_expression(match.group("expr"), undefined_to_none=False)
        return lambda ctx: _native(expression(**ctx))
    template = _ENV.from_string(text)

    def generate(ctx: dict[str, Any]) -> str:
        parts: list[str] = []
        size = 0
        for part in template.root_render_func(template.new_context(ctx)):
            size += len(part)
            if size > MAX_LENGTH:
                raise TemplateProblem(f"template output longer than {MAX_LENGTH:,} characters")
            parts.append(part)
        return "".join(parts)

    return generate


_NO_ATTR = re.compile(r"^'(?:dict object|jinja2\.utils\.Namespace object)' has no attribute '(?P<name>[^']*)'\Z")


def _undefined_message(message: str) -> str:
    match = _NO_ATTR.match(message)
    if match:
        return f"undefined in template: {match.group('name')!r} is undefined"
    return f"undefined in template: {message}"


def render(text: str, context: dict[str, Any]) -> Any:
    """Render one template string; raise TemplateProblem with a one-line reason.

    The work draws on the active `budget`; outside any, on a fresh one of a file's size.
    """
    if _current() is None:
        with budget("file"):
            return render(text, context)
    try:
        fn = _CACHE.get(text)
        if fn is None:
            fn = _CACHE[text] = _compile(text)
        value = fn(context)
    except TemplateProblem:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax error: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateProblem(f"template refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(_undefined_message(str(exc.message))) from None
    except Exception as exc:  # any error raised by user expressions (e.g. 1/0)
        raise TemplateProblem(f"template failed: {type(exc).__name__}: {exc}") from None
    return value
