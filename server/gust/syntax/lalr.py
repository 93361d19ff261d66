"""A small LALR(1) driver over the tables lark builds from grammar/gust.lark.

lark computes the parse table and the tree-building callbacks (rule aliases, `?` and `_`
inlining, `[x]` placeholders); this module only runs the state machine. It does what
lark's `ParserState.feed_token` does, without the per-token overheads we do not need,
because the parser is fed one token at a time (gust.syntax.parser repairs errors between
tokens) and this loop is the hottest code in the front end.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.syntax import build
from gust.syntax.token import Token
from gust.syntax.tree import Builder, ChildFilter, ExpandSingleChild, new_tree

if TYPE_CHECKING:
    from lark import Lark

# An action is an int: `2 * next_state` to shift, or `2 * i + 1` to reduce by the table's
# reduction `i`; `NO_ACTION` (-1) is a syntax error. The table keeps them in one `bytes`,
# two bytes an action (`Table.actions`): every process that parses loads the table, and a
# `bytes` loads as one copy where 1,200 dictionaries (one per state) took 3 ms to make;
# reading two bytes in compiled code costs no more than a dictionary's lookup. A reduction is
# (rule name, number of symbols, AST builder, tree builder): the AST builder makes the
# rule's AST node (gust.syntax.build) or, for a rule that is only part of one, a parse-tree
# node; the tree builder always makes a parse-tree node (the lossless tree, gust.syntax.cst).
# Both are None for a `?rule` reduced from a single symbol, whose value passes through
# unchanged (a third of all reductions: `?expr` chains), so the driver only changes the state.
Reduction = tuple[str, int, Builder | None, Builder | None]
# Which builder of a reduction a parse uses.
AST: Final = 2
TREE: Final = 3
NO_ACTION: Final = -1
_NONE: Final = 0xFFFF  # NO_ACTION in `Table.actions`


# How deep the parser's stack may grow (one to three entries per level of nesting: `(`, a
# call, `if c {`): the checker and the backend recurse over the AST, and a tree nested
# more deeply than this would exhaust Python's stack there (rustc too stops at a depth).
MAX_DEPTH: Final = 300


class NestingError(Exception):
    """The item nests too deeply (`MAX_DEPTH`)."""

    def __init__(self, token: Token) -> None:
        super().__init__("expression nests too deeply")
        self.token = token


class ParseError(Exception):
    """The table has no action for `token` in the current state."""

    def __init__(self, token: Token, expected: frozenset[str], values: list[Any]) -> None:
        super().__init__(f"unexpected {token.type}")
        self.token = token
        self.expected = expected
        self.values = values  # the value stack when the error happened (for hints)


@dataclass(frozen=True)
class Table:
    """The LALR table: the action of each state for each symbol (a terminal or a rule),
    by the symbol's column (`columns`)."""

    # Two bytes (little-endian) per action, `width` actions per state, state by state:
    # the action of `state` on the symbol of column `c` starts at `2 * (state * width + c)`.
    actions: bytes
    names: tuple[str, ...]  # the symbol of each column
    reductions: tuple[Reduction, ...]
    start: int
    end: int
    # The column of each reduction's rule (its goto), by reduction index.
    rule_columns: tuple[int, ...]
    columns: dict[str, int]
    width: int

    def action(self, state: int, column: int) -> int:
        """The action of `state` on the symbol of `column` (NO_ACTION if none)."""
        at = 2 * (state * self.width + column)
        actions = self.actions
        value = actions[at] | (actions[at + 1] << 8)
        return NO_ACTION if value == _NONE else value

    def action_on(self, state: int, name: str) -> int:
        """The action of `state` on the symbol `name` (NO_ACTION if none, or if the
        grammar has no such symbol)."""
        column = self.columns.get(name)
        return NO_ACTION if column is None else self.action(state, column)

    def row(self, state: int) -> dict[str, int]:
        """The actions of `state`, by symbol name (error messages, tests)."""
        return {name: action for column, name in enumerate(self.names)
                if (action := self.action(state, column)) != NO_ACTION}

    @classmethod
    def from_lark(cls, lark: Lark, start: str = "item") -> Table:
        from lark.parsers.lalr_analysis import Shift

        parser = lark.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        table = parser.parse_table
        callbacks = parser.callbacks
        index: dict[Any, int] = {}  # lark's rule -> its reduction's index
        reductions: list[Reduction] = []

        def action(entry: tuple[Any, Any]) -> int:
            kind, arg = entry
            if kind is Shift:
                return 2 * int(arg)
            if arg not in index:
                size = len(arg.expansion)
                rule = str(arg.origin.name)
                tree = _builder(callbacks[arg], rule, False)
                index[arg] = len(reductions)
                # Exactly an ExpandSingleChild (no child filter around it) of one symbol
                # returns that symbol's value.
                if size == 1 and type(tree) is ExpandSingleChild:
                    reductions.append((rule, size, None, None))
                else:
                    reductions.append((rule, size, _builder(callbacks[arg], rule, True), tree))
            return 2 * index[arg] + 1

        rows = {state: {str(name): action(entry) for name, entry in row.items()}
                for state, row in table.states.items()}
        actions, names = _pack(rows)
        return _table(actions, names, tuple(reductions), table.start_states[start],
                      table.end_states[start])

    def new_state(self, mode: int = AST) -> ParseState:
        return ParseState(self, mode)

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        # Pickled by a constructor (gust.syntax.tables keeps it on disk): a compiled
        # frozen dataclass cannot be unpickled field by field (invariant 10).
        return (_table, (self.actions, self.names, self.reductions, self.start, self.end))


