"""Graphs of the notes drawn at build time as inline SVG: one note's neighbourhood, and the whole site.

No script draws them, so they show in any browser and cost the reader nothing but bytes. Each
node is a link to its note's page; each figure carries a text equivalent (the SVG's `<title>` and
`<desc>`, and a caption in words), so a screen reader hears what the picture shows. Layouts are
computed here with fixed starting points and a fixed number of steps, and every number is
written rounded, so two builds give the same bytes.

The SVG is raw HTML in the page's Markdown: written on consecutive lines with no blank line,
Python-Markdown passes it through unchanged.
"""

from __future__ import annotations

import html
import math
import posixpath
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from functools import lru_cache

from typing import TYPE_CHECKING

from .memo import KeptOnDisk, Memo, remembered
from .markdown_ext import APPENDIX_MARKER
from .model import Note
from .rendering import md_text, note_name

if TYPE_CHECKING:
    from .graph import Links

GRAPH_PAGE = "graph.md"
NEIGHBOURS = 24  # more neighbours than this are named in the text, not drawn
WHOLE_SITE_ALL = 300  # up to this many notes the site graph draws every note; beyond, only linked ones
LABELLED = 150  # up to this many nodes every node carries its label; beyond, only the most linked
STEPS = 40  # force-directed steps for the site graph
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page's source path, relative to the site's root."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/" if directory_urls else f"{stem}.html"


@lru_cache(maxsize=1 << 16)
def href(target_src_uri: str, from_src_uri: str, directory_urls: bool = True) -> str:
    """A relative URL from one page to another, as written into raw HTML (which MkDocs leaves alone).

    What posixpath.relpath gives, worked out from each page's parts (kept once per page) instead of
    two absolute paths per link: a page's figure links up to two dozen notes, the site graph every one.
    """
    here, there = _url_parts(from_src_uri, directory_urls), _url_parts(target_src_uri, directory_urls)
    if here is None or there is None:  # "." or ".." in a path: posixpath's own normalisation
        return _href_by_relpath(target_src_uri, from_src_uri, directory_urls)
    base, path, folder = here[0], there[1], there[2]
    common = 0
    for a, b in zip(base, path):
        if a != b:
            break
        common += 1
    rel = "/".join((("..",) * (len(base) - common)) + path[common:]) or "."
    if folder:
        rel = "./" if rel == "." else rel + "/"
    return html.escape(rel)


@lru_cache(maxsize=1 << 14)
def _url_parts(src_uri: str, directory_urls: bool) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """(the folders a relative link from the page starts in, the parts of the page's URL, whether
    that URL is a folder), as posixpath.relpath splits them; None when a part is "." or ".."."""
    url = page_url(src_uri, directory_urls)
    base = url if url.endswith("/") or not url else posixpath.dirname(url)
    url_parts = tuple(part for part in url.split("/") if part)
    base_parts = tuple(part for part in base.split("/") if part)
    if url.startswith("/") or any(part in (".", "..") for part in url_parts + base_parts):
        return None
    return base_parts, url_parts, url.endswith("/") or not url


