"""mkdocs.yml, checked as the build will read it, with the line of every problem.

The portal's own options are checked here, with words a publisher can act on; then MkDocs
validates the whole file as the build does, and whatever it would refuse is reported at the
line of the setting it names. Both generators read this file, so both depend on it.
"""

from __future__ import annotations

import logging
import re
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal import frame, i18n, licences
from portal.fields import did_you_mean, kind
from portal.frontmatter import Located, parse_yaml
from portal.glossary import OPTION
from portal.problems import Problem, Problems
from portal.settings import OPTIONS, _LenientLoader, site_languages, timezone_is_known

CONFIG = "mkdocs.yml"
TYPE_NAMES = {bool: "true or false", int: "a whole number", str: "text"}
EXAMPLES = {bool: "true", int: "730", str: "'Europe/London'"}
TYPE_NAMES[dict] = "'label: page' lines"  # footer_links (portal.frame)
EXAMPLES[dict] = "{Privacy notice: privacy.md}"
TYPE_NAMES[list] = "a list in square brackets"  # languages (portal.languages)
EXAMPLES[list] = "[en, cy]"
# The options whose type reads otherwise than the others of theirs (portal.glossary).
TYPES = {OPTION: "a language code ('cy:') with 'text: translation' lines under it"}
OPTION_EXAMPLES = {OPTION: "{cy: {Open data: Data agored}}"}
# "Plugin 'portal' option 'retention_days': ...": MkDocs' words for a plugin's option.
PLUGIN_OPTION = re.compile(r"^Plugin '([^']+)' option '([^']+)'")


def config_problems(root: Path) -> list[Problem]:
    problems = Problems(root)
    path = root / CONFIG
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(
            path, None, "mkdocs.yml is not UTF-8 text", "save it as UTF-8", "file-encoding"
        )
        return problems.items
    except OSError as error:
        problems.add(
            path, None, f"mkdocs.yml cannot be read ({error.strerror})", "", "file-missing"
        )
        return problems.items
    located = parse_yaml(text, path, problems, loader_class=_LenientLoader)
    if located is None:
        return problems.items
    _check_portal_options(path, located, problems)
    _check_site_url(path, located, text, problems)
    _check_theme(path, located, problems)
    if not problems:
        # MkDocs stops at its first error in the plugins, so ours go first; the rest of the
        # file is MkDocs' to judge once the portal's own part is right.
        _mkdocs_problems(path, located, problems)
    return problems.items


def _portal_entry(located: Located) -> tuple[int, Any] | None:
    """(index in plugins:, options) of the portal plugin."""
    plugins = located.data.get("plugins")
    for index, entry in enumerate(plugins if isinstance(plugins, list) else []):
        if entry == "portal":
            return index, {}
        if isinstance(entry, dict) and "portal" in entry:
            return index, entry["portal"]
    return None


def _check_portal_options(path: Path, located: Located, problems: Problems) -> None:
    found = _portal_entry(located)
    if found is None:
        problems.add(
            path,
            located.line("plugins"),
            "the portal plugin is not in 'plugins:', so no consultation would be published",
            "add '- portal' under 'plugins:'",
            "config-value",
        )
        return
    index, options = found
    where: tuple[str | int, ...] = ("plugins", index, "portal")
    if options is None:
        return
    if not isinstance(options, dict):
        problems.add(
            path,
            located.line(*where),
            f"the portal plugin's options must be 'option: value' lines, not {kind(options)}",
            "write each option on its own line under '- portal:'",
            "config-type",
        )
        return
    for name, value in options.items():
        line = located.line(*where, str(name))
        expected = OPTIONS.get(str(name))
        if expected is None:
            problems.add(
                path,
                line,
                f"the portal plugin has no option '{name}'",
                did_you_mean(str(name), OPTIONS) or "options are: " + ", ".join(OPTIONS),
                "config-unknown",
            )
        elif value is not None:
            _check_option(path, line, str(name), value, expected, problems)
            if name == OPTION and isinstance(value, dict):
                languages = _site_languages(located, options)
                _check_translations(path, located, (*where, OPTION), value, languages, problems)


