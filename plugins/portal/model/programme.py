"""The programme (course): its facts are structured front matter under ``programme:``.

Structured, so the page, schema.org Course metadata and the enquiry form all use the same
facts without retyping them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.fields import FieldReader
from portal.frontmatter import Located
from portal.problems import Problems

KEYS = {
    "summary",
    "duration",
    "format",
    "delivery",
    "certification",
    "audience",
    "outcomes",
    "modules",
    "roles",
    "sectors",
}


@dataclass
class Module:
    title: str
    summary: str = ""


@dataclass
class Programme:
    title: str
    summary: str
    duration: str
    format: str
    certification: str
    delivery: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)

    def course_jsonld(self, url: str, provider: str) -> dict[str, Any]:
        """schema.org Course, from the same facts the page shows."""
        return {
            "@context": "https://schema.org",
            "@type": "Course",
            "name": self.title,
            "description": self.summary,
            "url": url,
            "provider": {"@type": "Organization", "name": provider},
            "educationalCredentialAwarded": self.certification,
            "teaches": self.outcomes,
            "occupationalCategory": self.roles,
            "audience": {"@type": "Audience", "audienceType": "; ".join(self.audience)},
            "hasCourseInstance": {
                "@type": "CourseInstance",
                "courseMode": ["Blended", *self.delivery],
                "courseWorkload": self.duration,
            },
            "syllabusSections": [
                {"@type": "Syllabus", "name": m.title, "description": m.summary}
                for m in self.modules
            ],
        }


def read_programme(path: Path, located: Located, problems: Problems) -> Programme | None:
    before = len(problems)
    page = FieldReader(path, located, problems)
    title = page.text("title", required=True)
    fm = page.mapping(
        "programme",
        required=True,
        hint="add 'programme:' with the course's facts (see the publishers' guide)",
    )
    if fm is None:
        return None
    fm.check_keys(KEYS, "the programme")
    modules = []
    for item in fm.items("modules"):
        item.check_keys({"title", "summary"}, "a module")
        module_title = item.text("title", required=True)
        if module_title:
            modules.append(Module(module_title, item.text("summary") or ""))
    programme = Programme(
        title=title or "",
        summary=fm.text("summary", required=True) or "",
        duration=fm.text("duration", required=True) or "",
        format=fm.text("format", required=True) or "",
        certification=fm.text("certification", required=True) or "",
        delivery=fm.text_list("delivery"),
        audience=fm.text_list("audience"),
        outcomes=fm.text_list("outcomes", required=True),
        modules=modules,
        roles=fm.text_list("roles"),
        sectors=fm.text_list("sectors"),
    )
    return programme if len(problems) == before else None
