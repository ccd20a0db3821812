"""Does every command call of a PowerShell script bind on the target VMM version?

The script is parsed with tree-sitter-powershell. Every command call is taken apart as PowerShell's
parser would: its name, named parameters (`-Name value`, `-Name:value`, switches), positional
arguments and splatted hashtables (`@params`: the keys of the last `$params = @{…}` before the call,
and of every `$params.X = …`, `$params['X'] = …`, `$params.Add('X', …)` or `$params += @{…}` after
it; a key added inside an `if`, a loop or a script block may be missing, so each possible set of
keys is bound, except keys from different branches of one `if` together). Each call is then bound as PowerShell's
parameter binder does (`CmdletParameterBinderController`, Windows PowerShell 5.1):

1. every parameter name resolves, case-insensitively, to one parameter of the cmdlet, a common
   parameter, or `-WhatIf`/`-Confirm` if the cmdlet supports ShouldProcess: the full name or an
   alias first, else an unambiguous prefix of a name or alias;
2. a parameter that is not a switch takes the next argument (or the one after `:`); a switch takes
   only a `:` value; no parameter is given twice;
3. the candidate parameter sets are those holding every parameter given by name; positional
   arguments go, in order, to each candidate's positional parameters not given by name (a script
   block only to a ScriptBlock or Object parameter, anything else to the others: PowerShell binds
   positions without type conversion first), and a set that cannot take them all drops out;
4. one candidate left is the set; of several, the cmdlet's default set if it is among them;
   otherwise (unless pipeline input is still to decide it) the one candidate whose mandatory
   parameters are all given, and if there is not exactly one, the call is ambiguous;
5. every mandatory parameter of the chosen set is given, except that a command on the right of a
   `|` may get one that takes pipeline input ByValue from the pipe; a piped command needs a
   parameter left to take the pipe;
6. a literal string (or array of literal strings) passed to a parameter with accepted values
   (an enumeration) is one of them, compared case-insensitively.

Unknown commands fail, except functions the script defines itself. A command named through a call
operator (`& Get-X`, `. Get-X`, `& 'Get-X'`) is checked like any other; `& $x` and `& { … }` name
none. A script with a syntax error fails as a whole (the grammar's own limits included: it reads
`-IPv4Addresses` as `-IPv` and a command `4Addresses`, which is why the templates splat such
parameters).

Not checked: argument types beyond script blocks and enumerations, values computed at run time
(a variable passed to an enumeration parameter), dynamic parameters, and whether the objects
passed are the ones the cmdlet expects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import tree_sitter
import tree_sitter_powershell
from fabric_scvmm.signatures import Cmdlet, Parameter, ParameterSet, Table, load

LANGUAGE = tree_sitter.Language(tree_sitter_powershell.language())
PARSER = tree_sitter.Parser(LANGUAGE)
_QUERY = tree_sitter.Query(
    LANGUAGE,
    "(command) @command (assignment_expression) @assignment (invokation_expression) @invocation"
    " (function_statement) @function",
)
Node = tree_sitter.Node

# nodes that only wrap one other node on the way from a statement to its value
_WRAPPERS = frozenset(
    {
        "pipeline",
        "pipeline_chain",
        "logical_expression",
        "bitwise_expression",
        "comparison_expression",
        "additive_expression",
        "multiplicative_expression",
        "format_expression",
        "range_expression",
        "array_literal_expression",
        "unary_expression",
        "parenthesized_expression",
        "left_assignment_expression",
        "key_expression",
        "argument_expression",
        "logical_argument_expression",
        "bitwise_argument_expression",
        "comparison_argument_expression",
        "additive_argument_expression",
        "multiplicative_argument_expression",
        "format_argument_expression",
        "range_argument_expression",
    }
)
# a key added to a hashtable under one of these may not be there when the hashtable is splatted
_CONTROL = frozenset(
    {
        "if_statement",
        "foreach_statement",
        "for_statement",
        "while_statement",
        "do_statement",
        "switch_statement",
        "script_block_expression",
        "catch_clause",
        "trap_statement",
    }
)
_REDIRECTION = ("redirection", "file_redirection_operator", "merging_redirection_operator")
_MAX_COMBINATIONS = 1024
_UNKNOWN = "neither a VMM cmdlet of this version nor a Windows PowerShell 5.1 one"


@dataclass(frozen=True)
class Problem:
    """A call that does not bind: where, which command, why."""

    line: int
    command: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.command}: {self.reason}"


@dataclass(frozen=True)
class Value:
    """An argument as far as the check needs it: its text, the literal strings it is (if it is
    nothing but literal strings), and whether it is a script block."""

    text: str
    strings: tuple[str, ...] | None = None
    scriptblock: bool = False


@dataclass(frozen=True)
class Element:
    """One element of a command, in order: `param` (a `-Name`, with its `:` value if any), `arg`, or
    `splat` (`@name`)."""

    kind: str
    text: str
    value: Value | None = None
    colon: bool = False


@dataclass(frozen=True)
class Key:
    """A key a splatted hashtable may hold: its value, and whether it is sure to be there."""

    name: str
    value: Value | None
    sure: bool
    branches: tuple[tuple[int, int], ...] = ()  # (if statement, branch) it sits in, for exclusivity


@dataclass(frozen=True)
class Call:
    """A command call as written."""

    name: str
    line: int
    elements: tuple[Element, ...]
    splats: Mapping[str, tuple[Key, ...] | None]  # variable → its keys (None: no hashtable known)
    piped: bool  # on the right of a `|`
    text: str


@dataclass(frozen=True)
class Binding:
    """What binding one call found: the sets chosen (one per possible set of splatted keys), the
    parameters given (for coverage figures) and the problems."""

    call: Call
    known: bool
    sets: frozenset[str]
    parameters: frozenset[str]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Result:
    """Every call of one script, bound against one table."""

    bindings: tuple[Binding, ...]
    syntax: tuple[Problem, ...] = ()

    @property
    def problems(self) -> list[Problem]:
        """Syntax errors, then each call's problems, in line order."""
        out = list(self.syntax)
        for b in self.bindings:
            out.extend(b.problems)
        return sorted(out, key=lambda p: p.line)


