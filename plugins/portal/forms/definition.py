"""Read a ``form:`` block from front matter into a form manifest (a plain dict).

The manifest is the one normalised description of a form; everything else (HTML, endpoint
validation, export schema) is derived from it. Its shape is documented by
``manifest.schema.json`` beside this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from portal import i18n, slugs
from portal.fields import FieldReader, did_you_mean
from portal.forms import manifests, versions
from portal.forms.languages import Translations, WordReader, put
from portal.forms.render import says_optional

MANIFEST_VERSION = 1
# Matched with fullmatch: "$" would also match before a final newline ("bus-lanes\n").
ID_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,62}")
# Names the endpoint uses for its own fields; a question may not take them. copy_email is
# the optional "email me a copy" field of a form with email_copy (portal.forms.validate).
RESERVED_IDS = {"website", "submission_id", "copy_email"}
# The "Save and come back later" button and a resumed draft's code (portal.endpoint.drafts).
RESERVED_IDS |= {"portal_action", "draft_code"}
# The language of the page the form was answered on (portal.forms.validate.LANGUAGE_FIELD).
RESERVED_IDS |= {"portal_language"}

COMMON = {
    "id",
    "type",
    "label",
    "hint",
    "required",
    "personal",
    "public",
    "autocomplete",
    "renamed_from",
}
TYPES: dict[str, set[str]] = {
    "text": {"max_length", "min_length"},
    "textarea": {"max_length", "min_length", "rows"},
    "email": set(),
    "number": {"min", "max", "integer"},
    "radio": {"options", "options_from"},
    "checkboxes": {"options", "options_from", "min_selected", "max_selected"},
    "select": {"options", "options_from"},
    "scale": {"min", "max", "min_label", "max_label"},
    "date": {"min", "max"},
    "consent": set(),
}
DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 5000}
# A form's words when it gives none: the portal's own, so in each language (portal.i18n).
DEFAULT_SUBMIT_LABEL = i18n.to_translate("Send response")
DEFAULT_CONFIRMATION = i18n.to_translate(
    "We have your response. We read every response before we decide, and we publish "
    "a summary of what people told us and what we did."
)
FORM_KEYS = {
    "id",
    "title",
    "questions",
    "submit_label",
    "confirmation",
    "retention_days",
    "publication_consent",
    "opens",
    "closes",
    "codebook",
    "email_copy",
    "contact_email",
    "save_and_return",
}


def slugify(text: str) -> str:
    """An option's stored value from its label, when staff give no ``value``."""
    return slugs.slugify(text, fallback="option", max_length=60)


@dataclass(frozen=True)
class OptionList:
    """A list a question may take its options from (``options_from``): the default
    language's words, and each other language's that has them, item for item."""

    labels: list[str]
    translated: dict[str, list[str]] = field(default_factory=dict)


