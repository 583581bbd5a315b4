"""A synthetic caucus site of any size, the same on every run, for measuring builds.

Real notes are too few to show how the build grows, so this writes N notes of
about 450 words each: prose drawn from a fixed word list, a heading or two,
four citations of other notes in the forms members write ("Strategy Note 12",
"Strategy Notes 12 and 14"), tags, a date, a summary, and a few percent of
paragraphs shared between notes or repeated inside one, as pasted notes have.

A second corpus, `kind="small-vocabulary"`, is the hard case for the
generator's de-duplication and linking: about 40 words in all, so every
phrase recurs in hundreds of notes; the same boilerplate lines in every note
(a standard header, "Discussed at the weekly meeting.", a footer sentence);
long paragraphs, a list, a code block and a table in each; titles drawn from
eight words, so they collide; citations as in the first corpus.

With `plugin=False` the same text is written as plain Material pages (the
baseline): what a build costs without the generator, for the same words.
The generator's site also gets the project's own chrome (overrides/).
"""

from __future__ import annotations

import datetime
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

WORDS = tuple("""
union caucus members workers organize solidarity strike contract steward shop floor meeting
campaign leaders rank file democracy vote election officers bargaining wages hours safety
tenants housing rent landlord neighborhood building committee coop cooperative exchange free
economy market relationship trust mutual aid community church school teachers nurses drivers
warehouse shift job classification tier newcomers oldtimers immigrant race gender religion
debate open plan strategy tactic goal power structure build strengthen remake society
organization movement struggle history lesson practice theory study group reading discussion
collective action petition march picket rally boycott demand grievance arbitration local
national federation council delegate convention resolution platform program budget dues
volunteer recruit retain train mentor listen ask answer share learn teach write publish
newsletter flyer phone list email website chat call visit home break lunch parking lot gate
office hall basement library park street city county state region country world international
long short term slow fast patient careful bold honest clear simple hard easy small large
every each some many few most all none together alone within across between among against
toward through after before during while because although unless until since whether
first second third next last early late often rarely always never sometimes usually
we they our their us them people person friend neighbor coworker family child parent elder
youth student retiree employer manager boss owner investor bank fund debt loan credit price
cost value labor time skill tool machine software platform data record report survey map chart
""".split())

# The second corpus: a small vocabulary, boilerplate in every note, titles that share their words.
SMALL_WORDS = tuple("""
union members meeting vote strike contract steward shop floor workers caucus plan power build
campaign wages hours safety committee leaders rank file organize demand boss job work time local
rally petition support win fight together every week report list action
""".split())
SMALL_TITLE_WORDS = ("strike", "plan", "vote", "contract", "meeting", "campaign", "report", "union")
HEADER_LINE = "Caucus strategy note, written for the members of the caucus and not for circulation outside it."
MEETING_LINE = "Discussed at the weekly meeting."
FOOTER_LINE = ("Comments and corrections go to the steering committee before the next weekly meeting; "
               "thank you to everyone who took part.")
BOILERPLATE = (HEADER_LINE, MEETING_LINE, FOOTER_LINE)
LONG_PARAGRAPHS = 3
LONG_PARAGRAPH_WORDS = (80, 130)
LIST_ITEMS = (3, 5)
CODE_LINES = (3, 5)
TABLE_ROWS = (3, 4)
KINDS = ("varied", "small-vocabulary")  # the first is the original corpus, unchanged
KIND_LABELS = {"varied": f"varied corpus ({len(set(WORDS))} words)",
               "small-vocabulary": f"small-vocabulary corpus ({len(SMALL_WORDS)} words, boilerplate)"}

TAGS = ("unions", "inquiry", "solidarity", "housing", "cooperatives", "democracy", "education", "elections")
STOCK_PARAGRAPHS = 12  # the pool that shared paragraphs are drawn from
SHARED_PARAGRAPH_CHANCE = 0.03  # a paragraph copied from the shared pool, as notes quote each other
REPEATED_PARAGRAPH_CHANCE = 0.02  # a note that repeats one of its own paragraphs, as a careless paste does
PROSE_WORDS = 380  # before headings and citations, which bring a note to about 450 words
PARAGRAPH_WORDS = (45, 80)
SENTENCE_WORDS = (8, 18)
CITED_NOTES = 4
FIRST_DATE = datetime.date(2016, 1, 4)
LATEST_NOTES_MARKER = "<!-- caucus:latest-notes -->"
TAGS_MARKER = "<!-- material/tags -->"


