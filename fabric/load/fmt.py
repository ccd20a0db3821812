"""`fabric fmt`'s pure half: the text of a stamp YAML file in, its canonical text out.

Canonical means:

* **Key order.** A resource body reads `for_each`, `name`, `description`, the kind's own
  fields in the order its model declares them (`KINDS[kind].model_fields`), `depends_on`,
  `lifecycle`, and for host groups `children` last (the subtree after the group's own
  settings). Nested models follow their own field order (`capacity`, `subnets` items,
  `virtual_ports` items, `lifecycle`); `fabric.yaml` follows `StampConfig` (and `state`,
  `moved`, … their models; `provider` starts with `type`). Keys fmt does not know stay after
  the known ones, in the order written. Kinds, resource keys, host-group children, `variables`,
  `for_each`, `custom_properties` and every list keep the written order: they carry meaning.
  Flow mappings (`{vlan: 5, subnet: …}`) are ordered too, unless a comment sits between
  their entries.
* **Layout.** Block collections are indented by 2 spaces per level, list items by 2 under
  their key (`key:` / `  - item`, one space after the dash), a mapping inside a list item
  starts on the dash line (`- subnet: …`). The text of a block scalar (`|`, `>`) starts 2
  columns in from its key or dash (its own indentation beyond that is kept; with an explicit
  indentation indicator it moves along with its key); the lines of a quoted or plain string over several
  lines too (that indentation is not part of the value); a flow collection over several
  lines keeps its line breaks and moves along with its key. Blank lines stay where they were
  written, except that several in a row become one and none start a block or end the file;
  trailing spaces are dropped outside strings; the file ends with a newline.
* **Everything else is kept as written:** comments (a full-line comment moves, re-indented,
  with the key below it; one below the last key of a block and indented like that block
  stays at its end), everything above the first key (the `# yaml-language-server` line, a
  header comment), quoting, jinja2 templates, `${env:NAME}` values, anchors and aliases (a
  body whose reordering would put an alias above its anchor keeps its order), tags, line
  breaks (`\r\n` stays `\r\n`).

How: libyaml's event stream (the loader's C parser) gives the line and column of every
key, dash and value; fmt moves whole lines (and re-indents them) instead of re-serialising
anything, which is what keeps the text. Every result is checked before it is returned: it
must load (`parse_yaml`) to the same data as the input, in the same order wherever order
carries meaning, and keep every non-blank character — otherwise the file is refused.
"""

from __future__ import annotations

import gc
import itertools
import re
import typing
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel

from fabric.errors import Diagnostic, SourceLocation
from fabric.load.yamlfile import Locator, parse_yaml
from fabric.model.resources import KINDS, Resource
from fabric.model.stamp import ProviderConfig, StampConfig

_Path = tuple[str | int, ...]
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a line break
_BLOCK_HEADER = re.compile(r"[|>]([1-9]?[+-]?|[+-][1-9]?)")
_WHITESPACE = " \t\r\n\x85\u2028\u2029\ufeff"
_SCALAR, _ALIAS, _MAP, _SEQ = range(4)
_EventLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it
_ScalarEvent, _MappingEnd, _SequenceEnd = yaml.ScalarEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent


class Shape:
    """What fmt knows about a mapping or list: the key order and the shape of each value.

    `order` None keeps the written order (and the check then insists on it); `values` gives the
    shape under a key, `each` the shape of any other value (list items, resource bodies).
    """

    __slots__ = ("each", "order", "rank", "values")

    def __init__(
        self, order: tuple[str, ...] | None = None, values: Mapping[str, Shape] | None = None, each: Shape | None = None
    ) -> None:
        self.order = order
        self.rank = {key: i for i, key in enumerate(order)} if order is not None else {}
        self.values: dict[str, Shape] = dict(values or {})
        self.each = each

    def child(self, key: object) -> Shape:
        """The shape of the value under `key` (or of a list item)."""
        found = self.values.get(key) if isinstance(key, str) else None
        return found or self.each or OPAQUE

    def sort(self, keys: list[str]) -> list[int]:
        """Indices of `keys` in canonical order: known keys by rank, then the others as written."""
        last = len(self.rank)
        rank = self.rank
        return sorted(range(len(keys)), key=lambda i: rank.get(keys[i], last))


