"""The demo's published results: demonstration responses, made the same way every time.

The demo portal has no real responses, so to show how a closed consultation's results are
published this script makes a stated set of demonstration responses to the form of
``consultations/street-lighting-night-dimming`` and publishes them as staff would:

1. RESPONSES answers drawn from a fixed seed (SEED), each checked by the endpoint's own
   validation (``portal.forms.validate``) and stored through the portal's storage API in a
   new, temporary SQLite database, each at a moment inside the consultation's opening
   window (the clock is pinned through PORTAL_NOW, as for any preview);
2. the real ``portal review``, which writes ``consultations/SLUG/review.yml``; the script
   then sets each written answer's decision (publish, withhold, or redact with the text
   to publish), each stated beside its answer in COMMENTS below;
3. the real ``portal results SLUG``, which writes ``datasets/SLUG-results/``, and a
   README.md there (and README.cy.md, for the Welsh pages) saying that the responses are
   demonstration ones. About one respondent in five answers the Welsh page.

Nothing external is started and nothing outside ROOT and a temporary folder is written.
The references the storage gives are drawn from the same seed (the storage draws them at
random; here ``new_reference`` is replaced for this process only), so the review file and
the results are byte-for-byte the same on every run: ``tests/exports/test_demo_results.py``
runs this script into a temporary folder and compares.

    .venv/bin/python scripts/demo-results.py                  # builds the site first
    .venv/bin/python scripts/demo-results.py --site-dir site  # a site already built
    .venv/bin/python scripts/demo-results.py --root /tmp/copy --site-dir site

ROOT needs only ``mkdocs.yml`` (for the licence and publisher of the dataset); the form is
read from the built site's ``api/forms/``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from portal.exports import results, review
from portal.forms import versions
from portal.forms.validate import validate
from portal.problems import Problems
from portal.storage import Storage, database

SLUG = "street-lighting-night-dimming"
SEED = 15  # issue 15: publishing results
RESPONSES = 240
WELSH_SHARE = 0.2  # of the demonstration respondents, those who answered the Welsh page
# The instant stamped on the results dataset (its version and dates): the day the demo's
# results were published, after the consultation closed on 27 September 2026.
PUBLISHED = "2026-11-16T10:00:00+00:00"
LONDON = ZoneInfo("Europe/London")
DEMO_NOTE = "demonstration decision, set by scripts/demo-results.py"
# The comments respondents may write, each with the decision staff would take on it (and,
# for a redaction, the text published instead).
COMMENTS: list[tuple[str, str, str | None]] = [
    ("A good idea if the sensors react quickly. I walk home from late shifts.", "publish", None),
    ("Dimming would save money, but please try it on a few streets first.", "publish", None),
    ("I cycle to work at 4am and need to see the potholes.", "publish", None),
    ("Our street is lit all night and nobody is out. Dimming makes sense.", "publish", None),
    ("Will the sensors notice wheelchair users and people who walk slowly?", "publish", None),
    ("Less light at night would help bats and other wildlife along the river.", "publish", None),
    ("I would feel less safe coming home from the station after midnight.", "publish", None),
    (
        "Two things:\n- keep the crossings bright\n- tell each street before it changes",
        "publish",
        None,
    ),
    (
        "My neighbour Sam Jones at number 12 says the light outside flickers. "
        "Call me on 07700 900461.",
        "redact",
        "My neighbour [name removed] says the light outside flickers. "
        "Call me on [phone number removed].",
    ),
    (
        "I live at 4 Mill Lane and the light there is already too dim.",
        "redact",
        "I live on [street name removed] and the light there is already too dim.",
    ),
    (
        "Everyone on our street knows who breaks the car windows at night: the lad at number 7.",
        "withhold",
        None,
    ),
]
WALK_DATES = ["2026-10-05", "2026-10-07", "2026-10-13", "2026-10-15"]


def _weighted(rng: random.Random, options: list[str], weights: list[float]) -> str:
    return rng.choices(options, weights=weights)[0]


def _fields(rng: random.Random, number: int, form: dict[str, Any]) -> list[tuple[str, str]]:
    """What one respondent's browser would post: (question id, value) pairs."""
    values = {q["id"]: [str(o["value"]) for o in q.get("options") or []] for q in form["questions"]}
    fields: list[tuple[str, str]] = []
    support = _weighted(rng, values["support"], [55, 29, 16])
    fields.append(("support", support))
    if rng.random() < 0.9:
        fields.append(("area", _weighted(rng, values["area"], [14, 18, 16, 12, 20, 15, 5])))
    more = 1 if support == "yes" else 2.2  # those against worry more
    chances = [0.3, 0.22, 0.14, 0.18, 0.1]  # one per worry, in the form's order
    chosen = [
        v for v, p in zip(values["worries"][:-1], chances, strict=True) if rng.random() < p * more
    ]
    if not chosen and rng.random() < 0.7:
        chosen = [values["worries"][-1]]  # "Nothing worries me"
    fields.extend(("worries", v) for v in chosen)
    if rng.random() < 0.95:
        fields.append(("safety", _weighted(rng, values["safety"], [6, 14, 27, 35, 18])))
    if rng.random() < 0.85:
        nights = _weighted(rng, [str(n) for n in range(8)], [52, 20, 11, 7, 4, 3, 2, 1])
        fields.append(("nights_out", nights))
    if rng.random() < 0.12:
        fields.append(("walk_date", rng.choice(WALK_DATES)))
        fields.append(("email", f"resident{number:03d}@northbridge-demo.org.uk"))
    if rng.random() < 0.12:
        fields.append(("comments", rng.choice(COMMENTS)[0]))
    if rng.random() < 0.65:
        fields.append(("publish_answers", "yes"))
    return fields


