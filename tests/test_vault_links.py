"""Every wikilink form Obsidian resolves leads to the same place on the site, in a small vault."""

from __future__ import annotations

import pytest


@pytest.fixture
def vault(fixture_site):
    site = fixture_site(notes={
        "Tenant power.md": "# Tenant power\n\n## Rent strikes\n\nWhen rents rise we strike. ^strike-rule\n\n"
                           "## Rent strikes\n\nA second section of that name.\n",
        "sub/Deep note.md": "# Deep note\n\nDeep text.\n",
        "Links.md": """\
            # Links

            By heading: [[Tenant power#Rent strikes]] and [[Tenant power#rent strikes|the strikes]].

            By block: [[Tenant power#^strike-rule]]. Same page: [[#Below]].

            Folders and files: [[sub/Deep note]], [[Deep note.md]], [[Tenant power.md|tenants]].

            Attachments: ![[flow.png]] ![[flow.png|300]] ![[flow.png|A flow chart]] [[scan.pdf]]

            Missing: [[Tenant power#No such heading]].

            ## Below

            | a | b |
            |---|---|
            | [[Tenant power\\|in a table]] | x |
            """,
    })
    (site.root / "notes/flow.png").write_bytes(b"\x89PNG\r\n")
    (site.root / "notes/sub/scan.pdf").write_bytes(b"%PDF-1.4")
    site.build()
    return site


def hrefs(site, url):
    return {a.get_text(): a["href"] for a in site.article(url).select("a.caucus-ref")}


def test_headings_blocks_and_this_page(vault):
    links = hrefs(vault, "notes/links/")
    assert links["Tenant power > Rent strikes"] == "../tenant-power/#rent-strikes"
    assert links["the strikes"] == "../tenant-power/#rent-strikes"
    assert links["Tenant power > ^strike-rule"] == "../tenant-power/#^strike-rule"
    assert links["Below"] == "#below"
    page = vault.article("notes/tenant-power/")
    assert page.select_one('[id="^strike-rule"]').get_text(strip=True) == "When rents rise we strike."
    assert not [p for p in page.select("p") if p.get_text().rstrip().endswith("^strike-rule")]
    assert page.select_one("#rent-strikes") and page.select_one("#rent-strikes_1")


def test_folders_files_and_tables(vault):
    links = hrefs(vault, "notes/links/")
    assert links["sub/Deep note"] == "../sub/deep-note/"
    assert links["Deep note.md"] == "../sub/deep-note/"
    assert links["tenants"] == "../tenant-power/"
    assert links["in a table"] == "../tenant-power/"


def test_attachments_are_shown_and_linked(vault):
    article = vault.article("notes/links/")
    images = article.select("img")
    assert [i["src"] for i in images] == ["../flow.png"] * 3
    assert images[1]["width"] == "300" and images[2]["alt"] == "A flow chart"
    assert hrefs(vault, "notes/links/")["scan.pdf"] == "../sub/scan.pdf"
    assert (vault.site / "notes/flow.png").is_file() and (vault.site / "notes/sub/scan.pdf").is_file()


def test_a_missing_heading_is_a_finding_at_its_line_and_the_link_goes_to_the_note(vault):
    assert hrefs(vault, "notes/links/")["Tenant power > No such heading"] == "../tenant-power/"
    assert [w for w in vault.warnings() if "No such heading" in w] == [
        "caucus: notes/Links.md:11: warning: [[Tenant power#No such heading]]: notes/Tenant power.md has no "
        "heading “No such heading”; the link goes to the note"]


def test_embeds_show_the_note_or_section_in_place_and_a_cycle_is_a_link(fixture_site):
    site = fixture_site(notes={
        "Demands.md": "# Demands\n\nIntro.\n\n## Rent\n\nFreeze the rent. See [[Tenants]].\n\n## Repairs\n\nFix it.\n",
        "Tenants.md": "# Tenants\n\nWe show the demands:\n\n![[Demands#Rent]]\n\nAnd all of them:\n\n![[Demands]]\n",
        "A.md": "# A\n\nA shows B:\n\n![[B]]\n", "B.md": "# B\n\nB shows A:\n\n![[A]]\n",
    })
    site.build()
    article = site.article("notes/tenants/")
    embeds = article.select(".admonition.embed")
    assert len(embeds) == 2
    assert "Freeze the rent." in embeds[0].get_text() and "Fix it." not in embeds[0].get_text()
    assert "Intro." in embeds[1].get_text() and "Fix it." in embeds[1].get_text()
    assert embeds[0].select_one('a.caucus-ref')["href"] == "./"  # the embedded note's link, re-pointed here
    assert embeds[0].select("a")[-1]["href"] == "../demands/#rent"
    cycle = [w for w in site.warnings() if "shows a note that shows this one" in w]
    assert len(cycle) == 1 and "notes/A.md → notes/B.md → notes/A.md" in cycle[0] or \
        "notes/B.md → notes/A.md → notes/B.md" in cycle[0]
    assert len(site.article("notes/a/").select(".admonition.embed")) == 1  # B shown once, its ![[A]] a link


def test_markdown_links_with_a_heading_as_written_lead_to_its_id(fixture_site):
    site = fixture_site(notes={
        "Editing/Pasting pictures.md": "# Pasting pictures\n\n## Sizing a picture\n\nText.\n",
        "Folders.md": "# Folders\n\n[sizing](Editing/Pasting%20pictures.md#Sizing%20a%20picture) and "
                      "[same](Editing/Pasting%20pictures.md#sizing-a-picture)\n",
        "Lists.md": "# Lists\n\n1. one\n2. two\n\n^the-list\n\nSee [[#^the-list]] and [[./Folders]].\n",
    })
    site.build()
    links = [a["href"] for a in site.article("notes/folders/").select("p a") if not a.find_parent(class_="caucus-note-meta")][:2]
    assert links == ["../editing/pasting-pictures/#sizing-a-picture"] * 2
    lists = site.article("notes/lists/")
    assert lists.select_one("ol")["id"] == "^the-list"
    assert not [p for p in lists.select("p") if p.get_text().strip() == "^the-list"]
    assert [a["href"] for a in lists.select("a.caucus-ref")] == ["#^the-list", "../folders/"]
