"""`caucus-site`: the members' command line (click, which MkDocs already depends on).

It reads mkdocs.yml with MkDocs' YAML loader (for `!ENV` tags) and validates
the `caucus` plugin options with the core's `options` table, which the plugin's
schema is made from, without loading the plugin; then it runs the same core
pipeline a build runs, so `check` says exactly what `mkdocs build` would.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sys
from pathlib import Path

import click
import yaml
from mkdocs.utils import yaml_load

from . import applications as sealed, report
from .join import FIELDS
from .model import Settings
from .options import InvalidOptions, reads_attr_list, settings_from
from .dedup import dedupe_corpus, describe_fix
from .markdown_ext import missing_extensions
from .export import ENGINES, exported_files
from .fix import fix_file
from .pipeline import analyse, build_site
from .scaffold import NumberTaken, new_note
from .sources import claimed_numbers, load_corpus


class ConfigProblem(click.ClickException):
    exit_code = 2


def load_settings(config_file: Path) -> Settings:
    """Settings from mkdocs.yml (its folder is the root); defaults when there is none."""
    root = config_file.resolve().parent
    if not config_file.exists():
        return Settings(root=str(root))
    try:
        with config_file.open("rb") as fh:
            raw = yaml_load(fh) or {}
    except Exception as exc:  # MkDocs' loader raises several types for a bad file
        raise ConfigProblem(f"{config_file}: cannot be read as YAML: {exc}") from exc
    try:
        return settings_from(_plugin_options(raw.get("plugins") or []), root, str(raw.get("docs_dir") or "docs"),
                             str(raw.get("site_name") or ""), str(raw.get("site_url") or ""),
                             config_file.name, bool(raw.get("use_directory_urls", True)),
                             reads_attr_list(raw.get("markdown_extensions")))
    except InvalidOptions as exc:
        raise ConfigProblem("; ".join(f"{config_file}: {line}" for line in exc.lines)) from exc


def _plugin_options(plugins) -> object:
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins)
    for name, options in entries:
        if name == "caucus":
            return options
    return {}


config_option = click.option(
    "-f", "--config-file", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"), show_default=True, help="The site's mkdocs.yml.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Tools for the caucus site: check notes before you commit them."""


@main.command()
@config_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(config_file: Path, strict: bool, fmt: str) -> None:
    """Report every problem in notes and project pages as path:line: level: message.

    Exit 1 when there are errors (with --strict, warnings too), else 0.
    """
    found = analyse(load_settings(config_file))  # what a build would report, without making the pages
    findings = found.findings
    click.echo(report.as_json(findings) if fmt == "json" else report.as_text(findings), nl=False)
    failing = {"error", "warning"} if strict else {"error"}
    bad = [f for f in findings if f.level in failing]
    if fmt == "text":
        click.echo(f"{len(found.corpus.notes)} notes checked: "
                   f"{sum(f.level == 'error' for f in findings)} errors, "
                   f"{sum(f.level == 'warning' for f in findings)} warnings", err=True)
    sys.exit(1 if bad else 0)


@main.command()
@config_option
@click.argument("title")
@click.option("--number", type=click.IntRange(min=1), help="Use this number instead of the next free one.")
@click.option("--tags", default="", help="Comma-separated tags, e.g. unions,inquiry.")
def new(config_file: Path, title: str, number: int | None, tags: str) -> None:
    """Create the next numbered note with front matter and print its path."""
    settings = load_settings(config_file)
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    try:
        rel, text = new_note(title, claimed_numbers(settings), settings.notes_dir,
                             datetime.date.today(), number, tag_list)
    except NumberTaken as exc:
        raise click.ClickException(str(exc)) from exc
    path = Path(settings.root) / rel
    if path.exists():
        raise click.ClickException(f"{rel} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    click.echo(rel)


@main.command()
@config_option
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True,
              help="The engine that will build TARGET: zensical reads links in raw HTML from the Markdown "
                   "file's folder, MkDocs from the page's URL, so they are written for one or the other.")