def _href_by_relpath(target_src_uri: str, from_src_uri: str, directory_urls: bool = True) -> str:
    here = page_url(from_src_uri, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    target = page_url(target_src_uri, directory_urls)
    rel = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return html.escape(rel)


def short_label(note: Note) -> str:
    """What a node shows: its number, else the first words of its title."""
    if note.number is not None:
        return str(note.number)
    return note.title if len(note.title) <= 18 else note.title[:17].rstrip() + "…"


def _f(value: float) -> str:
    """A coordinate, rounded so builds are byte-identical and the SVG stays small."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _listing(notes: Sequence[Note]) -> str:
    return "; ".join(note_name(n) for n in notes)


# The figures of the notes place their nodes at the same few points, so the same lines and circles
# are written again and again: each is worked out once. (Every coordinate in a figure is at least 20
# from its border, so 0.0 and -0.0, equal as keys but written apart, never meet here.)
@lru_cache(maxsize=1 << 14)
def _edge(x1: float, y1: float, x2: float, y2: float, r1: float, r2: float) -> tuple[str, str]:
    """A line from the edge of one circle to the edge of the other, and its arrowhead, as path data:
    every line of a figure goes into one `<path>`, and every arrowhead into another (fewer elements
    for the renderer and the search index to read than a `<line>` and a marker each)."""
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    tip_x, tip_y = x2 - ux * (r2 + 1.5), y2 - uy * (r2 + 1.5)
    base_x, base_y = tip_x - ux * 7, tip_y - uy * 7
    line = f"M{_f(x1 + ux * r1)} {_f(y1 + uy * r1)}L{_f(base_x)} {_f(base_y)}"
    head = (f"M{_f(tip_x)} {_f(tip_y)}L{_f(base_x - uy * 3.5)} {_f(base_y + ux * 3.5)}"
            f"L{_f(base_x + uy * 3.5)} {_f(base_y - ux * 3.5)}Z")
    return line, head


def _edges(edges: Sequence[tuple[str, str]], cls: str = "caucus-graph__edge") -> str:
    """Lines and arrowheads as two paths (none when there are no edges)."""
    if not edges:
        return ""
    lines, heads = "".join(e[0] for e in edges), "".join(e[1] for e in edges)
    return f'<path class="{cls}" d="{lines}"/><path class="caucus-graph__arrow" d="{heads}"/>'


def _node(note: Note, x: float, y: float, r: float, page: str, directory_urls: bool, cls: str,
          label: bool = True, extra: str = "") -> str:
    """A node: a link (out of the tab order: the text equivalent holds the same links) to the note."""
    circle, text = _disc(x, y, r)
    parts = [f'<a href="{href(note.src_uri, page, directory_urls)}" tabindex="-1" class="{cls}">',
             f"<title>{html.escape(note_name(note) + extra)}</title>", circle]
    if label:
        parts.append(f'{text}{html.escape(short_label(note))}</text>')
    parts.append("</a>")
    return "".join(parts)


@lru_cache(maxsize=1 << 14)
def _disc(x: float, y: float, r: float) -> tuple[str, str]:
    """A node's circle, and the opening of its label below it."""
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}"/>', f'<text x="{_f(x)}" y="{_f(y + r + 16)}">'


# Presentation attributes: the figure reads without the site's stylesheet, which overrides them.
EDGES_STYLE = 'stroke="#767676" stroke-width="1.2" fill="#767676"'
NODES_STYLE = 'fill="#a31515" font-size="13" text-anchor="middle"'

def neighbourhood_svg(note: Note, links: Links, directory_urls: bool = True) -> str:
    """A figure of the note, the notes it cites and the notes that cite it (and the links between
    those), as raw HTML for the note page's Markdown; empty when it neither cites nor is cited."""
    graph = links.graph.get(note.url)
    if graph is None or not (graph.cites or graph.backlinks):
        return ""
    cites, cited_by, references = graph.cites, [source for source, _ in graph.backlinks], links.references
    page = note.src_uri
    cited_urls = {n.url for n in cites}
    citing_urls = {n.url for n in cited_by}
    both = [n for n in cited_by if n.url in cited_urls]
    only_citing = [n for n in cited_by if n.url not in cited_urls]
    only_cited = [n for n in cites if n.url not in citing_urls]
    groups = [sorted(group, key=lambda n: n.sort_key) for group in (only_citing, both, only_cited)]
    # citing notes on the left, notes citing each other at the top, cited notes on the right
    shares = [min(len(g), NEIGHBOURS) for g in groups]
    while sum(shares) > NEIGHBOURS:
        shares[shares.index(max(shares))] -= 1
    arcs = ((math.radians(100), math.radians(250)), (math.radians(255), math.radians(285)),
            (math.radians(80), math.radians(-70)))
    if not groups[1]:
        arcs = ((math.radians(100), math.radians(260)), arcs[1], (math.radians(80), math.radians(-80)))
    width, height = 480, 320
    cx, cy, rx, ry = width / 2, height / 2, width / 2 - 70, height / 2 - 40
    positions: dict[str, tuple[float, float]] = {note.url: (cx, cy)}
    drawn: list[Note] = []
    for group, share, (start, end) in zip(groups, shares, arcs):
        for i, other in enumerate(group[:share]):
            angle = start + (i + 0.5) * (end - start) / share
            positions[other.url] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
            drawn.append(other)
    ordered = [n for group in groups for n in group]
    centre_r, other_r = 14.0, 9.0
    edges, far = [], []
    drawn_urls = set(positions)
    for other in drawn:
        (x1, y1), (x2, y2) = positions[other.url], (cx, cy)
        if other.url in citing_urls:
            edges.append(_edge(x1, y1, x2, y2, other_r, centre_r))
        if other.url in cited_urls:
            edges.append(_edge(x2, y2, x1, y1, centre_r, other_r))
    for other in drawn:  # links between the neighbours themselves, quieter
        for target in references.get(other.url, ()):
            if target in drawn_urls and target not in (other.url, note.url):
                (x1, y1), (x2, y2) = positions[other.url], positions[target]
                far.append(_edge(x1, y1, x2, y2, other_r, other_r))
    nodes = [_node(other, *positions[other.url], other_r, page, directory_urls, "caucus-graph__node",
                   extra=(", cites this note and is cited by it" if other.url in cited_urls and other.url in citing_urls
                          else ", cites this note" if other.url in citing_urls else ", cited by this note"))
             for other in drawn]
    centre = _node(note, cx, cy, centre_r, page, directory_urls, "caucus-graph__node caucus-graph__node--here",
                   extra=" (this note)")
    name = html.escape(note.label)
    words = []
    if cites:
        words.append(f"Cites {len(cites)} note{'s' if len(cites) != 1 else ''}: {html.escape(_listing(cites))}.")
    if cited_by:
        words.append(f"Cited by {len(cited_by)} note{'s' if len(cited_by) != 1 else ''}: "
                     f"{html.escape(_listing(cited_by))}.")
    left_out = len(ordered) - len(drawn)
    summary = []
    if cited_by:
        summary.append(f"cited by {len(cited_by)} (left)")
    if both:
        summary.append(f"{len(both)} of them both (top)")
    if cites:
        summary.append(f"cites {len(cites)} (right)")
    caption = (f"{name} among the notes it cites and that cite it: {', '.join(summary)}"
               + (f"; {left_out} more are listed below, not drawn" if left_out else "") + ". "
               + f'<a href="{href(GRAPH_PAGE, page, directory_urls)}">All notes as a graph</a>')
    return "\n".join([
        '<figure class="caucus-graph caucus-graph--note" data-search-exclude>',
        f'<svg class="caucus-graph__svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" '
        'aria-labelledby="caucus-graph-title" aria-describedby="caucus-graph-desc">',
        f'<title id="caucus-graph-title">{name} and the notes it cites or that cite it</title>',
        f'<desc id="caucus-graph-desc">{" ".join(words)}</desc>',
        f'<g class="caucus-graph__edges" {EDGES_STYLE}>{_edges(far, "caucus-graph__edge caucus-graph__edge--far")}'
        f'{_edges(edges)}</g>',
        f'<g class="caucus-graph__nodes" {NODES_STYLE}>{"".join(nodes)}{centre}</g>',
        "</svg>",
        f"<figcaption>{caption}</figcaption>",
        "</figure>",
    ]) + "\n"


