"""The programme (course): its facts are structured front matter under ``programme:``.

Structured, so the page, schema.org Course metadata and the enquiry form all use the same
facts without retyping them. The facts a prospective learner looks for (fees, start dates,
hours, entry requirements, who awards the certificate...) are each optional: the page says
"To be confirmed" for one not given rather than leaving it out, so a learner can tell a fact
that is not settled yet from one the page forgot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from portal import urls
from portal.fields import FieldReader, kind
from portal.frontmatter import Located
from portal.problems import Problems

# The learner's facts, in the order the page lists them (portal/programme.html).
LEARNER_FACTS = (
    "fees",
    "funding",
    "starts",
    "apply_by",
    "duration",
    "hours_per_week",
    "entry_requirements",
    "certification",
    "awarding_body",
    "level",
    "workshops",
    "how_to_apply",
    "contact",
)
KEYS = {
    "summary",
    "format",
    "delivery",
    "audience",
    "outcomes",
    "modules",
    "roles",
    "sectors",
    *LEARNER_FACTS,
}
CURRENCY = re.compile(r"^[A-Z]{3}$")  # ISO 4217, as schema.org's priceCurrency wants
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Module:
    title: str
    summary: str = ""


@dataclass
class Fee:
    """A fee as an amount in a currency (schema.org can carry it), or only as words."""

    text: str
    amount: float | None = None
    currency: str = ""


@dataclass
class Contact:
    """Where a learner asks: an email address, a web address or a page of this site."""

    label: str
    email: str = ""
    url: str = ""  # a web address, or a page's path in content/ (ends in .md)


@dataclass
class Programme:
    title: str
    summary: str
    outcomes: list[str]
    duration: str = ""
    format: str = ""
    certification: str = ""
    delivery: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    fees: Fee | None = None
    funding: str = ""
    starts: list[date] = field(default_factory=list)
    apply_by: date | None = None
    hours_per_week: str = ""
    # The hours as a number, when they were written as one: each language's page says it in
    # its own words ("6 hours", "6 awr"); ``hours_per_week`` is then the English.
    hours: float | None = None
    entry_requirements: list[str] = field(default_factory=list)
    awarding_body: str = ""
    level: str = ""
    workshops: str = ""
    how_to_apply: str = ""
    contact: Contact | None = None

    def course_jsonld(self, url: str, provider: str) -> dict[str, Any]:
        """schema.org Course with a CourseInstance per start date, from the page's facts.

        Only properties schema.org gives Course, CourseInstance and the types they hold
        (tests/frame check each against the vocabulary); a fact not given is left out.
        """
        course: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Course",
            "name": self.title,
            "description": self.summary,
            "url": url,
            "provider": {"@type": "Organization", "name": provider},
            "teaches": self.outcomes,
        }
        if self.certification or self.awarding_body or self.level:
            credential: dict[str, Any] = {"@type": "EducationalOccupationalCredential"}
            credential["name"] = self.certification or "Certification"
            if self.level:
                credential["educationalLevel"] = self.level
            if self.awarding_body:
                credential["recognizedBy"] = {"@type": "Organization", "name": self.awarding_body}
            course["educationalCredentialAwarded"] = credential
        if self.level:
            course["educationalLevel"] = self.level
        if self.entry_requirements:
            course["coursePrerequisites"] = self.entry_requirements
        if self.audience:
            course["audience"] = {"@type": "Audience", "audienceType": "; ".join(self.audience)}
        if self.fees or self.apply_by:
            course["offers"] = self._offer()
        course["hasCourseInstance"] = [self._instance(start) for start in self.starts] or [
            self._instance(None)
        ]
        if self.modules:
            course["syllabusSections"] = [
                {"@type": "Syllabus", "name": m.title, "description": m.summary}
                for m in self.modules
            ]
        return course

    def _offer(self) -> dict[str, Any]:
        offer: dict[str, Any] = {"@type": "Offer", "category": "Fees"}
        if self.fees is not None:
            offer["description"] = self.fees.text
            if self.fees.amount is not None:
                offer["price"] = self.fees.amount
                offer["priceCurrency"] = self.fees.currency
        if self.apply_by is not None:
            offer["availabilityEnds"] = self.apply_by.isoformat()  # the application deadline
        return offer

    def _instance(self, start: date | None) -> dict[str, Any]:
        instance: dict[str, Any] = {"@type": "CourseInstance"}
        modes = [m for m in [self.format, *self.delivery] if m]
        if modes:
            instance["courseMode"] = modes
        if start is not None:
            instance["startDate"] = start.isoformat()
        if self.workshops:
            instance["location"] = {"@type": "Place", "name": self.workshops}
        if self.hours_per_week:
            instance["courseWorkload"] = f"{self.hours_per_week} a week"
        if self.duration:
            instance["description"] = f"Length: {self.duration}"
        return instance


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
        outcomes=fm.text_list("outcomes", required=True),
        duration=fm.text("duration") or "",
        format=fm.text("format") or "",
        certification=fm.text("certification") or "",
        delivery=fm.text_list("delivery"),
        audience=fm.text_list("audience"),
        modules=modules,
        roles=fm.text_list("roles"),
        sectors=fm.text_list("sectors"),
        fees=read_fee(fm),
        funding=fm.text("funding") or "",
        starts=[d for d in (read_date(fm, "starts", i) for i in _indexes(fm, "starts")) if d],
        apply_by=read_date(fm, "apply_by"),
        hours_per_week=read_hours(fm),
        hours=read_hours_number(fm),
        entry_requirements=fm.text_list("entry_requirements"),
        awarding_body=fm.text("awarding_body") or "",
        level=fm.text("level") or "",
        workshops=fm.text("workshops") or "",
        how_to_apply=fm.text("how_to_apply") or "",
        contact=read_contact(fm),
    )
    if programme.starts and programme.apply_by and programme.apply_by > max(programme.starts):
        fm.problem(
            "apply_by",
            f"'{fm.name('apply_by')}' ({programme.apply_by}) is after the last start date",
            "check the application deadline and the dates under 'starts:'",
            "field-value",
        )
    return programme if len(problems) == before else None


def _indexes(fm: FieldReader, key: str) -> list[int | None]:
    """The positions of a list of dates; a single date (not a list) counts as one."""
    value = fm.raw(key)
    if value is None:
        return []
    return list(range(len(value))) if isinstance(value, list) else [None]


def read_date(fm: FieldReader, key: str, index: int | None = None) -> date | None:
    """A calendar date (YAML reads 2027-09-06 as one); anything else is a problem at its line."""
    value = fm.raw(key)
    if index is not None:
        value = value[index]
    if value is None:
        return None
    where = (key, index) if index is not None else (key,)
    name = fm.name(key) + (f" item {index + 1}" if index is not None else "")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    elif isinstance(value, date):
        return value
    fm.problems.add(
        fm.path,
        fm.line(*where),
        f"'{name}' must be a date, not {value!r}"
        if isinstance(value, str)
        else f"'{name}' must be a date, not {kind(value)}",
        "write a date as YYYY-MM-DD, such as 2027-09-06",
        "date-invalid",
    )
    return None


def read_fee(fm: FieldReader) -> Fee | None:
    """``fees: "£1,200, or £600 with an employer's support"`` (words) or
    ``fees: {amount: 1200, currency: GBP, text: ...}``: an amount always with its currency."""
    value = fm.raw("fees")
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fm.problem(
            "fees",
            f"'{fm.name('fees')}' is a number without a currency: {value!r}",
            f"write it as words with its currency (such as '{value} GBP a year'), or as "
            f"'amount: {value}' and 'currency: ...' lines with an ISO 4217 code such as GBP",
            "field-value",
        )
        return None
    if isinstance(value, str):
        text = fm.text("fees")
        return Fee(text) if text else None
    sub = fm.mapping("fees", hint="write the fee as words, or as 'amount:' and 'currency:' lines")
    if sub is None:
        return None
    sub.check_keys({"amount", "currency", "text"}, "the fees")
    amount = sub.number("amount")
    currency = sub.text("currency", required=True, hint="add 'currency: GBP' (ISO 4217)") or ""
    if currency and not CURRENCY.match(currency):
        sub.problem(
            "currency",
            f"'{sub.name('currency')}' must be a three-letter currency code, not {currency!r}",
            "write an ISO 4217 code such as GBP or EUR",
            "field-value",
        )
        return None
    if amount is None:
        if not sub.has("amount"):
            sub.missing("amount", "add 'amount:' with the fee as a number, such as 1200")
        return None
    if amount < 0:
        sub.problem("amount", f"'{sub.name('amount')}' cannot be negative", code="field-value")
        return None
    words = sub.text("text") or f"{amount:,.2f} {currency}".replace(".00 ", " ")
    return Fee(words, amount, currency)


def read_hours(fm: FieldReader) -> str:
    """Hours a week: a number (shown as '6 hours'), or words such as '6 to 8 hours'."""
    value = fm.raw("hours_per_week")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value <= 0:
            fm.problem(
                "hours_per_week",
                f"'{fm.name('hours_per_week')}' must be more than 0, not {value!r}",
                "write the hours a week a learner should expect, such as 6",
                "field-value",
            )
            return ""
        return f"{value:g} hours"
    return fm.text("hours_per_week") or ""


def read_hours_number(fm: FieldReader) -> float | None:
    """``hours_per_week`` when it is a number above 0 (read_hours reports any other)."""
    value = fm.raw("hours_per_week")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def read_contact(fm: FieldReader) -> Contact | None:
    """``contact:`` an email address, a web address, or a page of the site (``enquire.md``),
    with optional words to show: ``contact: {label: ..., address: ...}``."""
    value = fm.raw("contact")
    if value is None:
        return None
    label = ""
    address = ""
    if isinstance(value, dict):
        sub = fm.mapping("contact")
        if sub is None:
            return None
        sub.check_keys({"label", "address"}, "the contact")
        address = sub.text("address", required=True) or ""
        label = sub.text("label") or ""
    else:
        address = fm.text("contact") or ""
    if not address:
        return None
    if EMAIL.match(address):
        return Contact(label or address, email=address)
    if address.startswith(("https://", "http://")):
        return Contact(label or address, url=address)
    if address.endswith(".md"):
        if not (fm.path.parent / address).is_file():
            fm.problem(
                "contact",
                f"'{fm.name('contact')}' names a page that does not exist: {address!r}",
                f"write the path of a page from {fm.path.parent.name}/, such as enquire.md",
                "link-broken",
            )
            return None
        # The programme page is an index.md, so a link relative to its file is also one
        # relative to its address: 'enquire.md' is 'enquire/'.
        # No words given: the page says "Ask us" in its own language (programme.html).
        return Contact(label, url=urls.page(address))
    fm.problem(
        "contact",
        f"'{fm.name('contact')}' is not an email address, a web address or a page: {address!r}",
        "write an email address (name@example.org), an address starting https://, "
        "or a page of the site such as enquire.md",
        "field-value",
    )
    return None
