"""Staff review of free-text answers, in git, before any is published one by one.

A free-text answer can name a neighbour or give a phone number, so none reaches the public
(the public export, the results dataset and so the site) until a member of staff has read
it. ``portal review FORM`` writes ``consultations/SLUG/review.yml``: every free-text answer
of every respondent who agreed to publication, by reference, with a decision for staff to
set (``publish``, ``withhold``, or ``redact`` with the text to publish instead). Running it
again keeps every decision and adds the answers that came since.

The file holds no personal field: only the respondent's reference, the day the response
came, and the answers to free-text questions that are neither ``personal`` nor ``public:
false``. An answer whose text in the file is not what the respondent wrote is not published
(staff may have edited ``answer:`` instead of writing ``redacted:``): the commands stop and
say where.

Staff may also decide in the browser, in the staff area (portal.staff.review_pages), and
download the decisions as a review file; ``portal review FORM --from FILE`` merges that
file's decisions into the repository's one (merge_from), to be committed like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from portal.exports import export
from portal.exports.export import ExportError, consented
from portal.frontmatter import Located, parse_yaml
from portal.i18n import ENGLISH, Words
from portal.problems import Problem, Problems
from portal.storage import Storage

FILE_NAME = "review.yml"
FREE_TEXT = ("text", "textarea")
UNDECIDED, PUBLISH, WITHHOLD, REDACT = "undecided", "publish", "withhold", "redact"
DECISIONS = (UNDECIDED, PUBLISH, WITHHOLD, REDACT)
ENTRY_KEYS = ("reference", "received", "question", "answer", "decision", "redacted", "note")
# The shape of the references the endpoint gives (portal.storage.database.new_reference).
REFERENCE = re.compile(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}")
# Stable codes (portal.problems): what is wrong with a review file.
SHAPE, DECISION, UNKNOWN, CHANGED, STALE = (
    "review-invalid",
    "review-decision",
    "review-reference",
    "review-answer-changed",
    "review-stale",
)
CONSULTATION_PAGE = re.compile(r"/consultations/([^/]+)/$")


class ReviewError(ExportError):
    """The review file cannot be used; carries its problems, each at its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Entry:
    """One free-text answer of one respondent, and what staff decided about it."""

    reference: str
    question: str
    answer: str
    received: str = ""
    decision: str = UNDECIDED
    redacted: str = ""
    note: str = ""
    line: int = 0  # in the review file; 0 for an entry not read from one

    @property
    def published(self) -> str | None:
        """The text the public may read, or None while it is withheld or undecided."""
        if self.decision == PUBLISH:
            return self.answer
        if self.decision == REDACT:
            return self.redacted
        return None


@dataclass
class Review:
    path: Path
    form_id: str
    entries: list[Entry] = field(default_factory=list)

    def find(self, reference: str, question: str) -> Entry | None:
        return self._by_key().get((reference, question))

    def _by_key(self) -> dict[tuple[str, str], Entry]:
        return {(e.reference, e.question): e for e in self.entries}


@dataclass(frozen=True)
class Tally:
    """Free-text answers of consenting respondents, by what the review decided."""

    published: int = 0  # as written
    redacted: int = 0  # published with personal details taken out
    withheld: int = 0
    awaiting: int = 0  # no decision yet, or not in the review file at all

    def sentence(self, _: Words = ENGLISH) -> str:
        """What happened to the written answers, in ``_``'s language. Each count is a
        plural of its own (Welsh has six forms), computed before its message so that
        ``make messages`` extracts every form."""
        total = self.published + self.redacted + self.withheld + self.awaiting
        if not total:
            return _("No written answers from respondents who agreed to publication.")
        shown = self.published + self.redacted
        of_total = _.plural(
            "Of {n} written answer from respondents who agreed to publication",
            "Of {n} written answers from respondents who agreed to publication",
            total,
        )
        published = _.plural(
            "{n} is published ({redacted} edited by staff to take out personal details)",
            "{n} are published ({redacted} edited by staff to take out personal details)",
            shown,
            redacted=self.redacted,
        )
        withheld = _.plural(
            "{n} is withheld after review", "{n} are withheld after review", self.withheld
        )
        awaiting = _.plural("{n} is awaiting review", "{n} are awaiting review", self.awaiting)
        return _(
            "{of_total}, {published}, {withheld} and {awaiting}.",
            of_total=of_total,
            published=published,
            withheld=withheld,
            awaiting=awaiting,
        )