def read_form(
    form: FieldReader,
    *,
    default_id: str,
    default_title: str,
    retention_days: int,
    option_sources: dict[str, OptionList] | None = None,
    languages: tuple[str, ...] = (),
) -> dict[str, Any] | None:
    """Return the manifest's form part (no page or dates), or None after reporting problems.

    ``option_sources`` are lists a question may take its options from with ``options_from``
    (such as ``programme.modules``), so facts written once are not retyped in a form.

    ``languages`` are the languages the form must be complete in, the default first (the
    site's, ``Settings.all_languages``). Each word field may be a map of language to text
    (portal.forms.languages); a language some word is missing in is a warning, and is
    listed in the form's ``untranslated``. A form in more than one language carries
    ``languages`` and ``translations`` (the words of all but the default), which the
    manifest keeps; a single-language form's manifest is as it always was.
    """
    before = len(form.problems)
    words = WordReader(languages or (i18n.SOURCE,))
    form.check_keys(FORM_KEYS, "a form")
    form_id = form.text("id") or default_id
    if not ID_PATTERN.fullmatch(form_id):
        form.problem(
            "id",
            f"form id '{form_id}' is not allowed",
            "use lower-case letters, digits and hyphens, starting with a letter",
        )
    questions = _read_questions(form, option_sources or {}, words)
    title, title_in = words.text(form, "title", what="the form", fallback=default_title)
    submit, submit_in = words.text(
        form, "submit_label", what="the form", fallback=DEFAULT_SUBMIT_LABEL
    )
    confirmation, confirmation_in = words.text(
        form, "confirmation", what="the form", fallback=DEFAULT_CONFIRMATION
    )
    consent = form.text("publication_consent")
    _check_publication_consent(form, consent, questions)
    codebook = _codebook(form)
    if len(form.problems) == before:
        _check_kept_versions(form, form_id, questions)
    if len(form.problems) > before:
        return None
    translations: Translations = {}
    put(translations, "title", title_in)
    locale = form.problems.root / "locale"  # a portal's own catalogues (Settings.locale_dir)
    for key, given, found, fixed in (
        ("submit_label", submit, submit_in, DEFAULT_SUBMIT_LABEL),
        ("confirmation", confirmation, confirmation_in, DEFAULT_CONFIRMATION),
    ):
        # Not written: the portal's own words, in each language.
        put(translations, key, found if given else _in_each(fixed, words.others, locale))
    read: dict[str, Any] = {
        "id": form_id,
        "title": title or default_title,
        "submit_label": submit or i18n.words(words.default, locale)(DEFAULT_SUBMIT_LABEL),
        "confirmation": confirmation or i18n.words(words.default, locale)(DEFAULT_CONFIRMATION),
        "retention_days": form.integer("retention_days", minimum=1) or retention_days,
        "publication_consent": consent,
        "questions": questions,
        "codebook": codebook,
        # An optional "email me a copy" field (portal.mail): the address is kept only
        # until the copy is sent.
        "email_copy": form.boolean("email_copy"),
        # Where the daily digest of new responses goes; a consultation's contact by default.
        "contact_email": form.text("contact_email"),
        # "Save and come back later" (portal.endpoint.drafts): for long forms.
        "save_and_return": form.boolean("save_and_return"),
        # The languages some word is missing in: the build publishes the consultation in
        # none of the site's languages until it is complete (portal check warns where).
        "untranslated": sorted(words.untranslated),
    }
    if words.others:
        read["languages"] = list(words.languages)
        read["translations"] = {code: translations.get(code, {}) for code in words.others}
    return read


def _in_each(message: str, languages: tuple[str, ...], locale: Path) -> dict[str, str]:
    return {code: i18n.words(code, locale)(message) for code in languages}


def _codebook(form: FieldReader) -> list[str]:
    """The themes staff may tag free-text answers with in the staff area (portal.staff)."""
    themes = form.text_list("codebook", hint="write one '- theme' line per theme")
    seen: set[str] = set()
    for index, theme in enumerate(themes):
        if theme.casefold() in seen:
            form.problems.add(
                form.path,
                form.line("codebook", index),
                f"the codebook names the theme '{theme}' twice",
                "keep one of them",
                "field-value",
            )
        elif len(theme) > 200:
            form.problems.add(
                form.path,
                form.line("codebook", index),
                f"the codebook theme '{theme[:40]}...' is {len(theme)} characters long",
                "name each theme in at most 200 characters",
                "field-value",
            )
        seen.add(theme.casefold())
    return themes


def _check_publication_consent(
    form: FieldReader, consent: str | None, questions: list[dict[str, Any]]
) -> None:
    """The consent that allows publishing one person's answers must be theirs to refuse.

    A required consent question is ticked by everyone who sends the form, so it cannot tell
    who agreed to publication: every respondent would be published.
    """
    if not consent:
        return
    question = next((q for q in questions if q["id"] == consent), None)
    if question is None or question["type"] != "consent":
        form.problem(
            "publication_consent",
            f"publication_consent names '{consent}', which is not a consent question",
            "give the id of a question with 'type: consent' and 'required: false'",
        )
    elif question["required"]:
        form.problem(
            "publication_consent",
            f"publication_consent names '{consent}', a required question: everyone who "
            "sends the form has to tick it, so it cannot say who agreed to publication",
            f"add 'required: false' to the question '{consent}' (a consent question is "
            "required unless it says so)",
        )


