"""Environment variables the commands read, checked before they are used."""

from __future__ import annotations

from portal import clock
from portal.problems import Problem


def environment_problems() -> list[Problem]:
    """Each variable is named where a file would be: it is where the fix goes."""
    found = []
    message = clock.problem()
    if message:
        found.append(
            Problem(
                clock.VARIABLE,
                None,
                message.removeprefix(f"{clock.VARIABLE} "),
                "or unset it to use the real time",
                "env-invalid",
            )
        )
    return found