def _check_option(
    path: Path, line: int, name: str, value: Any, expected: type, problems: Problems
) -> None:
    if isinstance(value, bool) is not (expected is bool) or not isinstance(value, expected):
        problems.add(
            path,
            line,
            f"the portal option '{name}' must be {TYPES.get(name, TYPE_NAMES[expected])}, "
            f"not {value!r}",
            f"write it like '{name}: {OPTION_EXAMPLES.get(name, EXAMPLES[expected])}'"
            if name != "retention_days"
            else "write the number of days in digits, such as 'retention_days: 730'",
            "config-type",
        )
    elif name == "timezone" and not timezone_is_known(str(value)):
        close = did_you_mean(str(value), zoneinfo.available_timezones())
        problems.add(
            path,
            line,
            f"'{value}' is not a time zone",
            close or "write a time zone name such as Europe/London or America/Toronto",
            "config-value",
        )
    elif name == "licence" and value and not licences.is_known(str(value)):
        problems.add(
            path,
            line,
            f"'{value}' is not a licence the portal knows",
            did_you_mean(str(value), licences.KNOWN)
            or "write one of: " + ", ".join(licences.KNOWN),
            "config-value",
        )
    elif name == "phase" and value and str(value).strip().lower() not in frame.PHASES:
        message = f"the portal option 'phase' must be alpha or beta, not {value!r}"
        problems.add(path, line, message, "leave it out for no phase banner", "config-value")
    elif name in {"footer_links", "feedback_url"}:
        links = value.items() if isinstance(value, dict) else [("feedback", value)]
        for label, target in links:
            found = frame.link_problem(path.parent / "content", str(label), str(target or ""))
            if found and str(target or "").strip():
                problems.add(path, line, found, "", "config-value")
    elif name == "languages" and isinstance(value, list):
        _check_languages(path, line, value, problems)
    elif name == "retention_days" and isinstance(value, int) and value < 1:
        problems.add(
            path,
            line,
            f"'retention_days' must be at least 1, not {value}",
            "write how many days responses are kept, such as 730",
            "config-value",
        )
    elif name in {"endpoint_url", "repo_url"} and value and not _is_address(str(value), name):
        problems.add(
            path,
            line,
            f"the portal option '{name}' is not a web address: {value!r}",
            "write it in full, such as https://consult.example.gov.uk"
            + (" (or leave it empty)" if name == "endpoint_url" else ""),
            "config-value",
        )


def _check_languages(path: Path, line: int, value: list[Any], problems: Problems) -> None:
    """``languages: [en, cy]``: codes the portal has words for (portal.languages)."""
    for code in value:
        if not isinstance(code, str) or not i18n.is_known(code):
            problems.add(
                path,
                line,
                f"{code!r} under 'languages:' is not a language code the portal knows",
                "write codes such as 'en' and 'cy' (BCP 47, as in <html lang>)",
                "config-value",
            )
        elif not i18n.has_catalogue(code, path.parent / "locale"):
            problems.add(
                path,
                line,
                f"the portal's own words are not translated into {code!r}, so its pages "
                f"would be half in English",
                f"add locale/{code}/LC_MESSAGES/portal.po beside mkdocs.yml "
                f"(content/publishers/languages.md), or use one of: "
                f"{', '.join(i18n.available())}",
                "config-value",
            )


def _site_languages(located: Located, options: dict[str, Any]) -> tuple[str, ...]:
    theme = located.data.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return site_languages(str(language or "en"), options.get("languages"))


def _check_translations(
    path: Path,
    located: Located,
    where: tuple[str | int, ...],
    value: dict[Any, Any],
    languages: tuple[str, ...],
    problems: Problems,
) -> None:
    """``translations: {cy: {Home: Hafan}}`` (portal.glossary): each key a language of the
    site's, each value a mapping of the site's words to their translation."""
    listed = ", ".join(languages)
    example = "translations: {cy: {Open data: Data agored}}"
    for code, words in value.items():
        line = located.line(*where, str(code))
        if str(code) not in languages:
            problems.add(
                path,
                line,
                f"'translations:' gives words in {code!r}, which is not one of the site's "
                f"languages ({listed})",
                " ".join(
                    filter(None, [did_you_mean(str(code), languages), "add it to 'languages:'"])
                ),
                "config-value",
            )
        elif str(code) == languages[0]:
            problems.add(
                path,
                line,
                f"'translations:' gives words in {code!r}, the site's default language, whose "
                f"words are the ones written in the pages and in mkdocs.yml",
                "give words only in the site's other languages",
                "config-value",
            )
        if not isinstance(words, dict):
            problems.add(
                path,
                line,
                f"the words in {code!r} under 'translations:' must be 'text: translation' "
                f"lines, not {kind(words)}",
                f"write them like '{example}'",
                "config-type",
            )
            continue
        for text, word in words.items():
            if not isinstance(word, str) or not word.strip() or not isinstance(text, str):
                problems.add(
                    path,
                    located.line(*where, str(code), str(text)),
                    f"the {code!r} words for {text!r} under 'translations:' must be text, "
                    f"not {kind(word)}",
                    "write the translation as plain text, in quotes if it contains a colon",
                    "config-type",
                )


def _is_address(value: str, name: str) -> bool:
    parts = urlsplit(value)
    if name == "endpoint_url" and value.startswith("/") and not value.startswith("//"):
        return True  # on the same origin, under another path
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _check_site_url(path: Path, located: Located, text: str, problems: Problems) -> None:
    value = located.data.get("site_url")
    if value in (None, ""):
        return
    parts = urlsplit(str(value))
    if isinstance(value, str) and parts.scheme in {"http", "https"} and parts.netloc:
        return
    line = located.line("site_url")
    from_env = "!ENV" in text.splitlines()[line - 1] if line <= len(text.splitlines()) else False
    source = "SITE_URL (read by 'site_url:' in mkdocs.yml)" if from_env else "site_url"
    problems.add(
        path,
        line,
        f"{source} is not a web address: {value!r}",
        "write it in full, such as https://consult.example.gov.uk/, or leave it empty",
        "env-invalid" if from_env else "config-value",
    )