def _check_kept_versions(form: FieldReader, form_id: str, questions: list[dict[str, Any]]) -> None:
    """Every answer already given must still have a question (and option) to count under.

    The kept versions (portal.forms.versions) are the ones that took responses; an id or
    option value they had that the form no longer has, and that no ``renamed_from`` maps,
    would leave those answers out of every export and every count.
    """
    try:
        kept = versions.kept(form.problems.root, form_id)
    except (OSError, manifests.ManifestError) as error:
        form.problem(
            "id",
            f"the kept versions of the form '{form_id}' cannot be read: {error}",
            f"restore {versions.FOLDER}/{form_id}/ from git",
            "form-version-unreadable",
        )
        return
    current = {"questions": questions}
    kept.pop(versions.of(current), None)
    if not kept:
        return
    raw = form.raw("questions")
    index = {str(item.get("id")): i for i, item in enumerate(raw or []) if isinstance(item, dict)}
    earlier = {q["id"] for manifest in kept.values() for q in manifest["questions"]}
    # Questions that are new since the kept versions and say nothing of where they came
    # from: the likeliest place of a rename, so the problem is reported at them.
    new = [q["id"] for q in questions if q["id"] not in earlier and not versions.renamed_from(q)]
    for change in versions.changes(current, kept):
        where = f"{versions.FOLDER}/{form_id}/{change.version}.json"
        if change.value is None:
            at = ("questions", index[new[0]], "id") if new else ("questions",)
            guess = f"if '{new[0]}' is '{change.question}' renamed, " if new else ""
            form.problems.add(
                form.path,
                form.line(*at),
                f"the form has taken responses (version {change.version}, {where}) with a "
                f"question '{change.question}' that it no longer has: those answers would "
                "not be exported or counted",
                f"{guess}add 'renamed_from: {change.question}' to the question that "
                "replaces it, or put the question back",
                "form-version-changed",
            )
        else:
            item = raw[index[change.question]]
            source = item.get("options_from")
            hint = (
                # A list of facts (options_from) has no place to say what an entry was.
                f"its options come from '{source}': put the entry back there, or give the "
                "question its own 'options:' with '{value: NEW, label: Label, renamed_from: "
                f"{change.value}}}'"
                if source
                else "write the option that replaces it as '- {value: NEW, label: Label, "
                f"renamed_from: {change.value}}}', or put the option back"
            )
            form.problems.add(
                form.path,
                form.line(
                    "questions", index[change.question], "options_from" if source else "options"
                ),
                f"the form has taken responses (version {change.version}, {where}) that "
                f"chose the option '{change.value}' of '{change.question}', which it no "
                "longer has: those answers would not be exported or counted",
                hint,
                "form-version-changed",
            )


def _renamed_from(reader: FieldReader, current: set[str], what: str) -> list[str]:
    """The ids (or option values) a question (or option) had in earlier versions."""
    raw = reader.raw("renamed_from")
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(i, str) and i for i in items):
        reader.problem(
            "renamed_from",
            f"'{reader.name('renamed_from')}' is not a {what} or a list of them",
            f"write 'renamed_from: old_{what.split()[-1]}'",
        )
        return []
    taken = [i for i in items if i in current]
    if taken:
        reader.problem(
            "renamed_from",
            f"renamed_from names '{taken[0]}', which is still in this form",
            f"a {what} can only be renamed from one the form no longer has",
        )
        return []
    return [str(i) for i in items]