@dataclass(frozen=True)
class SyntheticNote:
    """One note's content, independent of how it is written to disk."""

    number: int
    title: str
    date: datetime.date
    tags: tuple[str, ...]
    summary: str
    body: str

    @property
    def slug(self) -> str:
        return self.title.lower().replace(" ", "-")

    @property
    def file_name(self) -> str:
        return f"{self.number:04d}-{self.slug}.md"

    @property
    def meta_line(self) -> str:
        """The line a note page shows under its title, as plain text."""
        return f"Strategy Note {self.number} · {self.date.day} {self.date:%B} {self.date.year}"


def sentence(rng: random.Random, words: tuple[str, ...] = WORDS) -> str:
    drawn = rng.choices(words, k=rng.randint(*SENTENCE_WORDS))
    return " ".join(drawn).capitalize() + "."


def paragraph(rng: random.Random, words: tuple[str, ...] = WORDS,
              lengths: tuple[int, int] = PARAGRAPH_WORDS) -> str:
    """Sentences until the paragraph has its drawn length in words."""
    target, sentences, count = rng.randint(*lengths), [], 0
    while count < target:
        sentences.append(sentence(rng, words))
        count += len(sentences[-1].split())
    return " ".join(sentences)


def title_words(rng: random.Random, count: int, words: tuple[str, ...] = WORDS) -> str:
    return " ".join(rng.choices(words, k=count)).capitalize()


def citations(rng: random.Random, number: int, n: int, words: tuple[str, ...] = WORDS) -> list[str]:
    """Sentences citing four other notes (fewer on a tiny site): two one at a time, two as a pair."""
    cited: list[int] = []
    while len(cited) < min(CITED_NOTES, n - 1):
        k = rng.randint(1, n)
        if k != number and k not in cited:
            cited.append(k)
    pair = cited[2:] if len(cited) == CITED_NOTES else []
    lines = [f"As Strategy Note {k} argued, {sentence(rng, words).lower()}" for k in cited[:len(cited) - len(pair)]]
    if pair:
        lines.append(f"Strategy Notes {pair[0]} and {pair[1]} show that {sentence(rng, words).lower()}")
    return lines


def note_body(rng: random.Random, number: int, n: int, stock: list[str]) -> str:
    """About 450 words in paragraphs under one or two headings, with citations woven in."""
    paragraphs, own, words = [], [], 0
    while words < PROSE_WORDS:
        shared = rng.random() < SHARED_PARAGRAPH_CHANCE
        text = rng.choice(stock) if shared else paragraph(rng)
        if not shared:
            own.append(len(paragraphs))
        paragraphs.append(text)
        words += len(text.split())
    for line in citations(rng, number, n):
        at = rng.choice(own or range(len(paragraphs)))
        paragraphs[at] = f"{paragraphs[at]} {line}"
    if rng.random() < REPEATED_PARAGRAPH_CHANCE:
        paragraphs.append(paragraphs[0])
    blocks = list(paragraphs)
    for at in sorted(rng.sample(range(1, len(paragraphs)), rng.randint(1, 2)), reverse=True):
        blocks.insert(at, f"## {title_words(rng, rng.randint(2, 4))}")
    return "\n\n".join(blocks) + "\n"


def small_vocabulary_body(rng: random.Random, number: int, n: int, stock: list[str]) -> str:
    """About 500 words of a template: the header and meeting lines, long paragraphs (citations woven
    in), a list, a code block and a table under two headings, and the footer sentence."""
    words = SMALL_WORDS
    paragraphs, own = [], []
    for at in range(LONG_PARAGRAPHS):
        shared = rng.random() < SHARED_PARAGRAPH_CHANCE
        own += [] if shared else [at]
        paragraphs.append(rng.choice(stock) if shared else paragraph(rng, words, LONG_PARAGRAPH_WORDS))
    for line in citations(rng, number, n, words):  # woven into the note's own paragraphs, as in note_body
        at = rng.choice(own or range(len(paragraphs)))
        paragraphs[at] = f"{paragraphs[at]} {line}"
    items = "\n".join(f"- {sentence(rng, words)}" for _ in range(rng.randint(*LIST_ITEMS)))
    code = "\n".join(" ".join(rng.choices(words, k=rng.randint(3, 5))) for _ in range(rng.randint(*CODE_LINES)))
    rows = "\n".join(f"| {title_words(rng, 2, words)} | {rng.choice(words)} | week {rng.randint(1, 52)} |"
                     for _ in range(rng.randint(*TABLE_ROWS)))
    blocks = [
        HEADER_LINE, MEETING_LINE, paragraphs[0],
        f"## {title_words(rng, rng.randint(2, 3), SMALL_TITLE_WORDS)}",
        items, paragraphs[1], f"```text\n{code}\n```",
        f"## {title_words(rng, rng.randint(2, 3), SMALL_TITLE_WORDS)}",
        f"| Action | Who | When |\n| --- | --- | --- |\n{rows}", paragraphs[2], FOOTER_LINE,
    ]
    return "\n\n".join(blocks) + "\n"


