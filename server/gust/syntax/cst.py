"""The lossless syntax tree of a file, in parso's tree classes.

Built on demand from the parse (gust.syntax.source.SourceFile): one parso `Node` per grammar
rule and one leaf per token, every leaf carrying the whitespace and comments before it as
its `prefix`, so `get_code()` gives back the exact input, comments and all. Positions are
parso's: 1-based lines, 0-based columns, counted as `parso.utils.split_lines` (and LSP)
count lines.

What the parser could not use stays in the tree as error leaves: tokens skipped by error
recovery, and whole items that did not parse (`error_item`). Tokens the parser inserted
(a missing `;`) are not in the source, so they are not in the tree.
"""

from __future__ import annotations

from parso import tree as ptree

from gust.syntax.parser import parse_tree
from gust.syntax.source import SourceFile
from gust.syntax.split import skip_trivia
from gust.syntax.token import Token
from gust.syntax.tree import Tree
from gust.text import LineIndex


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)
        self.cursor = 0  # end of the last leaf, in file offsets

    def position(self, offset: int) -> tuple[int, int]:
        pos = self.index.position(offset)
        return pos.line + 1, pos.column

    def leaves_until(self, start: int) -> tuple[list[ptree.Leaf], str]:
        """Text between the last leaf and `start`: error leaves for anything that is not
        whitespace or comments, and the trivia left over as the next leaf's prefix."""
        gap = self.text[self.cursor : start]
        leaves: list[ptree.Leaf] = []
        first = skip_trivia(gap, 0)
        if first < len(gap):
            end = len(gap.rstrip())
            leaves.append(ptree.ErrorLeaf("skipped", gap[first:end],
                                          self.position(self.cursor + first), gap[:first]))
            gap = gap[end:]
        self.cursor = start
        return leaves, gap

    def token(self, tok: Token, base: int) -> list[ptree.Leaf]:
        start = base + (tok.start_pos or 0)
        end = base + (tok.end_pos or 0)
        if end == start or start < self.cursor:
            return []  # inserted by error recovery: not in the source
        leaves, prefix = self.leaves_until(start)
        # The source's spelling, not the token's value (`r#match` reads as `match`).
        leaves.append(ptree.TypedLeaf(tok.type, self.text[start:end], self.position(start),
                                      prefix))
        self.cursor = end
        return leaves

    def tree(self, root: Tree, base: int) -> ptree.Node:
        """Convert a lark tree without recursion (trees can be deep)."""
        built: dict[int, list[ptree.NodeOrLeaf]] = {}
        stack: list[tuple[Tree, int]] = [(root, 0)]
        while stack:
            node, i = stack.pop()
            children = built.setdefault(id(node), [])
            while i < len(node.children):
                child = node.children[i]
                i += 1
                if isinstance(child, Token):
                    children.extend(self.token(child, base))
                elif isinstance(child, Tree):
                    stack.append((node, i))
                    stack.append((child, 0))
                    break
            else:
                children = built.pop(id(node))
                # A node made only of tokens that error recovery inserted (a virtual `;`
                # closing a cut-short item) has nothing from the source: leave it out.
                made = ptree.Node(str(node.data), children) if children else None
                if stack:
                    if made is not None:
                        built[id(stack[-1][0])].append(made)
                elif made is not None:
                    return made
                else:
                    return ptree.Node(str(node.data), [])
        raise AssertionError("unreachable")

    def error_item(self, start: int, text: str) -> ptree.ErrorNode:
        leaves, prefix = self.leaves_until(start)
        leaves.append(ptree.ErrorLeaf("error_item", text, self.position(start), prefix))
        self.cursor = start + len(text)
        return ptree.ErrorNode(leaves)


def build_cst(source: SourceFile) -> ptree.Node:
    """The lossless tree of `source`: a `file` node whose children are the items and a final
    `endmarker` leaf holding the trailing whitespace and comments."""
    builder = _Builder(source.text)
    children: list[ptree.NodeOrLeaf] = []
    for node in source.items:
        tree = parse_tree(node.parsed.text) if node.parsed.has_tree else None
        if tree is None:
            children.append(builder.error_item(node.offset, node.parsed.text))
            continue
        item = builder.tree(tree, node.offset)
        if item.children:
            children.append(item)
    leaves, prefix = builder.leaves_until(len(source.text))
    children.extend(leaves)
    children.append(ptree.TypedLeaf("endmarker", "", builder.position(len(source.text)),
                                    prefix))
    return ptree.Node("file", children)


def dump(node: ptree.NodeOrLeaf) -> list[tuple[object, ...]]:
    """A comparable description of a tree: (type, start, value or child count), pre-order."""
    out: list[tuple[object, ...]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ptree.BaseNode):
            out.append((n.type, n.start_pos, len(n.children)))
            stack.extend(reversed(n.children))
        else:
            assert isinstance(n, ptree.Leaf)
            out.append((n.type, n.start_pos, n.value, n.prefix))
    return out