def _pack(rows: dict[int, dict[str, int]]) -> tuple[bytes, tuple[str, ...]]:
    """The actions of `rows` (by state, then symbol name) as `Table.actions`."""
    names = tuple(sorted({name for row in rows.values() for name in row}))
    columns = {name: column for column, name in enumerate(names)}
    packed = bytearray(b"\xff" * (2 * (max(rows) + 1) * len(names)))
    for state, row in rows.items():
        for name, action in row.items():
            assert 0 <= action < _NONE
            at = 2 * (state * len(names) + columns[name])
            packed[at] = action & 0xFF
            packed[at + 1] = action >> 8
    return bytes(packed), names


def _table(actions: bytes, names: tuple[str, ...], reductions: tuple[Reduction, ...],
           start: int, end: int) -> Table:
    columns = {name: column for column, name in enumerate(names)}
    return Table(actions, names, reductions, start, end,
                 tuple(columns[reduction[0]] for reduction in reductions), columns,
                 len(names))


def _builder(callback: Any, rule: str, ast: bool) -> Builder:
    """lark's tree-building callback of a rule as plain data: the four shapes lark makes
    for an LALR parser that keeps all tokens and has placeholders. With `ast`, a rule that
    gust.syntax.build knows is built as its AST node."""
    from lark import Tree as LarkTree
    from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders
    from lark.parse_tree_builder import ExpandSingleChild as LarkExpandSingleChild

    kind = type(callback)
    if kind is functools.partial and callback.func is LarkTree and \
            len(callback.args) == 1 and not callback.keywords:
        data = str(callback.args[0])
        return (build.builder_for(rule, data) if ast else None) or new_tree(data)
    if kind is LarkExpandSingleChild:
        return ExpandSingleChild(_builder(callback.node_builder, rule, ast))
    if kind is ChildFilterLALR:
        return ChildFilter(tuple((i, bool(expand), add_none)
                                 for i, expand, add_none in callback.to_include),
                           callback.append_none, _builder(callback.node_builder, rule, ast))
    if kind is ChildFilterLALR_NoPlaceholders:
        return ChildFilter(tuple((i, bool(expand), 0) for i, expand in callback.to_include),
                           0, _builder(callback.node_builder, rule, ast))
    raise TypeError(f"a tree builder gust does not know: {callback!r}")


