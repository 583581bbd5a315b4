"""Graphs drawn at build time: a note's neighbourhood on its page, and the whole site on graph/."""

from __future__ import annotations

import time

import markdown
import pytest

from generator.model import Note
from generator.neighbourhood import href, layout, neighbourhood_svg, site_graph_page
from generator.graph import link_corpus
from generator.model import Corpus, Settings

NOTES = {
    "0001-base.md": "---\ntitle: Base power\n---\nWhere we start.\n",
    "0002-tenants.md": "---\ntitle: Tenants & <rent>\n---\nBuilds on Strategy Note 1.\n",
    "0003-unions.md": "---\ntitle: Unions\n---\nAfter Strategy Notes 1 and 2.\n",
    "0004-alone.md": "---\ntitle: Alone\n---\nCites nothing.\n",
    "Loose note.md": "Reads Strategy Note 3.\n",
}


@pytest.fixture
def built(fixture_site):
    site = fixture_site(notes=NOTES, options="unresolved_references: info")
    site.build(strict=True)
    return site


def test_note_page_draws_its_neighbourhood_with_links_and_a_text_equivalent(built):
    figure = built.article("notes/2/").select_one("figure.caucus-graph")
    svg = figure.select_one("svg")
    assert svg["role"] == "group"
    assert svg.select_one("#caucus-graph-title").get_text() == "Strategy Note 2 and the notes it cites or that cite it"
    desc = svg.select_one("#caucus-graph-desc").get_text()
    assert desc == "Cites 1 note: Strategy Note 1: Base power. Cited by 1 note: Strategy Note 3: Unions."
    assert svg["aria-labelledby"] == "caucus-graph-title" and svg["aria-describedby"] == "caucus-graph-desc"
    hrefs = {a["href"] for a in svg.select("a")}
    assert hrefs == {"../1/", "../3/", "./"}
    for ref in hrefs:  # every node leads to a page that exists
        assert (built.site / "notes/2" / ref / "index.html").resolve().is_file()
    assert all(a["tabindex"] == "-1" for a in svg.select("a"))  # the text holds the same links for the keyboard
    assert "Tenants &amp; &lt;rent&gt;" in str(svg)  # titles are escaped
    assert figure.select_one("figcaption a")["href"] == "../../graph/"
    assert "data-search-exclude" in figure.attrs


def test_a_note_without_citations_has_no_figure(built):
    assert built.article("notes/4/").select_one("figure.caucus-graph") is None


def test_the_graph_page_draws_every_note_and_lists_the_most_linked(built):
    article = built.article("graph/")
    svg = article.select_one("figure.caucus-graph svg")
    assert len(svg.select("circle")) == 5
    assert svg.select_one("path.caucus-graph__edge")["d"].count("M") == 4  # 2→1, 3→1, 3→2, loose→3
    assert svg.select_one("path.caucus-graph__arrow")["d"].count("Z") == 4
    assert {a["href"] for a in svg.select("a")} == {"../notes/1/", "../notes/2/", "../notes/3/", "../notes/4/",
                                                    "../notes/loose-note/"}
    most = [li.get_text() for li in article.select("ul li")]
    assert most[0] == "Strategy Note 3: Unions: 3 links"
    assert built.article("notes/").select_one('a[href="../graph/"]') is not None


def test_python_markdown_passes_the_figure_through_unchanged():
    notes = [Note(path=f"notes/{i}.md", slug=str(i), title=f"T{i} *x* [y]", body="", number=i) for i in (1, 2, 3)]
    corpus = Corpus(notes=tuple(notes))
    links = link_corpus(corpus, {notes[0].url: "", notes[1].url: "Strategy Note 1.",
                                 notes[2].url: "Strategy Notes 1 and 2."}, Settings())
    figure = neighbourhood_svg(notes[0], links)
    rendered = markdown.markdown("Text.\n\n" + figure, extensions=["md_in_html", "attr_list", "toc", "tables"])
    assert rendered == "<p>Text.</p>\n" + figure.rstrip("\n")