def _degrees(notes: Sequence[Note], references: Mapping[str, Sequence[str]]) -> dict[str, int]:
    degree: dict[str, int] = defaultdict(int)
    known = {n.url for n in notes}
    for url, targets in references.items():
        for target in targets:
            if url in known and target in known and target != url:
                degree[url] += 1
                degree[target] += 1
    return degree


def _bfs_order(notes: Sequence[Note], adjacency: Mapping[str, Sequence[str]]) -> list[str]:
    """Every note once, connected notes one after another, the biggest group of connected notes first."""
    seen: set[str] = set()
    groups: list[list[str]] = []
    for note in notes:
        if note.url in seen:
            continue
        group, queue = [], deque([note.url])
        seen.add(note.url)
        while queue:
            url = queue.popleft()
            group.append(url)
            for other in adjacency.get(url, ()):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        groups.append(group)
    groups.sort(key=len, reverse=True)  # stable: equal groups keep note order
    return [url for group in groups for url in group]


def layout(order: Sequence[str], edges: Sequence[tuple[str, str]],
           steps: int = STEPS) -> dict[str, tuple[float, float]]:
    """Force-directed positions (Fruchterman–Reingold) from a fixed sunflower start.

    Repulsion is felt only nearby: exactly from the notes in a note's own cell of a grid, and from
    each cell around it as one mass at its centre; so a step costs about as much as there are notes
    and links, not their square (a thousand notes lay out in about a fifth of a second).

    Every sum is taken in the same order as the plain formulation (cells around in a fixed order,
    members of a cell in note order), so the positions are the same floats on every build.
    """
    n = len(order)
    if n == 0:
        return {}
    k = 1.0  # the ideal distance between two linked notes
    xs = [k * math.sqrt(i + 0.5) * math.cos(i * GOLDEN_ANGLE) for i in range(n)]
    ys = [k * math.sqrt(i + 0.5) * math.sin(i * GOLDEN_ANGLE) for i in range(n)]
    index = {url: i for i, url in enumerate(order)}
    pairs = [(index[a], index[b]) for a, b in edges if a in index and b in index and a != b]
    cell = k
    near = cell * cell * 2.25  # a cell's mass is felt within one and a half cells of its centre
    kk = k * k
    temperature = math.sqrt(n) * k / 4
    floor, sqrt = math.floor, math.sqrt
    # A cell (gx, gy) is the integer gx * wide + gy: cheaper to hash and to step from than a pair.
    # No note gets 2**31 cells from the middle (it starts within sqrt(n) and moves at most
    # sqrt(n)/4 a step), so no two cells share a number.
    wide = 1 << 32
    around_offsets = [ox * wide + oy for ox in (-1, 0, 1) for oy in (-1, 0, 1) if ox or oy]
    nodes = range(n)
    for _ in range(steps):
        grid: dict[int, list[int]] = {}
        for i, x, y in zip(nodes, xs, ys):
            key = floor(x / cell) * wide + floor(y / cell)
            members = grid.get(key)
            if members is None:
                grid[key] = [i]
            else:
                members.append(i)
        # each cell as one mass at its centre, for the notes of the cells around it
        masses = {}
        for key, members in grid.items():
            if len(members) == 1:
                i = members[0]
                masses[key] = (xs[i], ys[i], 1 * k * k)
            else:
                masses[key] = (sum([xs[j] for j in members]) / len(members),
                               sum([ys[j] for j in members]) / len(members), len(members) * k * k)
        dx, dy = [0.0] * n, [0.0] * n
        for key, members in grid.items():
            size = len(members)
            if size > 1:  # exact within the cell, each pair worked out once for both its notes
                mxs, mys = [xs[j] for j in members], [ys[j] for j in members]
                fxs, fys = [0.0] * size, [0.0] * size
                for p in range(size):
                    xp, yp, fx, fy = mxs[p], mys[p], fxs[p], fys[p]
                    for q in range(p + 1, size):
                        ddx, ddy = xp - mxs[q], yp - mys[q]
                        dist2 = ddx * ddx + ddy * ddy
                        if dist2 < 1e-9:  # two notes at one point: part them the same way every build
                            force = kk / 2e-4
                            fx += -0.01 * force
                            fy += 0.01 * force
                            fxs[q] += 0.01 * force
                            fys[q] += 0.01 * force
                            continue
                        force = kk / dist2
                        ddx *= force
                        ddy *= force
                        fx += ddx
                        fy += ddy
                        fxs[q] -= ddx  # the other note is pushed the opposite way, by the same amount
                        fys[q] -= ddy
                    fxs[p], fys[p] = fx, fy
            else:
                fxs = fys = (0.0,)
            around = [masses[other] for other in [key + o for o in around_offsets] if other in masses]
            for i, fx, fy in zip(members, fxs, fys):
                xi, yi = xs[i], ys[i]
                for mx, my, weight in around:
                    ddx, ddy = xi - mx, yi - my
                    dist2 = ddx * ddx + ddy * ddy
                    if 1e-9 < dist2 < near:
                        force = weight / dist2
                        fx += ddx * force
                        fy += ddy * force
                dx[i] = fx  # 0.0 + fx: fx is never -0.0
                dy[i] = fy
        for a, b in pairs:
            ddx, ddy = xs[a] - xs[b], ys[a] - ys[b]
            force = (sqrt(ddx * ddx + ddy * ddy) or 1e-3) / k
            dx[a] -= ddx * force
            dy[a] -= ddy * force
            dx[b] += ddx * force
            dy[b] += ddy * force
        for i in nodes:  # a weak pull to the middle keeps groups of notes from drifting apart
            x, y = xs[i], ys[i]
            fx = dx[i] - x * 0.02
            fy = dy[i] - y * 0.02
            length = sqrt(fx * fx + fy * fy)
            if length > 0:
                move = length if length < temperature else temperature
                xs[i] = x + fx / length * move
                ys[i] = y + fy / length * move
        temperature *= 0.93
    return dict(zip(order, zip(xs, ys)))