class ParseState:
    """The parser's stacks: states, values, and the offsets of each value's first and last
    token (a node's span). `feed` consumes one token or raises `ParseError` (leaving the
    stacks as they were after the reductions that token caused).

    In `AST` mode a builder's `SoftError` is kept in `soft_errors` (its node is used). A
    `LowerError` is kept in `lower_errors` with the span of its node, which becomes a
    placeholder (`build.placeholder`): if error recovery later drops that node
    (`pop`), the error is only reported (a soft error), else the item is lost, as when a
    syntax error cannot be recovered from.
    """

    __slots__ = ("ends", "lower_errors", "mode", "soft_errors", "starts", "state_stack",
                 "table", "value_stack")

    def __init__(self, table: Table, mode: int = AST) -> None:
        self.table = table
        self.mode = mode
        self.state_stack: list[int] = [table.start]
        self.value_stack: list[Any] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.soft_errors: list[d.Diagnostic] = []
        self.lower_errors: list[tuple[build.LowerError, int, int]] = []

    def pop(self) -> None:
        """Drop the top symbol (error recovery)."""
        if self.lower_errors:
            start, end = self.starts[-1], self.ends[-1]
            dropped = [e for e in self.lower_errors if start <= e[1] and e[2] <= end]
            self.lower_errors = [e for e in self.lower_errors if e not in dropped]
            self.soft_errors.extend(d.error(None, e.message, e.span) for e, _, _ in dropped)
        self.state_stack.pop()
        self.value_stack.pop()
        self.starts.pop()
        self.ends.pop()

    def expected(self) -> frozenset[str]:
        row = self.table.row(self.state_stack[-1])
        return frozenset(name for name in row if name.isupper())

    def accepts(self, *kinds: str) -> bool:
        """Whether tokens of these types, in order, would be consumed. Only the state stack
        is simulated: building nodes on a copy is not safe, because the builders extend
        the child lists of left-recursive rules in place, and those lists are shared."""
        table = self.table
        stack = list(self.state_stack)
        for kind in kinds:
            while True:
                action = table.action_on(stack[-1], kind)
                if action == NO_ACTION:
                    return False
                if not action & 1:
                    stack.append(action >> 1)
                    break
                size = table.reductions[action >> 1][1]
                if size:
                    del stack[-size:]
                stack.append(table.action(stack[-1], table.rule_columns[action >> 1]) >> 1)
        return True

    def feed(self, token: Token) -> None:
        table = self.table
        actions = table.actions
        width = table.width
        reductions = table.reductions
        rule_columns = table.rule_columns
        stack = self.state_stack
        values = self.value_stack
        starts = self.starts
        ends = self.ends
        mode = self.mode
        column = table.columns.get(token.type)
        if column is None:
            raise ParseError(token, self.expected(), values)
        while True:
            # (Table.action, inline: this loop runs for every token and reduction.)
            at = 2 * (stack[-1] * width + column)
            action = actions[at] | (actions[at + 1] << 8)
            if action == _NONE:
                raise ParseError(token, self.expected(), values)
            if not action & 1:
                if len(stack) > MAX_DEPTH:
                    raise NestingError(token)
                stack.append(action >> 1)
                values.append(token)
                starts.append(token.start_pos)
                ends.append(token.end_pos)
                return
            reduction = reductions[action >> 1]
            rule = rule_columns[action >> 1]
            builder = reduction[2] if mode == AST else reduction[3]
            if builder is None:  # the value passes through: only the state changes
                at = 2 * (stack[-2] * width + rule)
                stack[-1] = (actions[at] | (actions[at + 1] << 8)) >> 1
                continue
            size = reduction[1]
            if size == 1:  # `_reduce`, inline for the commonest case
                start = starts[-1]
                end = ends[-1]
                try:
                    values[-1] = builder([values[-1]], start, end)
                except build_errors as e:
                    values[-1] = self._failed(e, [values[-1]], start, end)
                stack.pop()
            else:
                self._reduce(reduction, builder)
            at = 2 * (stack[-1] * width + rule)
            stack.append((actions[at] | (actions[at + 1] << 8)) >> 1)

    def _reduce(self, reduction: Reduction, builder: Builder) -> None:
        """Replace the reduced symbols' values by the rule's (its state is pushed by the
        caller)."""
        size = reduction[1]
        values = self.value_stack
        starts = self.starts
        ends = self.ends
        if size:
            children = values[-size:]
            del self.state_stack[-size:]
            del values[-size:]
            start = starts[-size]
            end = ends[-1]
            if size > 1:
                del starts[1 - size:]
                del ends[1 - size:]
                ends[-1] = end
        else:  # an empty rule (the grammar has none today): an empty span where it is
            children = []
            start = end = ends[-1] if ends else 0
            starts.append(start)
            ends.append(end)
        try:
            value = builder(children, start, end)
        except build_errors as e:
            value = self._failed(e, children, start, end)
        values.append(value)

    def _failed(self, e: Exception, children: list[Any], start: int, end: int) -> Any:
        if isinstance(e, build.SoftError):
            self.soft_errors.extend(e.errors)
            return e.value
        assert isinstance(e, build.LowerError)
        self.lower_errors.append((e, start, end))
        return build.placeholder(start, end)

    def feed_end(self, near: Token | None) -> Any:
        """Feed the end of input; returns the item's value."""
        end = Token("$END", "", near.end_pos if near else 0)
        table = self.table
        stack = self.state_stack
        values = self.value_stack
        while True:
            action = table.action_on(stack[-1], "$END")
            if action == NO_ACTION:
                raise ParseError(end, self.expected(), values)
            if not action & 1:  # a shift: cannot happen for $END in an LALR table
                raise ParseError(end, self.expected(), values)
            reduction = table.reductions[action >> 1]
            rule = table.rule_columns[action >> 1]
            builder = reduction[2] if self.mode == AST else reduction[3]
            if builder is None:
                goto = stack[-1] = table.action(stack[-2], rule) >> 1
            else:
                self._reduce(reduction, builder)
                goto = table.action(stack[-1], rule) >> 1
                stack.append(goto)
            if goto == self.table.end:
                return values[-1]


build_errors = (build.SoftError, build.LowerError)