def _moments(rng: random.Random, form: dict[str, Any]) -> list[datetime]:
    """When each response came, in order: more in the first weeks and the last days."""
    opens = datetime.fromisoformat(form["opens"])
    closes = datetime.fromisoformat(form["closes"])
    days = (closes.date() - opens.date()).days
    found = []
    for _ in range(RESPONSES):
        day = int(days * (rng.random() ** 1.6 if rng.random() < 0.8 else 1 - rng.random() / 12))
        moment = datetime.combine(opens.date() + timedelta(days=day), datetime.min.time(), LONDON)
        moment += timedelta(minutes=rng.randrange(7 * 60, 23 * 60))
        found.append(min(max(moment, opens), closes - timedelta(minutes=1)))
    return sorted(found)


def store(storage: Storage, form: dict[str, Any]) -> None:
    rng = random.Random(SEED)
    references = random.Random(f"{SEED}-references")
    # The language each respondent answered in, from a stream of its own so that the answers
    # drawn are the same as before the form was in Welsh: about one in five in Welsh.
    spoken = random.Random(f"{SEED}-languages")
    # The storage draws references with the secrets module; the demo's come from the seed.
    database.new_reference = lambda: "PR-{}-{}".format(
        *("".join(references.choice(database.ALPHABET) for _ in range(4)) for _ in range(2))
    )
    moments = _moments(rng, form)
    for number, moment in enumerate(moments, start=1):
        answers, errors = validate(form, _fields(rng, number, form))
        if errors:
            raise SystemExit(f"demonstration response {number} is not valid: {errors}")
        os.environ["PORTAL_NOW"] = moment.astimezone(UTC).isoformat()
        storage.store(
            form["id"],
            f"demo-{SEED}-{number:04d}-submission",
            answers,
            form["manifest_version"],
            str(form.get("version") or versions.of(form)),
            language="cy" if spoken.random() < WELSH_SHARE else "en",
        )


def decide(root: Path, form: dict[str, Any]) -> None:
    """Set the decision of every written answer still undecided, as COMMENTS states."""
    path = review.path_for(root, form)
    assert path is not None
    problems = Problems(root)
    reviewed = review.read(path, form, problems)
    if problems:
        raise SystemExit(str(problems.items))
    decisions = {text: (decision, redacted) for text, decision, redacted in COMMENTS}
    entries = []
    for entry in reviewed.entries:
        if entry.decision == review.UNDECIDED and entry.answer in decisions:
            decision, redacted = decisions[entry.answer]
            entry = replace(entry, decision=decision, redacted=redacted or "", note=DEMO_NOTE)
        entries.append(entry)
    path.write_text(review.render(form, entries), encoding="utf-8")


