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
    hub: str  # the Hugging Face Hub's licence identifier for a dataset card ("other" when it has none)


LICENCES: dict[str, Licence] = {
    lic.id: lic
    for lic in (
        Licence("cc-by-2.5", "Creative Commons Attribution 2.5", "https://creativecommons.org/licenses/by/2.5/",
                True, True, "Wikinews (ar.wikinews.org), via the QCRI Farasa WikiNews set", "cc-by-2.5"),
        Licence("cc-by-nc-sa-4.0", "Creative Commons Attribution-NonCommercial-ShareAlike 4.0",
                "https://creativecommons.org/licenses/by-nc-sa/4.0/", True, False,
                "SaudiNewsNet (Mazen Abdulaziz, 2015); article copyright stays with each newspaper; "
                "research use only", "cc-by-nc-sa-4.0"),
        Licence("cc-by-sa-4.0", "Creative Commons Attribution-ShareAlike 4.0",
                "https://creativecommons.org/licenses/by-sa/4.0/", True, True,
                "ANERcorp (Benajiba & Rosso 2007), CAMeL Lab train/test splits (Obeid et al. 2020)", "cc-by-sa-4.0"),
        Licence("cc-by-sa-3.0", "Creative Commons Attribution-ShareAlike 3.0 Unported",
                "https://creativecommons.org/licenses/by-sa/3.0/", True, True,
                "NewsFANE Gold (Alotaibi & Lee, COLING 2014)", "cc-by-sa-3.0"),
        Licence("all-rights-reserved", "All rights reserved (no redistribution grant)", None, False, False,
                "the publisher; no licence to redistribute was granted", "other"),
    )
}