def test_relative_urls_follow_the_sites_url_style():
    assert href("notes/3.md", "notes/2.md") == "../3/"
    assert href("notes/3.md", "notes/2.md", directory_urls=False) == "3.html"
    assert href("graph.md", "notes/2.md") == "../../graph/"
    assert href("graph.md", "notes/2.md", directory_urls=False) == "../graph.html"
    assert href("notes/index/index.md", "graph.md") == "../notes/index/"


def test_layout_is_deterministic_and_fast_at_a_thousand_notes():
    order = [f"n{i}" for i in range(1000)]
    edges = [(f"n{i}", f"n{(i * 7 + 3) % 1000}") for i in range(1000)] + \
        [(f"n{i}", f"n{i // 2}") for i in range(1, 1000)]
    start = time.perf_counter()
    first = layout(order, edges)
    elapsed = time.perf_counter() - start
    assert first == layout(order, edges)
    assert elapsed < 5  # typically well under a second and a half
    xs = [x for x, _ in first.values()]
    assert max(xs) - min(xs) > 1  # spread out, not collapsed


def test_site_graph_of_a_big_site_draws_only_linked_notes():
    notes = [Note(path=f"notes/{i}.md", slug=str(i), title=f"T{i}", body="", number=i) for i in range(1, 402)]
    references = {notes[i].url: [notes[i - 1].url] for i in range(1, 50)}
    page, figure = site_graph_page(notes, references)
    assert figure.count("<circle") == 50 and "<circle" not in page
    assert "the 351 notes that cite no note" in figure
    assert (page, figure) == site_graph_page(notes, references)