def synthetic_notes(n: int, seed: int = 0, kind: str = "varied") -> list[SyntheticNote]:
    """N notes numbered 1..n of the corpus `kind` (KINDS); each draws from its own generator seeded
    by (seed, number), and the small-vocabulary corpus by its name too."""
    if kind not in KINDS:
        raise ValueError(f"unknown corpus {kind!r}: one of {', '.join(KINDS)}")
    small = kind == "small-vocabulary"
    words, lengths, prefix = (SMALL_WORDS, LONG_PARAGRAPH_WORDS, f"{seed}-{kind}") if small \
        else (WORDS, PARAGRAPH_WORDS, f"{seed}")
    stock = [paragraph(random.Random(f"{prefix}-stock-{k}"), words, lengths) for k in range(STOCK_PARAGRAPHS)]
    notes = []
    for number in range(1, n + 1):
        rng = random.Random(f"{prefix}-note-{number}")
        title = (title_words(rng, rng.randint(2, 3), SMALL_TITLE_WORDS) if small
                 else title_words(rng, rng.randint(3, 6)))
        notes.append(SyntheticNote(
            number=number,
            title=f"{title} {number}",
            date=FIRST_DATE + datetime.timedelta(days=3 * number + rng.randint(0, 2)),
            tags=tuple(sorted(rng.sample(TAGS, rng.randint(1, 3)))),
            summary=sentence(rng, words),
            body=(small_vocabulary_body if small else note_body)(rng, number, n, stock),
        ))
    return notes


def note_source(note: SyntheticNote) -> str:
    """The note as a member writes it in notes/: front matter, then the body."""
    post = frontmatter.Post(note.body, number=note.number, title=note.title, date=note.date,
                            tags=list(note.tags), summary=note.summary)
    return frontmatter.dumps(post, sort_keys=False) + "\n"


def plain_page(note: SyntheticNote) -> str:
    """The same note as a plain Material page: title heading, metadata and summary as text."""
    heading = f"# {note.title}\n\n{note.meta_line}\n\n{note.summary}\n\n"
    return frontmatter.dumps(frontmatter.Post(heading + note.body, title=note.title, tags=list(note.tags)),
                             sort_keys=False) + "\n"


OVERRIDES = Path(__file__).resolve().parent.parent / "overrides"  # the project's chrome


def site_config(plugin: bool, flavoured: bool = False) -> dict:
    """mkdocs.yml like the project's own; the baseline drops the plugin, the chrome and hides the note pages.

    `flavoured`: the baseline reads Markdown with the extensions the plugin adds to every site
    (`markdown_ext.SITE_EXTENSIONS`: admonitions, details, superfences, footnotes, highlights,
    callouts and math), as a plain Material site of the same notes would need."""
    config = {
        "site_name": "Benchmark caucus",
        "use_directory_urls": True,
        "theme": {"name": "material", "font": False, "language": "en",
                  "features": ["navigation.tabs", "navigation.top", "search.highlight"]},
        "markdown_extensions": ["attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}],
        "plugins": ["search", "tags"],
    }
    if plugin:
        config["theme"]["custom_dir"] = "overrides"
        config["plugins"].append({"caucus": {"notes_dir": "notes", "unresolved_references": "info"}})
        config["nav"] = [{"Home": "index.md"}, {"Notes": "notes/index.md"}, {"Tags": "tags.md"}]
    else:
        config["nav"] = [{"Home": "index.md"}]
        config["not_in_nav"] = "/notes/*\n/tags.md\n"
        if flavoured:
            from generator.markdown_ext import SITE_EXTENSIONS

            config["markdown_extensions"] += [name for name in SITE_EXTENSIONS
                                              if name not in config["markdown_extensions"]]
    return config


def write_site(root: Path, n: int, seed: int = 0, plugin: bool = True, kind: str = "varied",
               flavoured: bool = False) -> Path:
    """Write a whole site (mkdocs.yml, docs/, and notes/ or docs/notes/) of the corpus `kind` into
    `root`; return root."""
    notes = synthetic_notes(n, seed, kind)
    docs = root / "docs"
    folder, render = (root / "notes", note_source) if plugin else (docs / "notes", plain_page)
    folder.mkdir(parents=True, exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    for note in notes:
        (folder / note.file_name).write_text(render(note), encoding="utf-8")
    latest = LATEST_NOTES_MARKER if plugin else "The notes are listed under tags."
    (docs / "index.md").write_text(f"# Home\n\n{latest}\n", encoding="utf-8")
    (docs / "tags.md").write_text(f"# Tags\n\n{TAGS_MARKER}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(site_config(plugin, flavoured), sort_keys=False), encoding="utf-8")
    if plugin:
        shutil.copytree(OVERRIDES, root / "overrides", dirs_exist_ok=True)
    return root