OPAQUE = Shape()  # keep the written order, here and below


def _inner(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    """The model inside an annotation (`Capacity`, `Lifecycle | None`) and whether it is a list of it."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    is_list = typing.get_origin(annotation) is list
    for arg in typing.get_args(annotation):
        found = _inner(arg)
        if found is not None:
            return found[0], found[1] or is_list
    return None


def _fields_shape(model: type[BaseModel], order: list[str]) -> Shape:
    """The shape of `model`'s mapping: keys in `order`, nested models by their own field order."""
    values: dict[str, Shape] = {}
    for name, info in model.model_fields.items():
        found = _inner(info.annotation)
        if found is not None:
            inner = model_shape(found[0])
            values[info.alias or name] = Shape(each=inner) if found[1] else inner
    return Shape(tuple(order), values)


def model_shape(model: type[BaseModel]) -> Shape:
    """A nested model's shape: its fields (by alias where it has one) in declaration order."""
    return _fields_shape(model, [info.alias or name for name, info in model.model_fields.items()])


def _body_shape(kind: str) -> Shape:
    model = KINDS[kind]
    shared = frozenset(Resource.model_fields)
    own = [info.alias or name for name, info in model.model_fields.items() if name not in shared]
    order = ["for_each", "name", "description", *own, "depends_on", "lifecycle"]
    if kind == "host_group":
        order.append("children")
    shape = _fields_shape(model, order)  # lifecycle: its model's order, like any nested model
    if kind == "host_group":
        shape.values["children"] = Shape(each=shape)  # name → host group, recursively
    return shape


def resource_file_shape() -> Shape:
    """A resource file: kinds in written order, resources in written order, bodies canonical."""
    return Shape(values={kind: Shape(each=_body_shape(kind)) for kind in KINDS})


def stamp_file_shape() -> Shape:
    """`fabric.yaml`: StampConfig's field order; `provider` starts with `type`, its own settings follow."""
    shape = model_shape(StampConfig)
    shape.values["provider"] = _fields_shape(ProviderConfig, list(ProviderConfig.model_fields))
    return shape


class _Node:
    """A YAML node from the event stream: kind, 0-based start and end, the last line it is written on."""

    __slots__ = ("anchor", "ec", "el", "flow", "items", "kind", "last", "sc", "sl", "style", "tagged", "value")

    def __init__(
        self,
        kind: int,
        sl: int,
        sc: int,
        el: int,
        ec: int,
        last: int,
        value: str,
        style: str | None,
        anchor: str | None,
    ) -> None:
        self.kind, self.sl, self.sc, self.el, self.ec, self.last = kind, sl, sc, el, ec, last
        self.value, self.style, self.anchor = value, style, anchor
        self.flow = False
        self.tagged = False  # a collection with an explicit tag (`!!seq`)
        self.items: Any = ()  # (key, value) pairs of a mapping, the nodes of a sequence


class _Entry:
    """A mapping entry or list item of a block collection, and the lines it owns."""

    __slots__ = ("block", "col", "compact", "key", "last", "leading", "line", "node")

    def __init__(self, key: str | None, line: int, col: int, node: _Node) -> None:
        self.key, self.line, self.col, self.node = key, line, col, node
        self.block: _Block | None = None  # the value as a block collection fmt re-lays out
        self.compact = False  # a list item whose mapping starts on the dash line
        self.last = line
        self.leading = range(0)  # comment and blank lines just above it


class _Block:
    """A block mapping or sequence: its entries, column and the comment lines at its end."""

    __slots__ = ("col", "entries", "last", "seq", "shape", "trailing")

    def __init__(self, seq: bool, col: int, entries: list[_Entry], shape: Shape) -> None:
        self.seq, self.col, self.entries, self.shape = seq, col, entries, shape
        self.last = entries[-1].last
        self.trailing = range(0)


class _Irregular(Exception):
    """The text has a shape fmt does not lay out (it is then refused, never guessed at)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic GC: building millions of small acyclic objects would trigger it over and over."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Formatter:
    """One file: its lines, the node tree, and the canonical lines being written."""

    def __init__(self, text: str) -> None:
        self.lines, self.ends = _split_lines(text)
        self.newline = "\r\n" if "\r\n" in text else "\n"
        if self.ends and not self.ends[-1]:
            self.ends[-1] = self.newline  # the file ends with a newline
        self.patched: dict[int, str] = {}  # lines whose flow mappings fmt reordered
        self.aliases = False
        self.out: list[str] = []
        self.blanks: set[int] = set()  # indices in `out` of blank lines fmt wrote between things

    # -- the node tree ------------------------------------------------------------------

    def read(self, text: str) -> _Node | None:
        """The document's root node (None for an empty document)."""
        loader = _EventLoader(text)
        try:
            get = loader.get_event
            get()  # stream start
            if type(get()) is yaml.StreamEndEvent:
                return None
            return self._node(get(), get)
        finally:
            loader.dispose()

    def _node(self, ev: Any, get: Callable[[], Any]) -> _Node:
        start, end = ev.start_mark, ev.end_mark
        cls = type(ev)
        if cls is _ScalarEvent:
            sl, sc, el, ec = start.line, start.column, end.line, end.column
            style = ev.style
            if style == "|" or style == ">":
                node = _Node(_SCALAR, sl, sc, el, ec, el, ev.value, style, ev.anchor)
                node.last = self._block_scalar_last(node)
                return node
            last = el if ec > 0 or el == sl else el - 1
            return _Node(_SCALAR, sl, sc, el, ec, last, ev.value, style, ev.anchor)
        if cls is yaml.AliasEvent:
            self.aliases = True
            return _Node(_ALIAS, start.line, start.column, end.line, end.column, end.line, ev.anchor, None, None)
        kind = _MAP if cls is yaml.MappingStartEvent else _SEQ
        node = _Node(kind, start.line, start.column, start.line, start.column, start.line, "", None, ev.anchor)
        node.flow = bool(ev.flow_style)
        node.tagged = ev.tag is not None and not ev.implicit
        items: list[Any] = []
        node.items = items
        build = self._node
        ev = get()
        if kind == _MAP:
            while type(ev) is not _MappingEnd:
                key = build(ev, get)
                items.append((key, build(get(), get)))
                ev = get()
            last = max(items[-1][0].last, items[-1][1].last) if items else start.line
        else:
            while type(ev) is not _SequenceEnd:
                items.append(build(ev, get))
                ev = get()
            last = items[-1].last if items else start.line
        node.el, node.ec = ev.end_mark.line, ev.end_mark.column
        node.last = node.el if node.flow else max(last, start.line)
        return node

    def _block_scalar_last(self, node: _Node) -> int:
        """The last line holding a block scalar's text (trailing blank lines excluded unless kept)."""
        last = node.el - 1 if node.ec == 0 else node.el
        header = _BLOCK_HEADER.match(self.lines[node.sl], node.sc)
        indicators = header.group(1) if header else "+"
        if "+" in indicators or any(ch.isdigit() for ch in indicators):
            return last  # kept trailing lines are content; an explicit indentation: leave it all
        body = [j for j in range(node.sl + 1, last + 1) if self.lines[j].strip(" ")]
        indent = len(self.lines[body[0]]) - len(self.lines[body[0]].lstrip(" ")) if body else 0
        while last > node.sl and not self.lines[last].strip(" ") and len(self.lines[last]) <= indent:
            last -= 1
        return last

    # -- block structure ----------------------------------------------------------------

    def block(self, node: _Node, shape: Shape) -> _Block | None:
        """The block collection `node` as entries fmt may move, or None to leave it as written."""
        if node.flow or not node.items:
            return None
        return self._map(node, shape) if node.kind == _MAP else self._seq(node, shape)

    def _map(self, node: _Node, shape: Shape) -> _Block | None:
        col = node.items[0][0].sc
        entries: list[_Entry] = []
        for key, value in node.items:
            if key.kind != _SCALAR or key.sl != key.el or key.sc != col:
                return None  # `? complex` keys, aliases or collections as keys
            if not entries and self.lines[key.sl][:col].strip(" -"):
                return None  # `? key`; the first key of a list item's mapping follows its dash
            entry = _Entry(key.value, key.sl, col, value)
            entry.block = self._value(value, shape.child(key.value))
            entry.last = max(key.last, value.last)
            entries.append(entry)
        return _Block(False, col, entries, shape)

    def _seq(self, node: _Node, shape: Shape) -> _Block | None:
        first = node.items[0]
        if node.anchor is None and not node.tagged:
            line, col = node.sl, node.sc
        else:  # `key: &anchor` / `key: !tag` and the first dash below
            found = self._first_dash(node.sl + 1, first.sl)
            if found is None:
                return None
            line, col = found
        if self.lines[line][col : col + 1] != "-":
            return None
        entries: list[_Entry] = []
        item_shape = shape.each or OPAQUE
        for item in node.items:
            if entries:
                dash = self._dash_line(entries[-1].last + 1, item.sl, col)
                if dash is None:
                    return None
                line = dash
            entry = _Entry(None, line, col, item)
            entry.block = self._value(item, item_shape)
            entry.compact = entry.block is not None and entry.block.entries[0].line == line
            entry.last = max(line, item.last)
            entries.append(entry)
        return _Block(True, col, entries, shape)

    def _value(self, node: _Node, shape: Shape) -> _Block | None:
        if node.kind in (_MAP, _SEQ) and not node.flow:
            return self.block(node, shape)
        if node.flow and (shape.order is not None or shape.values or shape.each):
            self._patch_flow(node, shape)
        return None

    def _first_dash(self, lo: int, hi: int) -> tuple[int, int] | None:
        for j in range(lo, hi + 1):
            text = self.lines[j].lstrip(" ")
            if text.startswith("-") and text[1:2] in ("", " "):
                return j, len(self.lines[j]) - len(text)
            if text and not text.startswith("#"):
                return None
        return None

    def _dash_line(self, lo: int, hi: int, col: int) -> int | None:
        for j in range(hi, lo - 1, -1):
            text = self.lines[j]
            if text[col : col + 1] == "-" and text[col + 1 : col + 2] in ("", " ") and not text[:col].strip(" "):
                return j
        return None

    # -- flow mappings ----------------------------------------------------------------------

    def _patch_flow(self, node: _Node, shape: Shape) -> None:
        """Put the mappings inside a flow collection in canonical order (the lines it spans stay the lines)."""
        if self.aliases and (_anchors(node) or _aliases(node)):
            return  # an anchor must stay before its aliases: leave the order as written
        first, last = node.sl, node.el
        if any(self.ends[j] != self.ends[first] for j in range(first, last)):
            return  # mixed line breaks: leave it
        region = "\n".join(self.lines[first : last + 1])
        starts = [0]
        for j in range(first, last):
            starts.append(starts[-1] + len(self.lines[j]) + 1)

        def offset(line: int, col: int) -> int:
            return starts[line - first] + col

        begin, end = offset(node.sl, node.sc), offset(node.el, node.ec)
        text = self._flow_text(node, shape, region, offset)
        if text != region[begin:end]:
            for j, line in enumerate((region[:begin] + text + region[end:]).split("\n"), start=first):
                self.patched[j] = line

    def _flow_text(self, node: _Node, shape: Shape, region: str, offset: Callable[[int, int], int]) -> str:
        """The text of a flow collection with the mappings in it in canonical order.

        Entries move between the separators, which stay in place; nothing moves where a comment
        sits between entries (it would end up beside another one).
        """
        original = region[offset(node.sl, node.sc) : offset(node.el, node.ec)]
        if node.kind not in (_MAP, _SEQ) or not node.flow or not node.items:
            return original
        spans: list[tuple[int, int, str]] = []  # (start, end, new text) of each entry, in written order
        keys: list[str] = []
        if node.kind == _SEQ:
            for item in node.items:
                new = self._flow_text(item, shape.each or OPAQUE, region, offset)
                spans.append((offset(item.sl, item.sc), offset(item.el, item.ec), new))
        else:
            for key, value in node.items:
                if key.kind != _SCALAR or key.sc == key.ec or (value.sc == value.ec and value.sl == value.el):
                    return original  # `{a, b: 1}` or `{? a}`: entries without a clear extent
                start, middle = offset(key.sl, key.sc), offset(value.sl, value.sc)
                new = region[start:middle] + self._flow_text(value, shape.child(key.value), region, offset)
                spans.append((start, offset(value.el, value.ec), new))
                keys.append(key.value)
        begin, end = offset(node.sl, node.sc), offset(node.el, node.ec)
        between = [region[begin : spans[0][0]], region[spans[-1][1] : end]]
        between += [region[a[1] : b[0]] for a, b in itertools.pairwise(spans)]
        order = list(range(len(spans)))
        if node.kind == _MAP and shape.order is not None and not any("#" in text for text in between):
            order = shape.sort(keys)
        pieces = [between[0]]
        for slot, index in enumerate(order):
            pieces.append(spans[index][2])
            following = spans[slot + 1][0] if slot + 1 < len(spans) else end
            pieces.append(region[spans[slot][1] : following])
        return "".join(pieces)

    def text(self, j: int) -> str:
        """Line `j` as fmt writes it (with the flow mappings on it reordered)."""
        return self.patched.get(j, self.lines[j])

    # -- comments and blank lines ------------------------------------------------------------

    def gaps(self, block: _Block, first_leading: range) -> list[_Block]:
        """Hand every comment and blank line between entries to an entry (the one below it) or to
        the end of a block (a comment indented like the block it follows). Returns the blocks
        that end where `block` ends, innermost first, for the caller to give the lines after."""
        pending = first_leading
        while pending and not self.lines[pending.start].strip(_WHITESPACE):
            pending = pending[1:]  # no blank line starts a block, whichever entry comes first
        entries = block.entries
        for i, entry in enumerate(entries):
            entry.leading = pending
            chain: list[_Block] = []
            if entry.block is not None:
                chain = self.gaps(entry.block, range(entry.line + 1, entry.block.entries[0].line))
            if i + 1 == len(entries):
                return [*chain, block]
            pending = self.claim(range(entry.last + 1, entries[i + 1].line), chain)
        return [block]

    def claim(self, lines: range, chain: list[_Block]) -> range:
        """Give each block of `chain` the comments right after it indented at least like it; the rest is returned."""
        start, stop = lines.start, lines.stop
        for blk in chain:
            end = start
            for j in range(start, stop):
                text = self.lines[j].lstrip(" \t")
                if not text:
                    continue
                if not text.startswith("#"):
                    raise _Irregular(j, "unexpected text between entries")
                if len(self.lines[j]) - len(text) < blk.col:
                    break
                end = j + 1
            blk.trailing = range(start, end)
            start = end
        return range(start, stop)

    def emit_gap(self, lines: range, col: int, at_start: bool) -> None:
        """Comment lines at `col`, blank runs as one blank line (none at the start of a block)."""
        blank = ""
        for j in lines:
            text = self.lines[j].strip(_WHITESPACE)
            if not text:
                blank = "" if at_start else (self.ends[j] or self.newline)
                continue
            if not text.startswith("#"):
                raise _Irregular(j, "unexpected text between entries")
            if blank:
                self.blank(blank)
                blank = ""
            self.out.append(" " * col + text + self.ends[j])
            at_start = False
        if blank:
            self.blank(blank)

    # -- writing --------------------------------------------------------------------------

    def emit_block(self, block: _Block, col: int, skip_first_leading: bool = False) -> None:
        """Write `block`'s entries at `col`, in canonical order."""
        for n, entry in enumerate(self.ordered(block)):
            if not (n == 0 and skip_first_leading):
                self.emit_gap(entry.leading, col, at_start=n == 0)
            if block.seq:
                self.emit_item(entry, col)
            else:
                self.emit_pair(entry, col)
        self.emit_gap(block.trailing, col, at_start=False)

    def ordered(self, block: _Block) -> list[_Entry]:
        """The entries in canonical order (as written for lists and keep-order mappings)."""
        entries = block.entries
        if block.seq or block.shape.order is None:
            return entries
        order = block.shape.sort([e.key or "" for e in entries])
        if order == list(range(len(entries))):
            return entries
        if self.aliases and self._breaks_aliases(entries, order):
            return entries  # moving an alias above its anchor would not load
        return [entries[i] for i in order]

    def _breaks_aliases(self, entries: list[_Entry], order: list[int]) -> bool:
        anchors = [_anchors(e.node) for e in entries]
        aliases = [_aliases(e.node) for e in entries]
        for position, i in enumerate(order):
            for j in order[position + 1 :]:
                if j < i and aliases[i] & anchors[j]:
                    return True
        return False

    def emit_pair(self, entry: _Entry, col: int) -> None:
        """A mapping entry: its key line at `col`, then its value."""
        node = entry.node
        first = self.text(entry.line)[entry.col :]
        if entry.block is not None or node.el == entry.line or (node.sc == node.ec and node.sl == node.el):
            first = first.rstrip(" \t")  # nothing on the line runs on into the next one
        self.out.append(" " * col + first + self.ends[entry.line])
        if entry.block is not None:
            self.emit_block(entry.block, col + 2)
        else:
            self.continuation(entry, col)

    def emit_item(self, entry: _Entry, col: int) -> None:
        """A list item: its dash at `col`; a mapping or list inside it starts on the dash line."""
        line = self.text(entry.line)
        after = line[entry.col + 1 :]
        block = entry.block
        if block is not None and (entry.compact or not after.strip(_WHITESPACE)):
            head = self.ordered(block)[0]
            self.emit_gap(head.leading, col, at_start=True)  # its comments go above the dash
            mark = len(self.out)
            self.emit_block(block, col + 2, skip_first_leading=True)
            self.out[mark] = " " * col + "- " + self.out[mark][col + 2 :]
            return
        if block is not None:  # `- &anchor`, `- !tag` or `- # comment` stays on the dash line
            self.out.append(" " * col + "- " + after.strip(" \t") + self.ends[entry.line])
            self.emit_block(block, col + 2)
            return
        node = entry.node
        first = "-" + (" " + after.lstrip(" ") if after.strip(" ") else "")  # one space after the dash
        if node.el == entry.line or (node.sc == node.ec and node.sl == node.el):
            first = first.rstrip(" \t")
        self.out.append(" " * col + first + self.ends[entry.line])
        self.continuation(entry, col)

    def continuation(self, entry: _Entry, col: int) -> None:
        """The lines of an entry's value below its first line.

        Block scalar text starts at `col` + 2 (its own indentation beyond that kept), as do the
        lines of a quoted or plain string over several lines (their indentation is not part of
        the value); a flow collection over several lines moves along with its key.
        """
        node = entry.node
        first, last = entry.line + 1, entry.last
        if last < first:
            return
        if node.kind == _SCALAR and node.style in ("|", ">"):
            header = _BLOCK_HEADER.match(self.lines[node.sl], node.sc)
            if node.sl == entry.line and header is not None and not any(ch.isdigit() for ch in header.group(1)):
                for j in range(first, last + 1):
                    text = self.lines[j]
                    if text.strip(" "):
                        self.shift(first, last, col + 2 - (len(text) - len(text.lstrip(" "))))
                        return
        elif node.kind == _SCALAR:
            indent = " " * (col + 2)
            for j in range(first, last + 1):
                text = self.lines[j].lstrip(" \t")
                self.out.append((indent + text if text else "") + self.ends[j])
            return
        self.shift(first, last, col - entry.col)

    def shift(self, first: int, last: int, delta: int) -> None:
        """Lines `first`..`last` (a value's continuation) moved `delta` columns, all alike."""
        for j in range(first, last + 1):
            text = self.text(j)
            if delta > 0 and text:
                text = " " * delta + text
            elif delta < 0:
                text = text[min(-delta, len(text) - len(text.lstrip(" "))) :]
            self.out.append(text + self.ends[j])

    def format(self, root: _Node, shape: Shape) -> str | None:
        """The canonical text, or None when the root is not a block mapping (left as written)."""
        block = self.block(root, shape) if root.kind == _MAP else None
        if block is None:
            return None
        head = block.entries[0].line  # what stands above the first key is the file's header
        chain = self.gaps(block, range(head, head))
        tail = range(block.last + 1, len(self.lines))
        end = next((j for j in tail if _is_marker(self.lines[j])), tail.stop)  # `...`: the document ends
        for j in self.claim(range(tail.start, end), chain):
            if self.lines[j].strip(_WHITESPACE):
                raise _Irregular(j, "unexpected text after the document")
        self.verbatim(range(0, head))
        self.emit_block(block, 0)
        self.verbatim(range(end, len(self.lines)))
        while self.out and len(self.out) - 1 in self.blanks:
            self.out.pop()  # no blank lines at the end
        return "".join(self.out)

    def verbatim(self, lines: range) -> None:
        """Lines above the first key or after the document: as written, trailing spaces and blank runs aside."""
        blank = ""
        for j in lines:
            text = self.lines[j].rstrip(_WHITESPACE)
            if not text:
                blank = (self.ends[j] or self.newline) if self.out else ""
                continue
            if blank:
                self.blank(blank)
                blank = ""
            self.out.append(text + self.ends[j])
        if blank:
            self.blank(blank)

    def blank(self, line_break: str) -> None:
        """A blank line between entries or comments (never at the end of the file)."""
        self.blanks.add(len(self.out))
        self.out.append(line_break)


def _is_marker(line: str) -> bool:
    """A directive (`%YAML`) or a document marker (`---`, `...`)."""
    return line.startswith("%") or (line[:3] in ("---", "...") and line[3:4] in ("", " ", "\t"))


def _anchors(node: _Node) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n.anchor is not None and n.kind != _ALIAS:
            found.add(n.anchor)
        for item in n.items:
            stack.extend(item if isinstance(item, tuple) else (item,))
    return found


def _aliases(node: _Node) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n.kind == _ALIAS:
            found.add(n.value)
        for item in n.items:
            stack.extend(item if isinstance(item, tuple) else (item,))
    return found


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines (without their break) and each one's break, split where libyaml counts lines."""
    if "\r" not in text and "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        lines = text.split("\n")
        ends = ["\n"] * len(lines)
        if lines[-1] == "":
            lines.pop()
            ends.pop()
        else:
            ends[-1] = ""
        return lines, ends
    lines, ends = [], []
    pos = 0
    for match in _BREAK.finditer(text):
        lines.append(text[pos : match.start()])
        ends.append(match.group())
        pos = match.end()
    if pos < len(text):
        lines.append(text[pos:])
        ends.append("")
    return lines, ends


@dataclass(frozen=True)
class Formatted:
    """The outcome for one file: the canonical text (None when refused) and any problems."""

    text: str | None
    diagnostics: list[Diagnostic]


def format_yaml(text: str, name: str, *, stamp_file: bool = False) -> Formatted:
    """Format one stamp file (`stamp_file`: it is `fabric.yaml`); never raises.

    Bad YAML gives the loader's own diagnostics; a result that would load differently from
    `text` (or lose any of its characters) is refused with a diagnostic, never returned.
    """
    data, problems = parse_yaml(text, name)
    if problems:
        return Formatted(None, problems)
    shape = stamp_file_shape() if stamp_file else resource_file_shape()
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    try:
        with _no_gc():
            formatter = _Formatter(text[len(bom) :])
            root = formatter.read(text[len(bom) :])
            result = None if root is None else formatter.format(root, shape)
            del formatter, root
    except _Irregular as exc:
        where = SourceLocation(name, exc.line + 1, 1)
        return Formatted(None, [Diagnostic(where, f"fmt cannot lay this file out: {exc.message}")])
    if result is None:
        return Formatted(text, [])  # an empty document or one that is not a block mapping: as written
    result = bom + result
    if result == text:
        return Formatted(text, [])
    problem = check_same(text, result, name, shape, data)
    return Formatted(None, [problem]) if problem is not None else Formatted(result, [])


def check_same(original: str, formatted: str, name: str, shape: Shape, data: Any = None) -> Diagnostic | None:
    """Why `formatted` may not replace `original` (None if it may): it must parse, load to the same
    data (in the same order where `shape` keeps the order) and keep every non-blank character."""
    if data is None:
        data, problems = parse_yaml(original, name)
        if problems:
            return problems[0]
    new, problems = parse_yaml(formatted, name)
    if problems:
        message = problems[0].message
        return Diagnostic(SourceLocation(name, 1, 1), f"refusing to reformat: the result would not load ({message})")
    path = first_difference(data, new, shape)
    if path is not None:
        where = Locator({name: original}).locate(name, path)
        shown = ".".join(str(p) for p in path) or "the document"
        return Diagnostic(where, f"refusing to reformat: the result would load differently (at {shown})")
    if _characters(original) != _characters(formatted):
        return Diagnostic(SourceLocation(name, 1, 1), "refusing to reformat: the result would lose or add text")
    return None


def _characters(text: str) -> Counter[str]:
    counts = Counter(text)
    for ch in _WHITESPACE:
        counts.pop(ch, None)
    return counts


def first_difference(a: Any, b: Any, shape: Shape, path: _Path = ()) -> _Path | None:
    """The first path where `a` and `b` differ (types included), or None if they are the same.

    Mappings whose shape keeps the written order must also have their keys in the same order.
    """
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        if shape is OPAQUE or (shape.order is None and not shape.values and shape.each is None):
            return None if repr(a) == repr(b) else _descend(a, b, shape, path)
        if (list(a) != list(b)) if shape.order is None else (a.keys() != b.keys()):
            return path
        for key, value in a.items():
            found = first_difference(value, b[key], shape.child(key), (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return path
        child = shape.each or OPAQUE
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, child, (*path, i))
            if found is not None:
                return found
        return None
    return None if a == b or (a != a and b != b) else path  # NaN is itself


def _descend(a: dict[str, Any], b: dict[str, Any], shape: Shape, path: _Path) -> _Path:
    """Where two keep-order mappings known to differ first differ."""
    if list(a) != list(b):
        return path
    for key, value in a.items():
        found = first_difference(value, b[key], shape.child(key), (*path, key))
        if found is not None:
            return found
    return path