def _read_questions(
    form: FieldReader, sources: dict[str, OptionList], words: WordReader
) -> list[dict[str, Any]]:
    if not form.has("questions"):
        form.missing("questions", "add 'questions:' with at least one '- id: ...' entry")
        return []
    readers = form.items("questions")
    if not readers and isinstance(form.raw("questions"), list):
        form.problem("questions", "the form has no questions", "add at least one question")
    seen: dict[str, int] = {}
    questions = []
    read: list[tuple[FieldReader, dict[str, Any]]] = []
    for reader in readers:
        question = _read_question(reader, sources, words)
        if question is None:
            continue
        if question["id"] in seen:
            reader.problem(
                "id",
                f"question id '{question['id']}' is used twice in this form",
                f"the first is on line {seen[question['id']]}; give each question its own id",
            )
            continue
        seen[question["id"]] = reader.line("id")
        questions.append(question)
        read.append((reader, question))
    ids = {q["id"] for q in questions}
    for reader, question in read:
        if old := _renamed_from(reader, ids, "question id"):
            question["renamed_from"] = old
        for option_reader, option in question.pop("_option_readers", []):
            values = {o["value"] for o in question["options"]}
            if old := _renamed_from(option_reader, values, "option value"):
                option["renamed_from"] = old
    return questions


def _read_question(
    q: FieldReader, sources: dict[str, OptionList], words: WordReader
) -> dict[str, Any] | None:
    before = len(q.problems)
    qtype = q.text("type", required=True, hint="add 'type:' (one of " + ", ".join(TYPES) + ")")
    if qtype is not None and qtype not in TYPES:
        hint = did_you_mean(qtype, TYPES) or "use one of: " + ", ".join(TYPES)
        q.problem("type", f"unknown question type '{qtype}'", hint)
        qtype = None
    if qtype is not None:
        q.check_keys(COMMON | TYPES[qtype], f"a '{qtype}' question")
    qid = q.text("id", required=True, hint="add 'id:' with a short name such as 'postcode'")
    if qid is not None and (not ID_PATTERN.fullmatch(qid) or qid in RESERVED_IDS):
        q.problem(
            "id",
            f"question id '{qid}' is not allowed",
            "use lower-case letters, digits, hyphens and underscores, starting with a "
            "letter" + (f"; '{qid}' is reserved" if qid in RESERVED_IDS else ""),
        )
    what = f"the question '{qid}'" if qid else "a question"
    label, label_in = words.text(
        q,
        "label",
        what=what,
        required=True,
        hint="add 'label:' with the question as people read it",
    )
    hint_text, hint_in = words.text(q, "hint", what=what)
    translations: Translations = {}
    put(translations, "label", label_in)
    put(translations, "hint", hint_in)
    required = q.boolean("required", default=qtype == "consent")
    if label and says_optional(label):
        _check_says_optional(q, required)
    question: dict[str, Any] = {
        "id": qid,
        "type": qtype,
        "label": label,
        "hint": hint_text,
        "required": required,
        "personal": q.boolean("personal"),
        "public": q.boolean("public", default=True),
        "autocomplete": q.text("autocomplete") or _autocomplete(qtype),
    }
    if qtype in ("text", "textarea"):
        question["min_length"] = q.integer("min_length", minimum=0)
        question["max_length"] = q.integer("max_length", minimum=1) or DEFAULT_MAX_LENGTH[qtype]
        if qtype == "textarea":
            question["rows"] = q.integer("rows", minimum=2) or 6
    elif qtype == "number":
        question["min"] = q.number("min")
        question["max"] = q.number("max")
        question["integer"] = q.boolean("integer")
        _check_range(q, question["min"], question["max"])
    elif qtype in ("radio", "checkboxes", "select"):
        question["options"] = (
            _options_from(q, sources, words, translations)
            if q.has("options_from")
            else _read_options(q, question, words, translations)
        )
        if qtype == "checkboxes":
            count = len(question["options"])
            question["min_selected"] = q.integer("min_selected", minimum=0)
            question["max_selected"] = q.integer("max_selected", minimum=1)
            _check_range(q, question["min_selected"], question["max_selected"])
            if (question["max_selected"] or 0) > count:
                q.problem(
                    "max_selected",
                    f"max_selected is {question['max_selected']} but "
                    f"there are only {count} options",
                    "lower it or add options",
                )
    elif qtype == "scale":
        low = q.integer("min", default=1) or 1
        high = q.integer("max", default=5) or 5
        if high <= low or high - low > 10:
            q.problem(
                "max",
                f"a scale from {low} to {high} is not allowed",
                "use a scale of 2 to 11 points, such as 1 to 5",
            )
        question["min"], question["max"] = low, high
        for end in ("min_label", "max_label"):
            question[end], found = words.text(q, end, what=what)
            put(translations, end, found)
        question["options"] = [{"value": str(v), "label": str(v)} for v in range(low, high + 1)]
    elif qtype == "date":
        question["min"] = _iso_date(q, "min")
        question["max"] = _iso_date(q, "max")
        _check_range(q, question["min"], question["max"])
    if words.others:
        question["translations"] = {code: translations.get(code, {}) for code in words.others}
    return question if len(q.problems) == before else None