def _noun(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def text_questions(form: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions whose answers are reviewed: free text that may be published."""
    return [
        q
        for q in form["questions"]
        if q["type"] in FREE_TEXT and not q.get("personal") and q.get("public", True)
    ]


def consultation_slug(manifest: dict[str, Any]) -> str | None:
    found = CONSULTATION_PAGE.search(str(manifest.get("page_url") or ""))
    return found.group(1) if found else None


def path_for(root: Path, manifest: dict[str, Any]) -> Path | None:
    """Where a form's review file lives: beside its consultation (None for a page form)."""
    slug = consultation_slug(manifest)
    return root / "consultations" / slug / FILE_NAME if slug else None


# Reading and checking ---------------------------------------------------------------


def read(path: Path, form: dict[str, Any], problems: Problems) -> Review:
    """The review file, with a problem at the line of everything wrong in it.

    A missing file is an empty review: nothing has been decided, so nothing is published.
    """
    review = Review(path, form["id"])
    if not path.is_file():
        return review
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        problems.add(path, None, "the review file cannot be read as UTF-8 text", "", SHAPE)
        return review
    located = parse_yaml(text, path, problems)
    if located is None:
        return review
    data = located.data
    for key in data:
        if key not in ("form", "answers"):
            problems.add(path, located.line(key), f"unknown field '{key}'", "", SHAPE)
    if data.get("form") != form["id"]:
        problems.add(
            path,
            located.line("form"),
            f"this review is for the form '{data.get('form')}', not '{form['id']}'",
            f"write 'form: {form['id']}' or run 'portal review {form['id']}' again",
            SHAPE,
        )
    items = data.get("answers")
    if items is None:
        items = []
    if not isinstance(items, list):
        problems.add(
            path, located.line("answers"), "'answers' must be a list", "one '- ' per answer", SHAPE
        )
        return review
    questions = {q["id"] for q in text_questions(form)}
    seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        entry = _entry(path, located, index, item, questions, problems)
        if entry is None:
            continue
        pair = (entry.reference, entry.question)
        if pair in seen:
            problems.add(
                path,
                entry.line,
                f"{entry.reference}'s answer to '{entry.question}' is listed twice "
                f"(first at line {seen[pair]})",
                "keep one of them",
                UNKNOWN,
            )
            continue
        seen[pair] = entry.line
        review.entries.append(entry)
    return review


def _entry(
    path: Path,
    located: Located,
    index: int,
    item: Any,
    questions: set[str],
    problems: Problems,
) -> Entry | None:
    line = located.line("answers", index)
    if not isinstance(item, dict):
        problems.add(path, line, "each answer must be a set of 'key: value' lines", "", SHAPE)
        return None

    def at(key: str) -> int:
        return located.line("answers", index, key)

    before = len(problems)
    for key in item:
        if key not in ENTRY_KEYS:
            hint = "fields: " + ", ".join(ENTRY_KEYS)
            problems.add(path, at(str(key)), f"unknown field '{key}'", hint, SHAPE)
    reference, question = item.get("reference"), item.get("question")
    answer, decision = item.get("answer"), item.get("decision", UNDECIDED)
    redacted, note = item.get("redacted"), item.get("note")
    if not isinstance(reference, str) or not REFERENCE.fullmatch(reference):
        problems.add(
            path,
            at("reference"),
            f"'{reference}' is not a response reference",
            "references look like PR-ABCD-2345; run 'portal review' again to list them",
            UNKNOWN,
        )
    if not isinstance(question, str) or question not in questions:
        problems.add(
            path,
            at("question"),
            f"the form has no free-text question '{question}' that could be published",
            "questions reviewed here: " + (", ".join(sorted(questions)) or "none"),
            UNKNOWN,
        )
    if not isinstance(answer, str):
        problems.add(
            path, at("answer"), "'answer' must be the text the respondent wrote", "", SHAPE
        )
    if decision not in DECISIONS:
        problems.add(
            path,
            at("decision"),
            f"'{decision}' is not a decision",
            "write publish, withhold, redact (with the text to publish under 'redacted:') "
            "or undecided",
            DECISION,
        )
    elif decision == REDACT and not (isinstance(redacted, str) and redacted.strip()):
        problems.add(
            path,
            at("decision"),
            "'redact' needs the text to publish instead, under 'redacted:'",
            "write the answer with the personal details taken out, or decide withhold",
            DECISION,
        )
    elif decision != REDACT and redacted is not None:
        problems.add(
            path,
            at("redacted"),
            f"a redacted text is given but the decision is '{decision}'",
            "write 'decision: redact' to publish the redacted text, or remove 'redacted:'",
            DECISION,
        )
    if note is not None and not isinstance(note, str):
        problems.add(path, at("note"), "'note' must be text", "", SHAPE)
    if len(problems) > before:
        return None
    return Entry(
        reference=str(reference),
        question=str(question),
        answer=str(answer),
        received=str(item.get("received") or ""),
        decision=str(decision),
        redacted=str(redacted or ""),
        note=str(note or ""),
        line=line,
    )


def stored_problems(
    review: Review, manifest: dict[str, Any], rows: list[dict[str, Any]], problems: Problems
) -> None:
    """What the database shows wrong in the file: a reference that is not a consenting
    respondent's, or an answer whose text is not what they wrote."""
    stored = {(e.reference, e.question): e.answer for e in entries_from(manifest, rows)}
    for entry in review.entries:
        answer = stored.get((entry.reference, entry.question))
        if answer is None:
            problems.add(
                review.path,
                entry.line,
                f"{entry.reference} has no answer to '{entry.question}' among the responses "
                "of respondents who agreed to publication",
                "check the reference, or run 'portal review' again to list the answers as they are",
                UNKNOWN,
            )
        elif answer != entry.answer:
            problems.add(
                review.path,
                entry.line,
                f"the answer of {entry.reference} to '{entry.question}' is not what they wrote",
                "keep 'answer:' as written; to publish an edited text write it under "
                "'redacted:' with 'decision: redact'",
                CHANGED,
            )


# Writing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    added: int
    kept: int
    dropped: int  # entries whose response no longer holds that answer (purged, or unknown)


def entries_from(manifest: dict[str, Any], rows: list[dict[str, Any]]) -> list[Entry]:
    """Every free-text answer of every consenting respondent, in the order they came."""
    questions = [q["id"] for q in text_questions(manifest)]
    found = []
    for row in rows:
        answers = row["answers"] or {}
        if not consented(manifest, answers):
            continue
        for question in questions:
            value = answers.get(question)
            if isinstance(value, str) and value.strip():
                received = row["received_at"].date().isoformat()
                found.append(Entry(row["reference"], question, value, received))
    return found


def write(path: Path, manifest: dict[str, Any], rows: list[dict[str, Any]]) -> Written:
    """Write the review file: today's answers, each with the decision it already had."""
    problems = Problems(path.parent)
    earlier = read(path, manifest, problems)
    if problems:
        raise ReviewError(problems.items)
    now = entries_from(manifest, rows)
    kept = 0
    merged = []
    for entry in now:
        before = earlier.find(entry.reference, entry.question)
        if before is not None and before.answer == entry.answer:
            kept += 1
            entry = replace(before, received=entry.received, line=0)
        merged.append(entry)
    _save(path, manifest, merged)
    return Written(path, len(merged) - kept, kept, len(earlier.entries) - kept)


def _save(path: Path, manifest: dict[str, Any], entries: list[Entry]) -> None:
    """Write the file through a scratch copy that must read back exactly, then move it."""
    text = render(manifest, entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    again = read(scratch, manifest, Problems(path.parent))
    if [(e.reference, e.question, e.answer) for e in again.entries] != [
        (e.reference, e.question, e.answer) for e in entries
    ]:  # YAML must give back every answer exactly, or decisions would not match them
        scratch.unlink()
        raise ExportError(
            f"{path}: the answers did not read back exactly as written; nothing was changed"
        )
    scratch.replace(path)


class _Dumper(yaml.SafeDumper):
    """Answers with line breaks as literal blocks, so staff read them as written."""


# Line breaks YAML folds when they stand raw in a quoted or plain scalar; double quotes
# escape them, so an answer holding one reads back exactly.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(c in value for c in _OTHER_BREAKS) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def render(manifest: dict[str, Any], entries: list[Entry]) -> str:
    questions = text_questions(manifest)
    head = [
        f'# Review of the free-text answers to "{manifest["title"]}" (form {manifest["id"]}).',
        "# Only respondents who agreed to publication are listed. Nothing here is published",
        "# until you decide; then 'portal results' and 'portal export --public' publish it.",
        "# For each answer set 'decision:' to",
        "#   publish    publish the answer as written",
        "#   withhold   never publish it",
        "#   redact     publish the text under 'redacted:' instead (write it with names,",
        "#              addresses, phone numbers and other personal details taken out)",
        "#   undecided  not reviewed yet (not published)",
        "# Keep 'answer:' as the respondent wrote it. 'note:' is yours (kept, never published).",
        f"# 'portal review {manifest['id']}' adds new answers and keeps every decision.",
        "# Questions reviewed:",
        *(f"#   {q['id']}: {' '.join(str(q['label']).split())}" for q in questions),
        "",
    ]
    items = []
    for e in entries:
        item: dict[str, Any] = {
            "reference": e.reference,
            "received": e.received,
            "question": e.question,
            "answer": e.answer,
            "decision": e.decision,
        }
        if e.decision == REDACT:
            item["redacted"] = e.redacted
        if e.note:
            item["note"] = e.note
        items.append(item)
    body = yaml.dump(
        {"form": manifest["id"], "answers": items},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )
    return "\n".join(head) + body


# Applying ---------------------------------------------------------------------------


def apply(
    review: Review, manifest: dict[str, Any], rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], Tally]:
    """The rows with every free-text answer as reviewed: the published text, or None.

    Only consenting respondents' answers are tallied; the others are never published one
    by one, whatever the review says.
    """
    questions = [q["id"] for q in text_questions(manifest)]
    published = redacted = withheld = awaiting = 0
    out = []
    for row in rows:
        answers = dict(row["answers"] or {})
        agreed = consented(manifest, answers)
        for question in questions:
            value = answers.get(question)
            if not (isinstance(value, str) and value.strip()):
                continue
            entry = review.find(row["reference"], question)
            text = entry.published if entry is not None and entry.answer == value else None
            answers[question] = text if agreed else None
            if not agreed:
                continue
            if text is None:
                withheld += entry is not None and entry.decision == WITHHOLD
                awaiting += entry is None or entry.decision != WITHHOLD
            elif entry is not None and entry.decision == REDACT:
                redacted += 1
            else:
                published += 1
        out.append({**row, "answers": answers})
    return out, Tally(published, redacted, withheld, awaiting)


def checked(root: Path, manifest: dict[str, Any], rows: list[dict[str, Any]]) -> Review:
    """The form's review file, checked against the stored responses; raises ReviewError
    with every problem. A form without a review file has nothing reviewed yet."""
    path = path_for(root, manifest)
    problems = Problems(root)
    if path is None:
        return Review(root / FILE_NAME, manifest["id"])
    review = read(path, manifest, problems)
    if not problems:
        stored_problems(review, manifest, rows, problems)
    if problems:
        raise ReviewError(problems.items)
    return review


def public_text(
    manifest: dict[str, Any],
    rows: list[dict[str, Any]],
    root: Path | None,
    given: Review | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """For the public export: the manifest (free-text answers no longer required, since a
    withheld one is empty), the rows as reviewed, and a sentence saying what was withheld.

    The review is ``given`` (the staff area's decisions), else ROOT's review file. Raises
    ReviewError when the review file is wrong. Without either nothing is reviewed, so no
    free text is published.
    """
    if given is not None:
        review = given
    elif root is not None:
        review = checked(root, manifest, rows)
    else:
        review = Review(Path(), manifest["id"])
    reviewed, tally = apply(review, manifest, rows)
    ids = {q["id"] for q in text_questions(manifest)}
    loosened = {
        **manifest,
        "questions": [
            {**q, "required": False} if q["id"] in ids else q for q in manifest["questions"]
        ],
    }
    note = f" Free-text answers are published only as staff reviewed them. {tally.sentence()}"
    return loosened, reviewed, note


# The command ---------------------------------------------------------------------------


def unreviewable(manifest: dict[str, Any]) -> str | None:
    """Why the form has nothing to review, or None when it has (the command and the staff
    area's review page say the same)."""
    if consultation_slug(manifest) is None:
        return (
            f"the form '{manifest['id']}' is not a consultation's: only a consultation's "
            "answers are published one by one, so there is nothing to review"
        )
    if not manifest.get("publication_consent"):
        return (
            f"the form '{manifest['id']}' asks no publication consent "
            "(publication_consent:), so no answer is published one by one: nothing to review"
        )
    if not text_questions(manifest):
        return (
            f"the form '{manifest['id']}' has no free-text question that may be published: "
            "nothing to review"
        )
    return None


def stored_rows(storage: Storage, site_dir: Path, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's responses, each read with the version of the form it answered."""
    return export.current_rows(storage, site_dir, manifest)


def run(storage: Storage, site_dir: Path, root: Path, manifest: dict[str, Any]) -> str:
    """``portal review FORM``: write the review file; say what changed in it."""
    path = path_for(root, manifest)
    if (problem := unreviewable(manifest)) is not None or path is None:
        raise ExportError(str(problem))
    done = write(path, manifest, stored_rows(storage, site_dir, manifest))
    undecided = sum(e.decision == UNDECIDED for e in read(path, manifest, Problems(root)).entries)
    return (
        f"{done.path}: {done.added} new {_noun(done.added, 'answer')}, {done.kept} kept with "
        f"their decisions, {done.dropped} no longer stored and taken out; {undecided} "
        f"awaiting a decision"
    )


# Decisions made elsewhere ---------------------------------------------------------------


def decided(form_id: str, entries: list[Entry], decisions: dict[tuple[str, str], Entry]) -> Review:
    """A review of ``entries`` (as the responses hold them now) with the decisions made in
    the staff area, keyed by (reference, question). Each decision is matched to the answer
    as stored, so it can never publish any other text."""
    merged = [
        replace(entry, decision=d.decision, redacted=d.redacted, note=d.note)
        if (d := decisions.get((entry.reference, entry.question))) is not None
        else entry
        for entry in entries
    ]
    return Review(Path(FILE_NAME), form_id, merged)


@dataclass(frozen=True)
class Merged:
    """What ``portal review FORM --from FILE`` did to the repository's review file."""

    path: Path
    decided: int  # decisions taken from the file (new or changed)
    changed: int  # of those, how many replaced a different decision
    added: int  # answers the repository's file did not list yet
    awaiting: int  # entries still without a decision

    def sentence(self, source: Path) -> str:
        return (
            f"{self.path}: {self.decided} {_noun(self.decided, 'decision')} taken from "
            f"{source} ({self.changed} replacing a different one), {self.added} "
            f"{_noun(self.added, 'answer')} added; {self.awaiting} awaiting a decision"
        )


def merge_from(root: Path, manifest: dict[str, Any], source: Path) -> Merged:
    """Merge the decisions in ``source`` (a review file downloaded from the staff area) into
    the form's review file in ``root``. Raises ReviewError with every problem, each at its
    line, and changes nothing then.

    A decision in ``source`` replaces the repository's; an undecided entry there leaves the
    repository's decision alone (the staff area does not know what was decided in git). An
    entry whose answer differs from the repository's for the same reference and question is
    refused: one of the two files was edited by hand.
    """
    path = path_for(root, manifest)
    if (problem := unreviewable(manifest)) is not None or path is None:
        raise ExportError(str(problem))
    if not source.is_file():
        raise ExportError(f"{source}: there is no such file")
    problems = Problems(root)
    given = read(source, manifest, problems)
    earlier = read(path, manifest, problems)
    if problems:
        raise ReviewError(problems.items)
    for entry in given.entries:
        before = earlier.find(entry.reference, entry.question)
        if before is not None and before.answer != entry.answer:
            problems.add(
                source,
                entry.line,
                f"the answer of {entry.reference} to '{entry.question}' is not the one in "
                f"{problems.relative(path)} (line {before.line})",
                "keep 'answer:' as the respondent wrote it in both files; download the file "
                "from the staff area again",
                CHANGED,
            )
    if problems:
        raise ReviewError(problems.items)
    changes = {(e.reference, e.question): e for e in given.entries if e.decision != UNDECIDED}
    merged: list[Entry] = []
    taken = replaced = 0
    for before in earlier.entries:
        new = changes.get((before.reference, before.question))
        # A note written only in git is kept when the staff area's decision has none.
        after = (
            before
            if new is None
            else replace(
                before, decision=new.decision, redacted=new.redacted, note=new.note or before.note
            )
        )
        if (after.decision, after.redacted, after.note) != (
            before.decision,
            before.redacted,
            before.note,
        ):
            taken += 1
            replaced += before.decision not in (UNDECIDED, after.decision)
        merged.append(replace(after, line=0))
    added = [
        replace(e, line=0) for e in given.entries if earlier.find(e.reference, e.question) is None
    ]
    taken += sum(e.decision != UNDECIDED for e in added)
    merged.extend(added)
    _save(path, manifest, merged)
    awaiting = sum(e.decision == UNDECIDED for e in merged)
    return Merged(path, taken, replaced, len(added), awaiting)
