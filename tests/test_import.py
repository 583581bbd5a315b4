"""`caucus-site import`: an archive page, a mailbox and a Word document become numbered notes."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage

import frontmatter
import pytest
from click.testing import CliRunner

from generator.cli import main

ARCHIVE = """\
<!doctype html>
<html><head><title>Strategy Notes archive</title>
<style>body { color: red }</style><script>track("visit")</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<header>The Strategy Notes site</header>
<main>
<p><strong>2019-05-07, Strategy Note 1:</strong></p>
<h2>Why caucuses</h2>
<p>Caucuses organize <em>within</em> unions. See <a href="https://example.org/x">the report</a>.</p>
<ul><li>Build solidarity</li><li>Elect officers</li></ul>
<p><strong>May 14, 2019, Strategy Note 2:</strong></p>
<h2>What caucuses should work for</h2>
<p>Strategy Note 1 said we need caucuses.</p>
<table><tr><th>Goal</th><th>How</th></tr><tr><td>Democracy</td><td>Elections</td></tr></table>
<img src="https://tracker.example/p.gif" width="1" height="1">
<p><strong>21 May 2019, Strategy Note 3:</strong></p>
<h2>Caucus meetings</h2>
<p>Meet weekly, as Strategy Notes 1 and 2 say.</p>
</main>
<footer>© The archive · <a href="/subscribe">Subscribe</a></footer>
</body></html>
"""


def run(site, *args):
    return CliRunner().invoke(main, ["import", "-f", str(site.root / "mkdocs.yml"), *map(str, args)])


def note(site, name):
    return frontmatter.loads((site.root / "notes" / name).read_text(encoding="utf-8"))


@pytest.fixture
def site(fixture_site):
    return fixture_site(notes={})


def test_an_archive_page_becomes_one_clean_note_per_header_and_the_site_links_them(site, tmp_path):
    page = tmp_path / "archive.html"
    page.write_text(ARCHIVE, encoding="utf-8")
    result = run(site, page)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (site.root / "notes").iterdir()) == [
        "0001-why-caucuses.md", "0002-what-caucuses-should-work-for.md", "0003-caucus-meetings.md"]
    first = note(site, "0001-why-caucuses.md")
    assert first.metadata == {"number": 1, "title": "Why caucuses", "date": "2019-05-07"}
    assert "Caucuses organize *within* unions. See [the report](https://example.org/x)." in first.content
    assert "- Build solidarity" in first.content
    second = note(site, "0002-what-caucuses-should-work-for.md")
    assert second.metadata["date"] == "2019-05-14" and "| Goal | How |" in second.content
    for text in (first.content, second.content):
        assert "track(" not in text and "color: red" not in text and "Subscribe" not in text
        assert "tracker.example" not in text and "About" not in text
    assert note(site, "0003-caucus-meetings.md").metadata["date"] == "2019-05-21"
    check = CliRunner().invoke(main, ["check", "--strict", "-f", str(site.root / "mkdocs.yml")])
    assert check.exit_code == 0, check.output
    site.build(strict=True)
    links = [a["href"] for a in site.article("notes/3/").select("a.caucus-ref")]
    assert links == ["../1/", "../2/"]
    assert site.notes_json()["notes"][0]["referenced_by"] == ["notes/2/", "notes/3/"]


def test_a_second_run_imports_nothing_new_and_dry_run_writes_nothing(site, tmp_path):
    page = tmp_path / "archive.html"
    page.write_text(ARCHIVE, encoding="utf-8")
    dry = run(site, page, "--dry-run")
    assert dry.exit_code == 0 and "would write notes/0001-why-caucuses.md" in dry.output
    assert not list((site.root / "notes").iterdir())
    assert run(site, page).exit_code == 0
    before = {p.name: p.read_bytes() for p in (site.root / "notes").iterdir()}
    again = run(site, page)
    assert again.exit_code == 0 and "skipped" in again.output and "wrote" not in again.output
    assert {p.name: p.read_bytes() for p in (site.root / "notes").iterdir()} == before


def message(subject: str, date: str, body: str, keywords: str = "") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Caucus <caucus@example.org>"
    mail["Subject"] = subject
    mail["Date"] = date
    if keywords:
        mail["Keywords"] = keywords
    mail.set_content(body)
    return mail


def test_a_mailbox_gives_one_note_per_message_without_replies_or_signatures(site, tmp_path):
    box = mailbox.mbox(str(tmp_path / "notes.mbox"))
    box.add(message("Strategy Note 5: Tenant power", "Tue, 07 May 2019 09:00:00 -0400",
                    "Tenants can organize.\n\nSee Strategy Note 6.\n\n-- \nThe caucus\nunsubscribe here\n",
                    keywords="housing, tenants"))
    box.add(message("Re: [caucus] Strategy Note 6: Rent strikes", "Tue, 14 May 2019 09:00:00 -0400",
                    "Strikes need trust.\n\nOn Mon, May 13, 2019 Sam wrote:\n> quoted text\n> more quoted\n"))
    box.add(message("Strategy Note 7 - Repairs", "Tue, 21 May 2019 09:00:00 -0400", "Fix it."))
    box.close()
    result = run(site, tmp_path / "notes.mbox")
    assert result.exit_code == 0, result.output
    five = note(site, "0005-tenant-power.md")
    assert five.metadata == {"number": 5, "title": "Tenant power", "date": "2019-05-07",
                             "tags": ["housing", "tenants"]}
    assert "unsubscribe" not in five.content and "The caucus" not in five.content
    six = note(site, "0006-rent-strikes.md")
    assert six.metadata["title"] == "Rent strikes" and six.content.strip() == "Strikes need trust."
    assert note(site, "0007-repairs.md").metadata["date"] == "2019-05-21"
    site.build(strict=True)
    assert site.article("notes/5/").select_one("a.caucus-ref")["href"] == "../6/"


def test_an_eml_message_is_one_note(site, tmp_path):
    (tmp_path / "note.eml").write_bytes(bytes(message("Strategy Note 9: Dues", "Tue, 04 Jun 2019 09:00:00 -0400",
                                                      "Dues fund the work.")))
    assert run(site, tmp_path / "note.eml").exit_code == 0
    assert note(site, "0009-dues.md").metadata == {"number": 9, "title": "Dues", "date": "2019-06-04"}


def test_a_word_document_gives_one_note_per_heading_1(site, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Strategy Note 11: Reading groups", level=1)
    document.add_paragraph("Read together. ").add_run("Weekly.").bold = True
    document.add_paragraph("A first point", style="List Bullet")
    document.add_heading("Strategy Note 12: Dues", level=1)
    document.add_paragraph("Dues fund Strategy Note 11's groups.")
    document.save(str(tmp_path / "notes.docx"))
    result = run(site, tmp_path / "notes.docx")
    assert result.exit_code == 0, result.output
    eleven = note(site, "0011-reading-groups.md")
    assert eleven.metadata == {"number": 11, "title": "Reading groups"}
    assert "Read together. **Weekly.**" in eleven.content and "- A first point" in eleven.content
    site.build(strict=True)
    assert site.article("notes/12/").select_one("a.caucus-ref")["href"] == "../11/"


def test_problems_are_findings_with_their_place_and_nothing_is_written(site, tmp_path):
    (tmp_path / "bad.txt").write_text("2019-02-30, Strategy Note 4:\nA title\n\nText.\n\n"
                                      "2019-03-01, Strategy Note 4:\nAnother\n\nText.\n", encoding="utf-8")
    (tmp_path / "plain.html").write_text("<h1>No number here</h1><p>Text.</p>", encoding="utf-8")
    result = run(site, tmp_path / "bad.txt", tmp_path / "plain.html")
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.txt'}:1: error: '2019-02-30' in '2019-02-30, Strategy Note 4:' is not a real date" \
        in result.output
    assert f"{tmp_path / 'bad.txt'}:6: error: number 4 is also given by {tmp_path / 'bad.txt'}:1" in result.output
    assert f"{tmp_path / 'plain.html'}:1: error: no number found" in result.output
    assert not list((site.root / "notes").iterdir())


def test_an_existing_number_is_skipped_not_overwritten(fixture_site, tmp_path):
    site = fixture_site(notes={"0001-mine.md": "# Mine\n\nMy own text.\n"})
    page = tmp_path / "archive.html"
    page.write_text(ARCHIVE, encoding="utf-8")
    result = run(site, page)
    assert result.exit_code == 0
    assert "number 1 is already notes/0001-mine.md: skipped" in result.output
    assert (site.root / "notes/0001-mine.md").read_text() == "# Mine\n\nMy own text.\n"
    assert not (site.root / "notes/0001-why-caucuses.md").exists()