def _check_says_optional(q: FieldReader, required: bool) -> None:
    """A label ending in "(optional)": the form adds those words to every question that is
    not required (theme/portal/forms.html), so staff need not; on a required question they
    tell people something the endpoint then refuses."""
    if required:
        q.problem(
            "label",
            "the label says '(optional)' but the question is required",
            "take '(optional)' out of the label, or make the question optional "
            "(required: false); the form adds '(optional)' itself",
            code="required-says-optional",
        )
        return
    q.problems.note(
        q.path,
        q.line("label"),
        "the label ends with '(optional)', which the form already adds to every question "
        "that is not required",
        "take '(optional)' out of the label; the page shows it once either way, and the "
        "label is also the column's title in exports",
        code="label-says-optional",
    )


def _options_from(
    q: FieldReader, sources: dict[str, OptionList], words: WordReader, translations: Translations
) -> list[dict[str, str]]:
    name = q.text("options_from") or ""
    if q.has("options"):
        q.problem(
            "options", "give either 'options' or 'options_from', not both", "delete one of them"
        )
    if name not in sources:
        hint = did_you_mean(name, sources) or (
            "use one of: " + ", ".join(sorted(sources))
            if sources
            else "no lists are available here"
        )
        q.problem("options_from", f"there is no list called '{name}' to take options from", hint)
        return []
    source = sources[name]
    options = [{"value": slugify(label), "label": label} for label in source.labels]
    missing = []
    for code in words.others:
        labels = source.translated.get(code)
        if labels is None:
            missing.append(code)
            continue
        by_value = {o["value"]: label for o, label in zip(options, labels, strict=True)}
        translations.setdefault(code, {})["options"] = by_value
    where = "programme/index.{code}.md" if name.startswith("programme.") else "its translation"
    words.note_missing(
        q,
        q.line("options_from"),
        f"the list '{name}' the question '{q.raw('id')}' takes its options from",
        "words",
        missing,
        f"write the list in {where}, item for item",
    )
    return options