def export(config_file: Path, target: Path, engine: str) -> None:
    """Write the site as plain Markdown plus a mkdocs.yml that needs no caucus plugin.

    Building TARGET with plain MkDocs (or, exported with --engine zensical, with Zensical)
    gives the same pages and links.
    """
    settings = load_settings(config_file)
    site = build_site(settings)
    if site.errors:
        click.echo(report.as_text(site.errors), nl=False)
        raise click.ClickException("the site has errors; fix them before exporting")
    if target.exists() and any(target.iterdir()):
        raise click.ClickException(f"{target} is not empty; export into a new folder")
    config = _exported_config(config_file)
    docs = target / "docs"
    count = 0
    for rel, content in exported_files(site, engine):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        count += 1
    overrides = config.get("theme", {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    if overrides:
        shutil.copytree(Path(settings.root) / overrides, target / overrides)
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    click.echo(f"{count} files written to {target}/docs, with {target}/mkdocs.yml")


def _exported_config(config_file: Path) -> dict:
    """mkdocs.yml without the caucus plugin (and so without its secrets), docs in docs/."""
    with config_file.open("rb") as fh:
        config = dict(yaml_load(fh) or {})
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        config["plugins"] = {k: v for k, v in plugins.items() if k != "caucus"}
    else:
        config["plugins"] = [p for p in plugins if p != "caucus" and not (isinstance(p, dict) and "caucus" in p)]
    config["docs_dir"] = "docs"
    config.pop("site_dir", None)
    extensions = list(config.get("markdown_extensions") or [])  # the blocks the plugin would have added
    config["markdown_extensions"] = extensions + missing_extensions(extensions)
    hidden = [line for line in str(config.get("not_in_nav") or "").splitlines() if line.strip()]
    config["not_in_nav"] = "\n".join(hidden + ["/notes/**/*.md"]) + "\n"
    return config


@main.command(name="import")
@config_option
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing.")
def import_notes(config_file: Path, sources: tuple[Path, ...], dry_run: bool) -> None:
    """Bring existing notes in: archive pages and HTML, .txt, .mbox/.eml mail, .docx documents.

    Each note becomes notes/NNNN-slug.md with front matter. Nothing is written when any source
    has an error (exit 1); a note whose number or file is already there is skipped, so running
    the same import again writes nothing new.
    """
    from . import importer  # BeautifulSoup, markdownify, mammoth: loaded only for an import

    settings = load_settings(config_file)
    root = Path(settings.root)
    reading = importer.Reading()
    for path in sources:
        reading.extend(importer.read_source(path, str(path), settings.citation_word))
    existing = [p.relative_to(root).as_posix() for p in (root / settings.notes_dir).rglob("*.md")]
    planned, planning = importer.plan(reading.notes, claimed_numbers(settings), existing, settings.notes_dir)
    findings = sorted(reading.findings + planning)
    click.echo(report.as_text(findings), nl=False)
    errors = [f for f in findings if f.level == "error"]
    if errors:
        click.echo(f"{len(errors)} error(s): nothing was written", err=True)
        sys.exit(1)
    if dry_run:
        for item in planned:
            click.echo(f"would write {item.path} ({item.note.source}:{item.note.line})")
        click.echo(f"{len(planned)} note(s) would be written", err=True)
        return
    _write_all(root, planned)
    for item in planned:
        click.echo(f"wrote {item.path}")
    click.echo(f"{len(planned)} note(s) written, {len(findings) - len(errors)} skipped or noted", err=True)


def _write_all(root: Path, planned) -> None:
    """Every file or none: a failure part-way takes back what this import wrote."""
    written: list[Path] = []
    try:
        for item in planned:
            path = root / item.path
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                written.append(path)
                handle.write(item.text)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise click.ClickException(f"{exc}; nothing was written") from exc


@main.command()
@config_option
@click.option("--fix", is_flag=True, help="Remove repeats inside notes from the files (nothing else).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def dedup(config_file: Path, fix: bool, fmt: str) -> None:
    """List repeated passages: inside notes (left out of pages) and across notes (reported).

    With --fix, repeats inside a note are removed from its file; short blocks
    and passages shared with other notes are never touched.
    """
    settings = load_settings(config_file)
    corpus = load_corpus(settings)
    result = dedupe_corpus(corpus, settings)
    fixed = []
    if fix:
        for note in corpus.notes:
            if note.url in result.removals:
                removals, body_line = fix_file(Path(settings.root) / note.path, note.path, settings.dedup_min_words)
                fixed += [{"path": note.path, "start_line": body_line + r.start, "end_line": body_line + r.end - 1,
                           "repeats": f"{body_line + r.first_start}-{body_line + r.first_end - 1}"}
                          for r in removals]
    if fmt == "json":
        click.echo(json.dumps({"findings": [r.as_dict() for r in result.repeats], "fixed": fixed},
                              ensure_ascii=False, indent=2))
        return
    click.echo(report.as_text([r.finding for r in result.repeats]), nl=False)
    for item in fixed:
        click.echo(describe_fix(item))
    if fix:
        click.echo(f"{len(fixed)} repeat(s) removed from {len({i['path'] for i in fixed})} file(s)", err=True)


@main.group()
def applications() -> None:
    """The membership secretary's key pair and the sealed applications the join form sends."""


@applications.command()
@config_option
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def keygen(config_file: Path, path: Path) -> None:
    """Write a new private key to PATH (mode 0600) and print the public key line for mkdocs.yml.

    PATH must be outside the repository: the private key never goes into Git.
    Keep it in a password manager or on an offline machine.
    """
    target = path.expanduser().resolve()
    repository = _repository(config_file)
    if repository is not None and target.is_relative_to(repository):
        raise click.ClickException(f"{path} is inside the repository ({repository}); write the private key "
                                   "outside it (a password manager or an offline machine), never where Git sees it")
    pem, public = sealed.new_private_key()
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{path} already exists; keep it (it opens the applications sealed to it) "
                                   "and write the new key to another file") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from None
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)  # whatever the umask
        handle.write(pem)
    click.echo(f"join_public_key: {public}")
    click.echo(f"The private key is in {path} (readable by you only). Put the line above under "
               "`plugins: - caucus:` in mkdocs.yml; the public key may be committed.", err=True)


def _repository(config_file: Path) -> Path | None:
    """The folder Git tracks around mkdocs.yml (else mkdocs.yml's folder), or None with neither."""
    start = config_file.resolve().parent if config_file.exists() else Path.cwd().resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start if config_file.exists() else None


@applications.command()
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The private key `keygen` wrote.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def read(key_path: Path, fmt: str, files: tuple[Path, ...]) -> None:
    """Open the sealed applications in FILES (or standard input) and print each one's fields.

    FILES are as they arrive: a form service's email or CSV export, a saved email; every sealed
    application in them is read. One that cannot be opened (another key, damaged or altered on
    the way) is named on standard error and the others are still read; exit 1 if any failed.
    """
    try:
        key = sealed.load_private_key(key_path.read_bytes())
    except (sealed.BadKey, OSError) as exc:
        raise click.ClickException(f"{key_path}: {exc}") from None
    sources = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    read_all, failed = [], 0
    for name, text in sources or [("<stdin>", sys.stdin.read())]:
        found = sealed.find_tokens(text)
        if not found:
            click.echo(f"{name}: error: no sealed application found", err=True)
            failed += 1
        for number, token in enumerate(found, start=1):
            where = f"{name}:{token.line}: application {number}"
            try:
                fields = sealed.open_token(token.version, token.body, key)
            except sealed.Unreadable as exc:
                click.echo(f"{where}: error: {exc}", err=True)
                failed += 1
                continue
            read_all.append({"source": name, "line": token.line, "application": number, "fields": fields})
            if fmt == "text":
                click.echo(_as_text(where, fields))
    if fmt == "json":
        click.echo(json.dumps(read_all, ensure_ascii=False, indent=2))
    click.echo(f"{len(read_all)} application(s) read, {failed} failed", err=True)
    sys.exit(1 if failed else 0)


def _as_text(where: str, fields: dict[str, str]) -> str:
    labels = {field.name: field.label for field in FIELDS}
    names = [f.name for f in FIELDS if f.name in fields] + [n for n in fields if n not in labels]
    lines = [where]
    for name in names:
        value = fields[name].replace("\r\n", "\n").replace("\n", "\n    ")
        lines.append(f"  {labels.get(name, name)}: {value}")
    return "\n".join(lines) + "\n"
