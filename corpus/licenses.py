"""The licences documents carry, and what each allows a release to do."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Licence:
    id: str
    name: str
    url: str | None
    redistributable: bool  # may the text go into a public release at all
    commercial: bool  # may it go into a release that allows commercial use
    attribution: str


LICENCES: dict[str, Licence] = {
    lic.id: lic
    for lic in (
        Licence("cc-by-2.5", "Creative Commons Attribution 2.5", "https://creativecommons.org/licenses/by/2.5/",
                True, True, "Wikinews (ar.wikinews.org), via the QCRI Farasa WikiNews set"),
        Licence("cc-by-nc-sa-4.0", "Creative Commons Attribution-NonCommercial-ShareAlike 4.0",
                "https://creativecommons.org/licenses/by-nc-sa/4.0/", True, False,
                "SaudiNewsNet (Mazen Abdulaziz, 2015); article copyright stays with each newspaper; "
                "research use only"),
        Licence("all-rights-reserved", "All rights reserved (no redistribution grant)", None, False, False,
                "the publisher; no licence to redistribute was granted"),
    )
}