def _read_options(
    q: FieldReader, question: dict[str, Any], words: WordReader, translations: Translations
) -> list[dict[str, Any]]:
    raw = q.raw("options")
    if raw is None:
        q.missing("options", "add 'options:' with one '- label' line per choice")
        return []
    if not isinstance(raw, list) or len(raw) < 2:
        q.problem(
            "options",
            "a choice question needs a list of at least two options",
            "add one '- label' line per choice",
        )
        return []
    options: list[dict[str, Any]] = []
    values: set[str] = set()
    # Readers of options that say what they were renamed from, checked once all are read.
    renamed: list[tuple[FieldReader, dict[str, Any]]] = []
    labels: dict[str, dict[str, str]] = {}  # language: {value: label}
    what = f"option {{}} of the question '{question['id']}'"
    for index, item in enumerate(raw):
        line = q.line("options", index)
        item_reader = FieldReader(q.path, q.located, q.problems, (*q.prefix, "options", index), {})
        found: dict[str, str] = {}
        if (
            isinstance(item, dict)
            and set(item) <= {"value", "label", "renamed_from"}
            and item.get("label")
        ):
            item_reader.data = item
            # ``label: {en: ..., cy: ...}``, or plain text in the default language.
            text, found = words.text(
                item_reader, "label", what=what.format(index + 1), required=True
            )
            if text is None:
                continue  # reported: a label that is neither text nor a map of it
            label = text
            value = str(item.get("value") or slugify(label))
        elif isinstance(item, dict) and item and not set(item) & {"value", "label", "renamed_from"}:
            # The shorthand ``- {en: Yes, cy: Ydw}``: its value is made from the default
            # language's label, as a plain ``- Yes`` option's is.
            item_reader.data = item
            example = f'- {{{words.default}: "...", {{code}}: "..."}}'
            text, found = words.each(
                item_reader,
                what=what.format(index + 1),
                word="label",
                required=True,
                example=example,
            )
            if text is None:
                continue
            label, value = text, slugify(text)
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            label, value = str(item), slugify(str(item))
            example = f'- {{{words.default}: "{label}", {{code}}: "..."}}'
            words.note_missing(
                q,
                line,
                f"the option '{label}' of the question '{question['id']}'",
                "label",
                list(words.others),
                example,
            )
        else:
            q.problems.add(
                q.path,
                line,
                f"option {index + 1} of '{q.name('options')}' is not valid",
                "write '- label' or '- {value: v, label: Label}' "
                "(with 'renamed_from: old_value' when it replaces an option), or, with "
                "words in each language, '- {en: Label, cy: Label}'",
            )
            continue
        if value in values:
            q.problems.add(
                q.path,
                line,
                f"option '{label}' is given twice",
                "give each option a different label or value",
            )
            continue
        values.add(value)
        options.append({"value": value, "label": label})
        for code, text in found.items():
            labels.setdefault(code, {})[value] = text
        if isinstance(item, dict) and "renamed_from" in item:
            prefix = (*q.prefix, "options", index)
            reader = FieldReader(q.path, q.located, q.problems, prefix, item)
            renamed.append((reader, options[-1]))
    if renamed:
        question["_option_readers"] = renamed
    for code, by_value in labels.items():
        translations.setdefault(code, {})["options"] = by_value
    return options


def _iso_date(q: FieldReader, key: str) -> str | None:
    value = q.raw(key)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        q.problem(key, f"'{q.name(key)}' is not a date: {value!r}", "write it as 2027-01-31")
        return None


def _check_range(q: FieldReader, low: Any, high: Any) -> None:
    if low is not None and high is not None and low > high:
        q.problem(
            "max", f"the maximum ({high}) is below the minimum ({low})", "swap them or correct one"
        )


def _autocomplete(qtype: str | None) -> str | None:
    return "email" if qtype == "email" else None


def manifest(
    form: dict[str, Any],
    *,
    page_url: str,
    page_file: str,
    opens: datetime | None,
    closes: datetime | None,
    timezone: str,
    site_url: str,
    contact_email: str | None = None,
) -> dict[str, Any]:
    """The complete manifest the build writes to api/forms/FORM_ID.json."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "version": versions.of(form),
        "id": form["id"],
        "title": form["title"],
        "page_url": page_url,
        "page_file": page_file,
        "site_url": site_url,
        "opens": opens.isoformat() if opens else None,
        "closes": closes.isoformat() if closes else None,
        "timezone": timezone,
        "submit_label": form["submit_label"],
        "confirmation": form["confirmation"],
        "retention_days": form["retention_days"],
        "publication_consent": form["publication_consent"],
        "questions": form["questions"],
        "codebook": form.get("codebook", []),
        "email_copy": form.get("email_copy", False),
        "contact_email": form.get("contact_email") or contact_email,
        "save_and_return": form.get("save_and_return", False),
    } | _languages(form)


def _languages(form: dict[str, Any]) -> dict[str, Any]:
    """A form in several languages: its languages and the words of all but the default
    (portal.forms.languages); a single-language form's manifest has neither key."""
    if not form.get("languages"):
        return {}
    return {"languages": form["languages"], "translations": form.get("translations", {})}