# --- reading the tree ----------------------------------------------------------------------------


def _nodes(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _core(node: Node) -> Node:
    """The node a chain of one-child wrappers stands for (`(x)` and `x` alike)."""
    while node.type in _WRAPPERS:
        named = node.named_children
        if len(named) != 1:
            break
        node = named[0]
    return node


def _literal(node: Node) -> str | None:
    """The string a literal stands for, if `node` is a constant string (or a bare word)."""
    node = _core(node)
    if node.type == "generic_token":
        return _text(node)
    if node.type != "string_literal" or len(node.named_children) != 1:
        return None
    inner = node.named_children[0]
    text = _text(inner)
    if inner.type == "verbatim_string_characters" and len(text) >= 2:
        body = text[1:-1]
        for q in "'\u2018\u2019\u201a\u201b":
            body = body.replace(q * 2, q)
        return body
    if inner.type == "expandable_string_literal" and not inner.named_children and "`" not in text and "$" not in text:
        return text[1:-1]
    return None


def _value(node: Node) -> Value:
    """`node` (a command argument or a hashtable value) as a `Value`."""
    core = _core(node)
    text = _text(node)
    if core.type == "script_block_expression":
        return Value(text, scriptblock=True)
    single = _literal(core)
    if single is not None:
        return Value(text, (single,))
    items: list[Node] = []
    if core.type == "array_expression":  # @('a', 'b')
        lists = [c for c in core.named_children if c.type == "statement_list"]
        if len(lists) == 1 and len(lists[0].named_children) == 1:
            items = [_core(lists[0].named_children[0])]
    elif core.type == "array_literal_expression":  # 'a', 'b'
        items = [core]
    if len(items) == 1 and items[0].type == "array_literal_expression":
        strings = [_literal(c) for c in items[0].named_children]
        if strings and all(s is not None for s in strings):
            return Value(text, tuple(s for s in strings if s is not None))
    elif len(items) == 1:
        item = _literal(items[0])
        if item is not None:
            return Value(text, (item,))
    return Value(text)


def _variable(node: Node) -> str | None:
    """The casefolded name of a plain variable (`$params` → `params`)."""
    node = _core(node)
    if node.type != "variable":
        return None
    text = _text(node)
    return text[1:].casefold() if text.startswith("$") else None


def _key_name(node: Node) -> str | None:
    node = _core(node)
    if node.type == "simple_name":
        return _text(node)
    return _literal(node)


def _hashtable(node: Node) -> Node | None:
    """The `@{…}` literal `node` is, also as `[ordered]@{…}` or `[hashtable]@{…}`."""
    node = _core(node)
    if node.type == "expression_with_unary_operator" and len(node.named_children) == 1:
        node = node.named_children[0]
    if node.type == "cast_expression":
        kind = node.child_by_field_name("type") or next(
            (c for c in node.named_children if c.type == "type_literal"), None
        )
        target = _text(kind).strip("[] ").casefold()
        inner = node.named_children[-1]
        if target in ("ordered", "hashtable", "system.collections.hashtable"):
            node = _core(inner)
    return node if node.type == "hash_literal_expression" else None


@dataclass
class _Event:
    start: int
    variable: str
    kind: str  # new (a hashtable literal) | other (anything else) | add (one key)
    keys: list[tuple[str, Value | None]] = field(default_factory=list)
    node: Node | None = None


def _hash_entries(table: Node) -> list[tuple[str, Value | None]]:
    out: list[tuple[str, Value | None]] = []
    for n in _nodes(table):
        if n.type != "hash_entry" or _enclosing_hashtable(n) != table.id:
            continue
        key = n.named_children[0] if n.named_children else None
        name = _key_name(key) if key is not None else None
        rest = [c for c in n.named_children[1:] if c.type == "pipeline" or c.type == "statement"]
        if name is not None:
            out.append((name, _value(rest[0]) if rest else None))
    return out


def _enclosing_hashtable(node: Node) -> int | None:
    parent = node.parent
    while parent is not None and parent.type != "hash_literal_expression":
        parent = parent.parent
    return parent.id if parent is not None else None


def _events(nodes: Iterable[Node]) -> dict[str, list[_Event]]:
    """Per variable, in script order: hashtables assigned to it, other assignments, keys added."""
    out: dict[str, list[_Event]] = {}
    for n in nodes:
        if n.type == "assignment_expression":
            op = next((c for c in n.children if c.type == "assignement_operator"), None)
            left = n.named_children[0] if n.named_children else None
            right = n.named_children[-1] if n.named_children else None
            if left is None or right is None or op is None:
                continue
            core = _core(left)
            if core.type == "variable":
                name = _variable(core)
                table = _hashtable(right)
                if name is None:
                    continue
                if table is not None and _text(op) in ("=", "+="):  # `+= @{…}` adds its keys
                    kind = "new" if _text(op) == "=" else "add"
                    out.setdefault(name, []).append(_Event(n.start_byte, name, kind, _hash_entries(table), n))
                else:
                    out.setdefault(name, []).append(_Event(n.start_byte, name, "other", node=n))
            elif core.type in ("member_access", "element_access") and _text(op) == "=":
                parts = core.named_children
                name = _variable(parts[0]) if parts else None
                key = _key_name(parts[-1]) if len(parts) >= 2 else None
                if core.type == "member_access" and len(parts) >= 2:
                    key = _text(parts[-1])
                if name is not None and key is not None:
                    out.setdefault(name, []).append(_Event(n.start_byte, name, "add", [(key, _value(right))], n))
        elif n.type == "invokation_expression":  # $params.Add('Key', value)
            parts = n.named_children
            if len(parts) >= 3 and _text(parts[1]).casefold() == "add":
                name = _variable(parts[0])
                args = [c for c in _nodes(parts[2]) if c.type == "argument_expression"]
                key = _key_name(args[0]) if args else None
                if name is not None and key is not None:
                    value = _value(args[1]) if len(args) > 1 else None
                    out.setdefault(name, []).append(_Event(n.start_byte, name, "add", [(key, value)], n))
    for events in out.values():
        events.sort(key=lambda e: e.start)
    return out


def _where(node: Node) -> dict[int, int]:
    """The control structures around `node`: id → the branch it is in (for an `if`: 0 for the
    condition and the `if` block, k for the k-th `elseif`, -1 for `else`; 0 for anything else)."""
    out: dict[int, int] = {}
    path = [node]
    parent = node.parent
    while parent is not None:
        child = path[-1]
        if parent.type in _CONTROL:
            branch = 0
            if parent.type == "if_statement" and child.type == "else_clause":
                branch = -1
            elif parent.type == "if_statement" and child.type == "elseif_clauses" and len(path) >= 2:
                branch = 1 + [c.id for c in child.named_children].index(path[-2].id)
            out[parent.id] = branch
        path.append(parent)
        parent = parent.parent
    return out


def _splat_keys(events: Sequence[_Event], call: Node) -> tuple[Key, ...] | None:
    before = [e for e in events if e.start < call.start_byte]
    made = next((i for i in range(len(before) - 1, -1, -1) if before[i].kind != "add"), None)
    if made is None or before[made].kind != "new":
        return None
    where = _where(call)
    keys: dict[str, Key] = {}
    for name, value in before[made].keys:
        keys[name.casefold()] = Key(name, value, True)
    for event in before[made + 1 :]:
        assert event.node is not None
        around = _where(event.node)
        sure = all(where.get(node) == branch for node, branch in around.items())
        branches = tuple(sorted((node, branch) for node, branch in around.items() if where.get(node) != branch))
        for name, value in event.keys:
            old = keys.get(name.casefold())
            keys[name.casefold()] = Key(name, value, sure or (old is not None and old.sure), branches)
    return tuple(keys.values())


def _elements(command: Node) -> list[Element]:
    body = command.child_by_field_name("command_elements")
    if body is None:
        body = next((c for c in command.named_children if c.type == "command_elements"), None)
    out: list[Element] = []
    if body is None:
        return out
    colon = False
    for child in body.children:
        if child.type == "command_argument_sep":
            colon = colon or _text(child).strip() == ":"
            continue
        if child.type in _REDIRECTION or (child.type == "generic_token" and _is_redirection(_text(child))):
            colon = False
            continue
        if child.type == "command_parameter":
            out.append(Element("param", _text(child)[1:].rstrip(":"), colon=_text(child).endswith(":")))
            colon = out[-1].colon
            continue
        core = _core(child)
        if core.type == "variable" and _text(core).startswith("@"):
            out.append(Element("splat", _text(core)[1:].casefold()))
        elif colon and out and out[-1].kind == "param" and out[-1].value is None:
            out[-1] = Element("param", out[-1].text, _value(child), colon=True)
        else:
            out.append(Element("arg", _text(child), _value(child)))
        colon = False
    return out


def _is_redirection(text: str) -> bool:
    return any(text.startswith(p) for p in (">", ">>", "2>", "3>", "4>", "5>", "6>", "*>", "1>"))


def _piped(command: Node) -> bool:
    sibling = command.prev_sibling
    while sibling is not None and sibling.type in ("command_argument_sep",):
        sibling = sibling.prev_sibling
    return sibling is not None and sibling.type == "|"


def parse(script: str) -> tree_sitter.Tree:
    """The syntax tree of `script`."""
    return PARSER.parse(script.encode("utf-8"))


def calls(tree: tree_sitter.Tree) -> tuple[list[Call], set[str]]:
    """Every command call of the script in order, and the (casefolded) functions it defines."""
    found = tree_sitter.QueryCursor(_QUERY).captures(tree.root_node)
    functions = set()
    for n in found.get("function", []):
        name = n.child_by_field_name("name") or _first(n, "function_name")
        functions.add(_text(name).casefold())
    events = _events([*found.get("assignment", []), *found.get("invocation", [])])
    out = []
    for n in found.get("command", []):
        name_node = _first(n, "command_name")
        name = _text(name_node) if name_node is not None else _invoked_name(n)
        if name is None:
            continue  # `& { … }`, `& $command`: no name to check
        elements = _elements(n)
        splats = {e.text: _splat_keys(events.get(e.text, ()), n) for e in elements if e.kind == "splat"}
        out.append(Call(name, n.start_point.row + 1, tuple(elements), splats, _piped(n), _text(n)))
    out.sort(key=lambda c: (c.line, c.text))
    return out, functions


def _invoked_name(command: Node) -> str | None:
    """The command a call operator names as a constant: `& Get-X`, `. Get-X`, `& 'Get-X'` (not `& $x`, `& { … }`)."""
    expr = _first(command, "command_name_expr")
    inner = expr.named_children if expr is not None else []
    if len(inner) != 1:
        return None
    if inner[0].type == "path_command_name" and all(c.type == "path_command_name_token" for c in inner[0].children):
        return _text(inner[0])
    return _literal(inner[0]) if inner[0].type == "string_literal" else None


def _first(node: Node, kind: str) -> Node | None:
    return next((c for c in node.children if c.type == kind), None)


def syntax_errors(tree: tree_sitter.Tree) -> list[Problem]:
    """One problem per syntax error the grammar finds (missing or unexpected text)."""
    out: list[Problem] = []
    if not tree.root_node.has_error:
        return out
    for n in _nodes(tree.root_node):
        if n.type == "ERROR" or n.is_missing:
            out.append(Problem(n.start_point.row + 1, "(syntax)", f"does not parse near {_text(n)[:60]!r}"))
    return out


# --- binding -------------------------------------------------------------------------------------


class _Names:
    """A cmdlet's parameters as PowerShell resolves names on the command line."""

    def __init__(self, cmdlet: Cmdlet, table: Table) -> None:
        self.cmdlet = cmdlet
        self.table = table
        own: dict[str, Parameter] = dict(cmdlet.parameters)
        self.common = {**table.common, **(table.should_process if cmdlet.supports_should_process else {})}
        self.all = {**self.common, **own}
        self.keys: list[tuple[str, str]] = []  # (casefolded name or alias, parameter)
        for name, param in self.all.items():
            self.keys.append((name.casefold(), name))
            self.keys.extend((alias.casefold(), name) for alias in param.aliases)

    def resolve(self, written: str) -> tuple[Parameter | None, str | None]:
        """The parameter `-written` names, or why none."""
        folded = written.casefold()
        exact = {name for key, name in self.keys if key == folded}
        if len(exact) == 1:
            return self.all[exact.pop()], None
        matches = sorted({name for key, name in self.keys if key.startswith(folded)})
        if len(matches) == 1:
            return self.all[matches[0]], None
        if matches:
            return None, f"-{written} is ambiguous: it could be {', '.join('-' + m for m in matches)}"
        if any(key.startswith(folded) for key in (k.casefold() for k in self.table.should_process)):
            return None, f"-{written}: the cmdlet does not support ShouldProcess (it has no -Confirm or -WhatIf)"
        return None, f"no parameter -{written}"


_NAMES: dict[tuple[int, str], _Names] = {}


def _names(cmdlet: Cmdlet, table: Table) -> _Names:
    key = (id(table), cmdlet.name)
    if key not in _NAMES:
        _NAMES[key] = _Names(cmdlet, table)
    return _NAMES[key]


@dataclass(frozen=True)
class _Given:
    parameter: Parameter
    written: str
    value: Value | None


def _compatible(value: Value, param: Parameter) -> bool:
    takes_block = param.type.startswith("ScriptBlock")
    anything = param.type.rstrip("[]") in ("Object", "PSObject")
    if value.scriptblock:
        return takes_block or anything
    return not takes_block


def _enum_problems(given: Iterable[tuple[Parameter, Value | None]], written: Mapping[str, str]) -> list[str]:
    out = []
    for param, value in given:
        if param.values is None or value is None or value.strings is None:
            continue
        accepted = {v.casefold() for v in param.values}
        bad = [s for s in value.strings if s.casefold() not in accepted]
        if bad:
            shown = ", ".join(repr(b) for b in bad)
            out.append(
                f"-{written.get(param.name, param.name)} {shown}: not an accepted value ({', '.join(param.values)})"
            )
    return out


def _pipeline_takes(s: ParameterSet, name: str) -> bool:
    return "ByValue" in s.pipeline.get(name, "")


def _choose(
    cmdlet: Cmdlet, bound: set[str], positional: Sequence[Value], piped: bool
) -> tuple[ParameterSet | None, dict[str, Value], str | None]:
    """The parameter set PowerShell picks, the parameters bound by position, or why none."""
    params = cmdlet.parameters
    candidates = [s for s in cmdlet.sets.values() if bound <= s.parameters]
    if not candidates:
        unknown = sorted(bound - set().union(*(s.parameters for s in cmdlet.sets.values())))
        if unknown:
            return None, {}, f"-{', -'.join(unknown)} is in none of its parameter sets"
        lacks = "; ".join(f"{s.name} lacks -{', -'.join(sorted(bound - s.parameters))}" for s in cmdlet.sets.values())
        return None, {}, f"no parameter set takes -{', -'.join(sorted(bound))} together ({lacks})"
    placed: dict[str, dict[str, Value]] = {}
    for s in candidates:
        slots = sorted(
            (pos, name)
            for name, pos in s.positions.items()
            if pos >= 0 and name not in bound and not params[name].switch
        )
        if len(positional) > len(slots):
            continue
        pairs = list(zip(positional, (name for _, name in slots), strict=False))
        if all(_compatible(v, params[name]) for v, name in pairs):
            placed[s.name] = {name: v for v, name in pairs}
    if not placed:
        return None, {}, f"no parameter set takes the positional argument {positional[0].text[:40]!r}"
    fitting = [s for s in candidates if s.name in placed]

    def satisfied(s: ParameterSet) -> bool:
        missing = s.mandatory - bound - set(placed[s.name])
        return not missing or (piped and len(missing) == 1 and _pipeline_takes(s, next(iter(missing))))

    if len(fitting) == 1:
        chosen = fitting[0]
    elif cmdlet.default_set is not None and cmdlet.default_set in placed:
        chosen = cmdlet.sets[cmdlet.default_set]
    else:
        complete = [s for s in fitting if satisfied(s)]
        if len(complete) != 1:
            names = ", ".join(s.name for s in fitting)
            why = "none is the default" if cmdlet.default_set else f"{cmdlet.name} has no default set"
            done = f"{len(complete)} of them have every mandatory parameter"
            return None, {}, f"parameter set cannot be resolved: {names} fit, {why}, and {done}"
        chosen = complete[0]
    return chosen, placed[chosen.name], None


def _bind_once(
    call: Call, names: _Names, given: Sequence[_Given], positional: Sequence[Value]
) -> tuple[str | None, list[str]]:
    cmdlet = names.cmdlet
    reasons: list[str] = []
    seen: dict[str, int] = {}
    for g in given:
        seen[g.parameter.name] = seen.get(g.parameter.name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            reasons.append(f"-{name} is given {count} times")
    bound = {g.parameter.name for g in given if g.parameter.name in cmdlet.parameters}
    written = {g.parameter.name: g.written for g in given}
    reasons += _enum_problems(((g.parameter, g.value) for g in given), written)
    chosen, by_position, why = _choose(cmdlet, bound, positional, call.piped)
    if chosen is None:
        reasons.append(str(why))
        return None, reasons
    reasons += _enum_problems(((cmdlet.parameters[n], v) for n, v in by_position.items()), {})
    have = bound | set(by_position)
    missing = sorted(chosen.mandatory - have)
    if call.piped and len(missing) == 1 and _pipeline_takes(chosen, missing[0]):
        missing = []
    if missing:
        reasons.append(f"missing mandatory -{', -'.join(missing)} (parameter set {chosen.name})")
    elif call.piped and not any(name not in have for name in chosen.pipeline):
        reasons.append(f"takes no pipeline input here (parameter set {chosen.name}: its pipeline parameters are given)")
    return chosen.name, reasons


def _combinations(keys: Sequence[Key]) -> list[tuple[Key, ...]]:
    """Every set of the unsure keys that can be there together (sure keys always are)."""
    unsure = [k for k in keys if not k.sure]
    if 2 ** len(unsure) > _MAX_COMBINATIONS:
        return [tuple(unsure), ()]
    out = []
    for r in range(len(unsure) + 1):
        for combo in itertools.combinations(unsure, r):
            if all(_together(a, b) for a, b in itertools.combinations(combo, 2)):
                out.append(combo)
    return out


def _together(a: Key, b: Key) -> bool:
    left = dict(a.branches)
    return all(left.get(node, branch) == branch for node, branch in b.branches)


def bind(call: Call, table: Table, functions: set[str]) -> Binding:
    """Bind one call against `table` (see the module docstring)."""
    cmdlet = table.cmdlet(call.name)
    if cmdlet is None:
        known = call.name.casefold() in functions
        unknown = Problem(call.line, call.name, f"unknown command (not in the signature table: {_UNKNOWN})")
        problems = () if known else (unknown,)
        return Binding(call, known, frozenset(), frozenset(), problems)
    names = _names(cmdlet, table)
    reasons: list[str] = []
    explicit: list[_Given] = []
    positional: list[Value] = []
    splat_keys: list[Key] = []
    elements = call.elements
    i = 0
    while i < len(elements):
        e = elements[i]
        if e.kind == "param":
            param, why = names.resolve(e.text)
            value = e.value
            if not e.colon and (param is None or not param.switch):
                nxt = elements[i + 1] if i + 1 < len(elements) else None
                if nxt is not None and nxt.kind == "arg":
                    value = nxt.value
                    i += 1
                elif param is not None:
                    reasons.append(f"-{e.text} needs an argument")
            if param is None:
                reasons.append(str(why))
            else:
                explicit.append(_Given(param, e.text, value))
        elif e.kind == "arg":
            assert e.value is not None
            positional.append(e.value)
        else:
            keys = call.splats.get(e.text)
            if keys is None:
                reasons.append(f"@{e.text}: no hashtable is assigned to ${e.text} before this call")
            else:
                splat_keys.extend(keys)
        i += 1
    resolved: list[tuple[Key, _Given]] = []
    for key in splat_keys:
        param, why = names.resolve(key.name)
        if param is None:
            reasons.append(f"splatted key {key.name!r}: {why}")
        else:
            resolved.append((key, _Given(param, key.name, key.value)))
    sets: set[str] = set()
    everywhere: list[str] | None = None
    sometimes: dict[str, tuple[Key, ...]] = {}
    combos = _combinations([k for k, _ in resolved])
    for combo in combos:
        present = {id(k) for k in combo}
        given = explicit + [g for k, g in resolved if k.sure or id(k) in present]
        chosen, found = _bind_once(call, names, given, positional)
        if chosen is not None:
            sets.add(chosen)
        for reason in found:
            sometimes.setdefault(reason, combo)
        everywhere = found if everywhere is None else [r for r in everywhere if r in found]
    for reason, combo in sometimes.items():
        if (everywhere is not None and reason in everywhere) or len(combos) == 1:
            reasons.append(reason)
        else:
            held = ", ".join(k.name for k in combo) or "none of its conditional keys"
            reasons.append(f"{reason} (when the splatted hashtable holds {held})")
    given_names = frozenset(g.parameter.name for g in explicit) | frozenset(g.parameter.name for _, g in resolved)
    found_problems = tuple(Problem(call.line, call.name, r) for r in dict.fromkeys(reasons))
    return Binding(call, True, frozenset(sets), given_names, found_problems)


def check_tree(tree: tree_sitter.Tree, table: Table) -> Result:
    """Bind every call of a parsed script."""
    found, functions = calls(tree)
    return Result(tuple(bind(c, table, functions) for c in found), tuple(syntax_errors(tree)))


@lru_cache(maxsize=4096)
def _extracted(script: str) -> tuple[tuple[Call, ...], frozenset[str], tuple[Problem, ...]]:
    tree = parse(script)
    found, functions = calls(tree)
    return tuple(found), frozenset(functions), tuple(syntax_errors(tree))


_TABLES: dict[str, Table] = {}


@lru_cache(maxsize=16)
def digest(version: str) -> str:
    """A fingerprint of the table's content: versions with equal tables share their results."""
    table = load(version)
    d = repr((sorted(table.cmdlets.items()), sorted(table.common.items()), sorted(table.should_process.items())))
    _TABLES.setdefault(d, table)
    return d


@lru_cache(maxsize=16384)
def _checked(script: str, table_digest: str) -> Result:
    found, functions, syntax = _extracted(script)
    table = _TABLES[table_digest]
    return Result(tuple(bind(c, table, set(functions)) for c in found), syntax)


def check(script: str, version: str) -> Result:
    """Bind every call of `script` against the table of `version`; each distinct script is parsed
    once, and bound once per distinct table content (2016 to 2025 share one table today)."""
    return _checked(script, digest(version))