def cached_layout(order: Sequence[str], edges: Sequence[tuple[str, str]],
                  memo: Memo | KeptOnDisk | None = None) -> dict[str, tuple[float, float]]:
    """layout(order, edges), kept in the live preview's memo: an edit that changes no citation
    (most edits) draws the site graph again without laying it out again."""
    return dict(remembered(memo, ("layout", tuple(order), tuple(edges)), lambda: layout(order, edges)))


def site_graph_page(notes: Sequence[Note], references: Mapping[str, Sequence[str]], directory_urls: bool = True,
                    notes_index: str = "notes/index.md", memo: Memo | KeptOnDisk | None = None) -> tuple[str, str]:
    """The whole-site graph page: every note (on a big site, every linked note), its citations as
    lines, and in words the most linked notes. The page's Markdown, with the appendix marker where the
    figure goes, and the figure (HTML no engine needs to read: see `pages.with_appendix`).

    `memo` (the live preview's) keeps the layout between rebuilds."""
    by_url = {n.url: n for n in notes}
    ordered_notes = sorted(notes, key=lambda n: n.sort_key)
    edges = sorted({(url, target) for url, targets in references.items() for target in targets
                    if url in by_url and target in by_url and url != target})
    degree = _degrees(ordered_notes, references)
    linked = [n for n in ordered_notes if degree.get(n.url)]
    shown = ordered_notes if len(ordered_notes) <= WHOLE_SITE_ALL else linked
    adjacency: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        adjacency[a].append(b)
        adjacency[b].append(a)
    order = _bfs_order(shown, adjacency)
    positions = cached_layout(order, edges, memo)
    page = GRAPH_PAGE
    front = ("---\ntitle: Graph of the notes\ndescription: Every note and the notes it cites, drawn as a graph.\n"
             "search:\n  exclude: true\n---\n")  # nothing in it a search should find
    intro = (f"# Graph of the notes\n\nEach circle is a note and each line a citation, pointing to the note cited; "
             f"the more a note is linked, the bigger its circle. Choose a circle to open its note, or use the "
             f"[notes index]({posixpath.relpath(notes_index, posixpath.dirname(page) or '.')}) and the list below.\n")
    if not positions:
        return front + "\n" + intro + "\nNo notes yet.\n", ""
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    span = max(right - left, bottom - top, 1e-6)
    width = 960.0
    scale = (width - 80) / span
    height = (bottom - top) * scale + 80
    width = (right - left) * scale + 80
    placed = {url: ((x - left) * scale + 40, (y - top) * scale + 40) for url, (x, y) in positions.items()}
    radius = {url: 4 + 1.5 * math.sqrt(degree.get(url, 0)) for url in placed}
    labelled = set(placed) if len(placed) <= LABELLED else {
        url for url in sorted(placed, key=lambda u: (-degree.get(u, 0), by_url[u].sort_key))[:LABELLED // 3]}
    lines = [_edge(*placed[a], *placed[b], radius[a], radius[b]) for a, b in edges if a in placed and b in placed]
    nodes = [_node(by_url[url], *placed[url], radius[url], page, directory_urls, "caucus-graph__node",
                   label=url in labelled, extra=f", {degree.get(url, 0)} links")
             for url in sorted(placed, key=lambda u: by_url[u].sort_key)]
    most = sorted(linked, key=lambda n: (-degree[n.url], n.sort_key))[:20]
    left_out = len(ordered_notes) - len(shown)
    caption = (f"{len(shown)} notes and {len(lines)} citations between them"
               + (f"; the {left_out} notes that cite no note and that no note cites are not drawn" if left_out else "")
               + ".")
    figure = "\n".join([
        '<figure class="caucus-graph caucus-graph--site" data-search-exclude>',
        # on a phone the graph keeps a readable size and scrolls inside its box, by touch or keyboard
        '<div class="caucus-graph__scroll" tabindex="0" role="region" aria-label="The graph (scrolls sideways)">',
        f'<svg class="caucus-graph__svg" viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" '
        f'height="{_f(height)}" role="group" '
        'aria-labelledby="caucus-graph-title" aria-describedby="caucus-graph-desc">',
        '<title id="caucus-graph-title">Graph of the notes and their citations</title>',
        f'<desc id="caucus-graph-desc">{html.escape(caption)} The most linked notes are listed after the graph.</desc>',
        f'<g class="caucus-graph__edges" {EDGES_STYLE}>{_edges(lines)}</g>',
        f'<g class="caucus-graph__nodes" {NODES_STYLE}>{"".join(nodes)}</g>',
        "</svg>",
        "</div>",
        f"<figcaption>{html.escape(caption)}</figcaption>",
        "</figure>",
    ])
    listing = "".join(f"- [{md_text(note_name(n))}]({posixpath.relpath(n.src_uri, posixpath.dirname(page) or '.')})"
                      f": {degree[n.url]} link{'s' if degree[n.url] != 1 else ''}\n" for n in most)
    most_text = f"\n## Most linked notes\n\n{listing}" if most else "\nNo note cites another yet.\n"
    return front + "\n" + intro + "\n" + APPENDIX_MARKER + "\n" + most_text, figure


def graph_link(page: str) -> str:
    """A paragraph linking the whole-site graph from a page's Markdown."""
    return f"\n[All notes as a graph]({posixpath.relpath(GRAPH_PAGE, posixpath.dirname(page) or '.')})\n"