def test_graphs_are_the_same_bytes_in_every_process(fixture_site):
    """Two processes with different hash seeds (set and dict orders) draw the same figures."""
    import os
    import subprocess
    import sys

    from conftest import PROJECT_ROOT

    site = fixture_site(notes=NOTES)
    script = ("import sys; from generator.model import Settings; from generator.pipeline import build_site; "
              "s = build_site(Settings(root=sys.argv[1], unresolved_references='info')); "
              "sys.stdout.write(s.pages['graph.md'] + s.appendices['graph.md'] + s.appendices['notes/3.md'])")
    outputs = [subprocess.run([sys.executable, "-c", script, str(site.root)], capture_output=True, text=True,
                              check=True, cwd=PROJECT_ROOT, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")]
    assert outputs[0] == outputs[1] and "<svg" in outputs[0]


def test_relative_urls_agree_with_posixpath_relpath():
    """The quick relative URLs of graph nodes are those posixpath.relpath gives (the slow way, which
    the module keeps for paths the quick way does not read)."""
    import itertools

    from generator.neighbourhood import _href_by_relpath

    uris = ["notes/3.md", "graph.md", "index.md", "notes/index.md", "notes/index/index.md", "a/b/c.md", "a/x.md",
            "notes/sub/deep/n.md", "notes/a & b.md", "./notes/1.md", "notes/../x.md", "notes//y.md", "a.b/c.d.md"]
    for target, page in itertools.product(uris, repeat=2):
        for directory_urls in (True, False):
            assert href(target, page, directory_urls) == _href_by_relpath(target, page, directory_urls), (target, page)


def test_cached_layout_lays_out_once_per_graph():
    from generator import neighbourhood
    from generator.memo import Memo

    order, edges = ["a", "b", "c"], [("a", "b"), ("b", "c")]
    memo = Memo()
    first = neighbourhood.cached_layout(order, edges, memo)
    assert first == layout(order, edges) == neighbourhood.cached_layout(order, edges, None)
    calls = []
    original = neighbourhood.layout
    neighbourhood.layout = lambda *args: calls.append(args) or original(*args)
    try:
        assert neighbourhood.cached_layout(list(order), list(edges), memo) == first
        assert calls == []  # the same graph: not laid out again
        neighbourhood.cached_layout(order, edges[:1], memo)
        assert len(calls) == 1  # another graph is
    finally:
        neighbourhood.layout = original


def _plain_layout(order, edges, steps):
    """The layout as first written, one note at a time: what `layout` must give, float for float."""
    import math
    from collections import defaultdict

    from generator.neighbourhood import GOLDEN_ANGLE

    n, k = len(order), 1.0
    xs = [k * math.sqrt(i + 0.5) * math.cos(i * GOLDEN_ANGLE) for i in range(n)]
    ys = [k * math.sqrt(i + 0.5) * math.sin(i * GOLDEN_ANGLE) for i in range(n)]
    index = {url: i for i, url in enumerate(order)}
    pairs = [(index[a], index[b]) for a, b in edges if a in index and b in index and a != b]
    cell, temperature = k, math.sqrt(n) * k / 4
    for _ in range(steps):
        dx, dy = [0.0] * n, [0.0] * n
        grid = defaultdict(list)
        for i in range(n):
            grid[(int(math.floor(xs[i] / cell)), int(math.floor(ys[i] / cell)))].append(i)
        masses = {key: (sum(xs[j] for j in members) / len(members), sum(ys[j] for j in members) / len(members),
                        len(members)) for key, members in grid.items()}
        for (gx, gy), members in grid.items():
            around = [masses[key] for key in ((gx + ox, gy + oy) for ox in (-1, 0, 1) for oy in (-1, 0, 1)
                                              if ox or oy) if key in masses]
            for i in members:
                fx = fy = 0.0
                for j in members:
                    if j != i:
                        ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
                        dist2 = ddx * ddx + ddy * ddy
                        if dist2 < 1e-9:
                            ddx, ddy, dist2 = (0.01 if i > j else -0.01), 0.01, 2e-4
                        fx += ddx * (k * k / dist2)
                        fy += ddy * (k * k / dist2)
                for mx, my, count in around:
                    ddx, ddy = xs[i] - mx, ys[i] - my
                    dist2 = ddx * ddx + ddy * ddy
                    if 1e-9 < dist2 < cell * cell * 2.25:
                        fx += ddx * (count * k * k / dist2)
                        fy += ddy * (count * k * k / dist2)
                dx[i] += fx
                dy[i] += fy
        for a, b in pairs:
            ddx, ddy = xs[a] - xs[b], ys[a] - ys[b]
            force = (math.sqrt(ddx * ddx + ddy * ddy) or 1e-3) / k
            dx[a] -= ddx * force
            dy[a] -= ddy * force
            dx[b] += ddx * force
            dy[b] += ddy * force
        for i in range(n):
            dx[i] -= xs[i] * 0.02
            dy[i] -= ys[i] * 0.02
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > 0:
                move = min(length, temperature)
                xs[i] += dx[i] / length * move
                ys[i] += dy[i] / length * move
        temperature *= 0.93
    return {url: (xs[i], ys[i]) for i, url in enumerate(order)}


@pytest.mark.parametrize("n", [1, 2, 40, 600])
def test_layout_gives_the_plain_formulations_floats(n):
    """Pairs inside a cell are worked out once for both notes, and cells keyed by one integer: the
    positions must still be the very same floats (the site graph's bytes depend on them)."""
    import random

    rng = random.Random(n)
    order = [f"n{i}" for i in range(n)]
    edges = sorted({(rng.choice(order), rng.choice(order)) for _ in range(3 * n)})
    steps = 40
    assert layout(order, edges, steps) == _plain_layout(order, edges, steps)


def test_the_layout_kept_between_builds_is_the_layout(tmp_path, monkeypatch):
    """`mkdocs build` keeps the site graph's layout in .cache: read back, it draws the same figure; a
    graph with other citations is laid out anew and replaces it."""
    import generator.neighbourhood as neighbourhood
    from generator.memo import KeptOnDisk

    notes = [Note(path=f"notes/{i}.md", slug=str(i), title=f"T{i}", body="", number=i) for i in range(1, 40)]
    references = {notes[i].url: [notes[(i * 7) % 39].url] for i in range(39)}
    kept, made = KeptOnDisk(tmp_path / "layout"), []
    fresh = site_graph_page(notes, references)
    first = site_graph_page(notes, references, memo=kept)
    monkeypatch.setattr(neighbourhood, "layout", lambda *args, **kwargs: made.append(1) or layout(*args, **kwargs))
    assert site_graph_page(notes, references, memo=kept) == first == fresh and made == []
    references[notes[0].url] = [notes[1].url]
    assert site_graph_page(notes, references, memo=kept) == site_graph_page(notes, references) and made
    assert len(list((tmp_path / "layout").glob("*.json"))) == 1