README = """# Results: {title} (demonstration)

These are demonstration responses, made up to show how results are published on this
portal: they are not real responses from residents. The consultation they answer is part
of the portal's demo content.

The {count} responses were made by `scripts/demo-results.py` in the portal's repository,
from a fixed seed ({seed}), so they are the same every time it runs. It stores them in a
temporary database through the portal's own storage, then runs `portal review` (and sets
the decision on each written answer, as staff would) and `portal results`, which wrote the
tables and charts here.

- `summary`: how many responded, when, and what happened to their written answers
- `questions`: every question counted, with its median where it has one
- one table per question, each with a chart
- `options`, `scales`: the counts of every choice and scale question together
- `days`: responses per day
- `answers`: the written answers published after review

Nobody can be picked out of these totals. No personal question (the email address) is
included, and only the written answers of respondents who agreed to publication are
published, each read first.
"""

# The same, for the Welsh pages (the package's Welsh descriptor, datapackage.cy.json).
README_CY = """# Canlyniadau: {title} (enghraifft)

Ymatebion enghreifftiol yw’r rhain, wedi’u creu i ddangos sut mae canlyniadau’n cael eu
cyhoeddi ar y porth hwn: nid ydynt yn ymatebion go iawn gan drigolion. Mae’r ymgynghoriad
y maent yn ei ateb yn rhan o gynnwys enghreifftiol y porth.

Cafodd y {count} ymateb eu creu gan `scripts/demo-results.py` yn ystorfa’r porth, o hedyn
sefydlog ({seed}), felly maent yr un fath bob tro y mae’n rhedeg. Mae’n eu storio mewn
cronfa ddata dros dro drwy storfa’r porth ei hun, yna’n rhedeg `portal review` (ac yn
gosod y penderfyniad ar bob ateb ysgrifenedig, fel y byddai staff) a `portal results`,
a ysgrifennodd y tablau a’r siartiau yma.

- `summary`: faint a ymatebodd, pryd, a beth ddigwyddodd i’w hatebion ysgrifenedig
- `questions`: pob cwestiwn a gyfrifwyd, gyda’i ganolrif lle mae ganddo un
- un tabl i bob cwestiwn, pob un gyda siart
- `options`, `scales`: cyfrifon pob cwestiwn dewis a graddfa gyda’i gilydd
- `days`: ymatebion bob dydd
- `answers`: yr atebion ysgrifenedig a gyhoeddwyd ar ôl adolygiad

Ni ellir adnabod neb o’r cyfansymiau hyn. Nid oes cwestiwn personol (y cyfeiriad e-bost)
wedi’i gynnwys, a dim ond atebion ysgrifenedig yr ymatebwyr a gytunodd i’w cyhoeddi sy’n
cael eu cyhoeddi, pob un wedi’i ddarllen yn gyntaf.
"""


def portal(root: Path, env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "portal.cli", "--root", str(root), *args]
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    top = Path(__file__).resolve().parents[1]
    parser.add_argument("--root", type=Path, default=top, help="the portal (default: this one)")
    parser.add_argument(
        "--site-dir", type=Path, default=None, help="a built site (default: build one first)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="demo-results-") as scratch:
        site = args.site_dir.resolve() if args.site_dir else Path(scratch) / "site"
        if args.site_dir is None:
            portal(top, {}, "build", "--site-dir", str(site))
        form = results.find_form(site, SLUG)
        env = {"DATABASE_URL": f"sqlite:///{Path(scratch) / 'responses.sqlite3'}"}
        storage = Storage(env["DATABASE_URL"])
        storage.create()
        pinned = os.environ.get("PORTAL_NOW")
        try:
            store(storage, form)
        finally:
            storage.dispose()
            if pinned is None:
                os.environ.pop("PORTAL_NOW", None)
            else:
                os.environ["PORTAL_NOW"] = pinned
        site_dir = ("--site-dir", str(site))
        portal(root, env, "review", form["id"], *site_dir)
        decide(root, form)
        # --force: the demonstration set replaces itself, whatever it counted before.
        portal(root, env, "results", SLUG, "--now", PUBLISHED, "--force", *site_dir)
    folder = root / "datasets" / f"{SLUG}-results"
    text = README.format(title=form["title"], count=RESPONSES, seed=SEED)
    (folder / "README.md").write_text(text, encoding="utf-8")
    welsh = form["translations"]["cy"]["title"]
    text = README_CY.format(title=welsh, count=RESPONSES, seed=SEED)
    (folder / "README.cy.md").write_text(text, encoding="utf-8")
    print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
