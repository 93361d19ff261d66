"""A small LALR(1) driver over the tables lark builds from grammar/gust.lark.

lark computes the parse table and the tree-building callbacks (rule aliases, `?` and `_`
inlining, `[x]` placeholders); this module only runs the state machine. It does what
lark's `ParserState.feed_token` does, without the per-token overheads we do not need,
because the parser is fed one token at a time (gust.syntax.parser repairs errors between
tokens) and this loop is the hottest code in the front end.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gust.syntax.tree import Builder, ChildFilter, ExpandSingleChild, Token, new_tree

if TYPE_CHECKING:
    from lark import Lark

# An action: (True, next_state) to shift, or (False, reduction) to reduce. A reduction is
# (rule name, number of symbols, tree builder); the builder is None for a `?rule` reduced
# from a single symbol, whose value passes through unchanged (a third of all reductions:
# `?expr` chains), so the driver only changes the state.
Reduction = tuple[str, int, Callable[[list[Any]], Any] | None]
Action = tuple[bool, Any]


class ParseError(Exception):
    """The table has no action for `token` in the current state."""

    def __init__(self, token: Token, expected: frozenset[str], values: list[Any]) -> None:
        super().__init__(f"unexpected {token.type}")
        self.token = token
        self.expected = expected
        self.values = values  # the value stack when the error happened (for hints)


@dataclass(frozen=True)
class Table:
    states: dict[int, dict[str, Action]]
    start: int
    end: int

    @classmethod
    def from_lark(cls, lark: Lark, start: str = "item") -> Table:
        from lark.parsers.lalr_analysis import Shift

        parser = lark.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        table = parser.parse_table
        callbacks = parser.callbacks
        reductions: dict[Any, Reduction] = {}

        def action(entry: tuple[Any, Any]) -> Action:
            kind, arg = entry
            if kind is Shift:
                return (True, arg)
            if arg not in reductions:
                size = len(arg.expansion)
                build = _builder(callbacks[arg])
                # Exactly an ExpandSingleChild (no child filter around it) of one symbol
                # returns that symbol's value.
                passes_through = size == 1 and type(build) is ExpandSingleChild
                reductions[arg] = (str(arg.origin.name), size,
                                  None if passes_through else build)
            return (False, reductions[arg])

        states = {state: {str(name): action(entry) for name, entry in row.items()}
                  for state, row in table.states.items()}
        return cls(states, table.start_states[start], table.end_states[start])

    def new_state(self) -> ParseState:
        return ParseState(self, [self.start], [])


def _builder(callback: Any) -> Builder:
    """lark's tree-building callback of a rule as gust.syntax.tree's plain data: the four
    shapes lark makes for an LALR parser that keeps all tokens and has placeholders."""
    from lark import Tree as LarkTree
    from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders
    from lark.parse_tree_builder import ExpandSingleChild as LarkExpandSingleChild

    kind = type(callback)
    if kind is functools.partial and callback.func is LarkTree and \
            len(callback.args) == 1 and not callback.keywords:
        return new_tree(str(callback.args[0]))
    if kind is LarkExpandSingleChild:
        return ExpandSingleChild(_builder(callback.node_builder))
    if kind is ChildFilterLALR:
        return ChildFilter(tuple((i, bool(expand), add_none)
                                 for i, expand, add_none in callback.to_include),
                           callback.append_none, _builder(callback.node_builder))
    if kind is ChildFilterLALR_NoPlaceholders:
        return ChildFilter(tuple((i, bool(expand), 0) for i, expand in callback.to_include),
                           0, _builder(callback.node_builder))
    raise TypeError(f"a tree builder gust does not know: {callback!r}")


class ParseState:
    """The parser's stacks. `feed` consumes one token or raises `ParseError` (leaving the
    stacks as they were after the reductions that token caused)."""

    __slots__ = ("state_stack", "table", "value_stack")

    def __init__(self, table: Table, state_stack: list[int], value_stack: list[Any]) -> None:
        self.table = table
        self.state_stack = state_stack
        self.value_stack = value_stack

    def expected(self) -> frozenset[str]:
        row = self.table.states[self.state_stack[-1]]
        return frozenset(name for name in row if name.isupper())

    def accepts(self, *kinds: str) -> bool:
        """Whether tokens of these types, in order, would be consumed. Only the state stack
        is simulated: building trees on a copy is not safe, because lark's callbacks extend
        the child lists of left-recursive rules in place, and those trees are shared."""
        states = self.table.states
        stack = list(self.state_stack)
        for kind in kinds:
            while True:
                action = states[stack[-1]].get(kind)
                if action is None:
                    return False
                if action[0]:
                    stack.append(action[1])
                    break
                _, size, _ = action[1]
                if size:
                    del stack[-size:]
                stack.append(states[stack[-1]][action[1][0]][1])
        return True

    def feed(self, token: Token) -> None:
        states = self.table.states
        stack = self.state_stack
        values = self.value_stack
        kind = token.type
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                raise ParseError(token, self.expected(), values)
            if action[0]:
                stack.append(action[1])
                values.append(token)
                return
            name, size, build = action[1]
            if build is None:  # the value passes through: only the state changes
                stack[-1] = states[stack[-2]][name][1]
                continue
            if size:
                children = values[-size:]
                del stack[-size:]
                del values[-size:]
            else:
                children = []
            values.append(build(children))
            stack.append(states[stack[-1]][name][1])

    def feed_end(self, near: Token | None) -> Any:
        """Feed the end of input; returns the parse tree."""
        end = Token("$END", "", near.end_pos if near else 0)
        states = self.table.states
        stack = self.state_stack
        values = self.value_stack
        while True:
            action = states[stack[-1]].get("$END")
            if action is None:
                raise ParseError(end, self.expected(), values)
            if action[0]:  # cannot happen for $END in an LALR table
                raise ParseError(end, self.expected(), values)
            name, size, build = action[1]
            if build is None:
                goto = stack[-1] = states[stack[-2]][name][1]
            else:
                if size:
                    children = values[-size:]
                    del stack[-size:]
                    del values[-size:]
                else:
                    children = []
                values.append(build(children))
                goto = states[stack[-1]][name][1]
                stack.append(goto)
            if goto == self.table.end:
                return values[-1]
