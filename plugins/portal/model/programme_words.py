"""The programme page in another language: ``programme/index.cy.md`` beside ``index.md``.

As with a consultation (portal.model.translations), only words are translated. index.md
holds every fact (the start dates, the deadline, the fee's amount, the hours as a number,
where to ask) and the default language's words; index.cy.md holds that language's title,
its text below, and under ``programme:`` the words of the facts that are words::

    ---
    title: Tystysgrif mewn Rheoli Arfordirol
    programme:
      summary: Cwrs rhan-amser ...
      outcomes: [Cynllunio gwaith gyda chymunedau arfordirol]
      duration: 6 mis
      fees: NZ$1,450, i’w dalu mewn dau randaliad
      modules:
        - {title: Erydiad, summary: ...}
    ---

A list (outcomes, modules, delivery...) is translated item for item, in index.md's order:
an enquiry form takes its options from these lists (``options_from``) by position. A word
the translation lacks is shown in the default language, marked as such (``lang``), and
``portal check`` warns at its line; a fact written in the translation is ignored, with a
warning, since it is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from portal.fields import FieldReader
from portal.frontmatter import Located
from portal.i18n import language_name
from portal.model.programme import KEYS, Contact, Fee, Module, Programme
from portal.problems import Problems

TEXTS = (
    "summary",
    "duration",
    "format",
    "certification",
    "funding",
    "awarding_body",
    "level",
    "workshops",
    "how_to_apply",
)
LISTS = ("outcomes", "delivery", "audience", "roles", "sectors", "entry_requirements")
FACTS = ("starts", "apply_by")
# Every word of the programme a language's page may lack (ProgrammeWords.untranslated).
WORDS = frozenset(("title", *TEXTS, *LISTS, "modules", "fees", "contact"))
CODE = "translation-missing"


@dataclass(frozen=True)
class ProgrammeWords:
    """The programme as one language's page shows it, and which of its words (by key:
    'title', 'summary', 'fees'...) are still the default language's."""

    programme: Programme
    untranslated: frozenset[str]


def read_programme_words(
    path: Path, front: Located, original: Programme, language: str, problems: Problems
) -> ProgrammeWords:
    page = FieldReader(path, front, problems)
    missing: list[str] = []

    def lacks(key: str) -> None:
        missing.append(key)

    title = page.text("title") or ""
    if not title:
        lacks("title")
    fm = page.mapping("programme") or FieldReader(path, front, problems, ("programme",), {})
    fm.check_keys(KEYS, "the programme")
    line = fm.line() if "programme" in page.data else 1
    for key in FACTS:
        if fm.has(key):
            problems.note(
                path,
                fm.line(key),
                f"'{fm.name(key)}' is a fact, written once in index.md: it is ignored here",
                f"delete it from {path.name}; change it in index.md",
                CODE,
            )
    words: dict[str, object] = {"title": title or original.title}
    for key in TEXTS:
        if getattr(original, key):
            text = fm.text(key)
            words[key] = text or getattr(original, key)
            if not text:
                lacks(key)
    for key in LISTS:
        wanted: list[str] = getattr(original, key)
        if wanted:
            items = fm.text_list(key)
            if len(items) == len(wanted):
                words[key] = items
            else:
                if items:
                    problems.note(
                        path,
                        fm.line(key),
                        f"'{fm.name(key)}' has {len(items)} items and index.md has "
                        f"{len(wanted)}: a translation gives one for each, in the same order",
                        "translate each item of index.md's list, in its order",
                        CODE,
                    )
                lacks(key)
    if original.modules:
        modules = _modules(fm, original.modules)
        if modules is None:
            lacks("modules")
        else:
            words["modules"] = modules
    if original.fees is not None:
        text = _fee_words(fm)
        if text:
            words["fees"] = Fee(text, original.fees.amount, original.fees.currency)
        else:
            lacks("fees")
    if original.hours is None and original.hours_per_week:
        text = fm.text("hours_per_week")
        words["hours_per_week"] = text or original.hours_per_week
        if not text:
            lacks("hours_per_week")
    if original.contact is not None:
        label = _contact_label(fm)
        if label:
            words["contact"] = Contact(label, original.contact.email, original.contact.url)
        elif original.contact.label and original.contact.label not in (
            original.contact.email,
            original.contact.url,
        ):
            lacks("contact")
    if missing:
        name = language_name(language)
        keys = ", ".join(f"'{key}'" for key in missing)
        problems.note(
            path,
            line,
            f"the programme's {keys} {'has' if len(missing) == 1 else 'have'} no {name} "
            f"({language}) words in {path.name}, so the {name} page shows "
            f"{'it' if len(missing) == 1 else 'them'} in the default language, marked as such",
            f"add {'it' if len(missing) == 1 else 'them'} under 'programme:' in {path.name} "
            f"(and 'title:' above it), in {name}",
            CODE,
        )
    return ProgrammeWords(replace(original, **words), frozenset(missing))  # type: ignore[arg-type]


def _modules(fm: FieldReader, original: list[Module]) -> list[Module] | None:
    """The modules' words, one for each of index.md's, or None."""
    items = fm.items("modules")
    if len(items) != len(original):
        if items:
            fm.problems.note(
                fm.path,
                fm.line("modules"),
                f"'{fm.name('modules')}' has {len(items)} modules and index.md has "
                f"{len(original)}: a translation gives one for each, in the same order",
                "translate each module of index.md's list, in its order",
                CODE,
            )
        return None
    modules = []
    for item, module in zip(items, original, strict=True):
        item.check_keys({"title", "summary"}, "a module")
        title = item.text("title")
        if not title:
            return None
        modules.append(Module(title, item.text("summary") or module.summary))
    return modules


def _fee_words(fm: FieldReader) -> str:
    """``fees: words`` or ``fees: {text: words}``; the amount is index.md's alone."""
    if isinstance(fm.raw("fees"), dict):
        sub = fm.mapping("fees")
        return (sub.text("text") or "") if sub is not None else ""
    return fm.text("fees") or ""


def _contact_label(fm: FieldReader) -> str:
    """``contact: {label: words}``; the address is index.md's alone."""
    if isinstance(fm.raw("contact"), dict):
        sub = fm.mapping("contact")
        return (sub.text("label") or "") if sub is not None else ""
    return ""