def _check_theme(path: Path, located: Located, problems: Problems) -> None:
    """The portal's pages build on Material: its own theme ('portal', which extends it), or
    Material with the portal's templates in custom_dir (as this repository's demo has)."""
    theme = located.data.get("theme")
    name = theme.get("name") if isinstance(theme, dict) else theme
    if name not in ("portal", "material"):
        where = ("theme", "name") if isinstance(theme, dict) and "name" in theme else ("theme",)
        problems.add(
            path,
            located.line(*where),
            f"the theme must be the portal's, not {name!r}: the portal's pages build on it",
            "write 'name: portal' under 'theme:'",
            "config-value",
        )
        return
    _check_language(path, located, problems)
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    folder = path.parent / str(custom) if isinstance(custom, str) else None
    if (
        name == "material"
        and folder is not None
        and folder.is_dir()
        and not (folder / "portal").is_dir()
    ):
        problems.add(
            path,
            located.line("theme", "custom_dir"),
            f"the theme folder '{custom}' has no portal/ folder of templates",
            "point 'custom_dir:' at the portal's theme folder (theme/ in a new portal)",
            "config-value",
        )


def _check_language(path: Path, located: Located, problems: Problems) -> None:
    """theme.language is the language of the portal's own words as well as Material's: a
    language without the portal's catalogue would publish pages half in English."""
    theme = located.data.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    if language is None:
        return
    where = located.line("theme", "language")
    if not isinstance(language, str) or not i18n.is_known(language):
        problems.add(
            path,
            where,
            f"the language {language!r} is not a language code the portal knows",
            "write a code such as 'en' or 'cy' (BCP 47, as in <html lang>)",
            "config-value",
        )
        return
    if not i18n.has_catalogue(language, path.parent / "locale"):
        problems.add(
            path,
            where,
            f"the portal's own words (messages, dates, form hints) are not translated into "
            f"{language!r}, so its pages would be half in English",
            f"add locale/{language}/LC_MESSAGES/portal.po beside mkdocs.yml, translated "
            f"from the engine's portal.pot (content/publishers/languages.md), or use one of: "
            f"{', '.join(i18n.available())}",
            "config-value",
        )


def _mkdocs_problems(path: Path, located: Located, problems: Problems) -> None:
    """What MkDocs' own validation of the file refuses (warnings too, in strict mode)."""
    from mkdocs.config.defaults import MkDocsConfig

    config = MkDocsConfig(config_file_path=str(path))
    # Plugins log while they load (Material's "MkDocs 2.0" notice); the build shows them.
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with path.open("rb") as stream:
            config.load_file(stream)
        errors, warnings = config.validate()
    except Exception as error:  # MkDocs' reader is not ours: never a traceback for staff
        problems.add(path, None, f"MkDocs cannot read mkdocs.yml: {error}", "", "config-malformed")
        return
    finally:
        logger.setLevel(level)
    strict = located.data.get("strict") is True
    for key, failure in [*errors, *(warnings if strict else [])]:
        message = str(failure)
        named = PLUGIN_OPTION.match(message)
        if named and named.group(1) == "portal":
            continue  # ours, checked above with the portal's own words
        line = _line_of(located, key, named, message)
        hint = (
            did_you_mean(key, [name for name, _ in MkDocsConfig._schema])
            if "Unrecognised" in message
            else ""
        )
        code = "config-unknown" if "Unrecognised" in message else "config-value"
        problems.add(path, line, f"'{key}': {message}", hint or "see the MkDocs settings", code)


def _line_of(located: Located, key: str, named: re.Match[str] | None, message: str) -> int | None:
    if named:
        plugins = located.data.get("plugins")
        for index, entry in enumerate(plugins if isinstance(plugins, list) else []):
            if isinstance(entry, dict) and named.group(1) in entry:
                return located.line("plugins", index, named.group(1), named.group(2))
    # "The path set in custom_dir ('x') does not exist.": the line of the setting it names;
    # 'The "x" plugin is not installed': the line of that entry of the list.
    value = located.data.get(key)
    for index, item in enumerate(value if isinstance(value, list) else []):
        name = next(iter(item), None) if isinstance(item, dict) else item
        if isinstance(name, str) and re.search(rf"[\"']{re.escape(name)}[\"']", message):
            return located.line(key, index)
    for place, line in located.lines.items():
        if (
            len(place) == 2
            and place[0] == key
            and isinstance(place[1], str)
            and re.search(rf"\b{re.escape(place[1])}\b", message)
        ):
            return line
    return located.lines.get((key,))
