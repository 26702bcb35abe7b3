"""What the candidate reads, in plain words and short sentences: many candidates read with difficulty.

``STEP_TEXT`` says, for every state of a dossier, where the person is and what comes next;
``PLAIN_DOMAINS`` names each domain in everyday words (the référentiel's official title stays
available as a detail). tests/evaluations/test_plain.py checks every state and sentence length.
"""

from __future__ import annotations

from clea.dossiers.workflow import State

STEP_TEXT: dict[State, str] = {
    State.INFORMATION: (
        "Votre dossier est ouvert. La prochaine étape est l'évaluation préalable. "
        "On regarde ce que vous savez déjà faire."
    ),
    State.INITIAL_ASSESSMENT: (
        "Vous passez l'évaluation préalable. Elle dure 7 heures au plus. Elle peut se faire en plusieurs fois."
    ),
    State.TRAINING: (
        "Vous suivez une formation sur ce qui manque. Ensuite, vous passerez l'évaluation finale. "
        "Ce que vous savez déjà est gardé."
    ),
    State.FINAL_ASSESSMENT: (
        "Vous passez l'évaluation finale. Elle dure 3 heures au plus. Elle porte seulement sur ce qui manquait."
    ),
    State.READY_FOR_JURY: "Vous avez tout réussi. Votre organisme va présenter votre dossier au jury.",
    State.AWAITING_JURY: "Votre dossier attend le jury. Le jury décide de vous donner le certificat.",
    State.AT_JURY: "Le jury étudie votre dossier. Vous recevrez sa décision.",
    State.CERTIFIED: "Bravo, vous avez le certificat ! Il vous est envoyé par la poste.",
    State.NOT_CERTIFIED: (
        "Le jury n'a pas donné le certificat. Vous gardez ce que vous avez réussi. Votre attestation le montre."
    ),
    State.ADJOURNED: "Le jury a reporté sa décision. Votre organisme vous explique ce qu'il faut faire.",
    State.WITHDRAWN: "Vous avez arrêté votre parcours. Vous pourrez le reprendre plus tard avec un organisme.",
    State.CLOSED: "Votre parcours est fini, sans certificat. Vous gardez votre attestation.",
    State.EXPIRED: ("Le délai de 5 ans est passé. Pour reprendre, il faut refaire une évaluation préalable."),
}

# States in which the final evaluation is still ahead (the 5-year limit is worth saying then).
FINAL_AHEAD = frozenset({State.INITIAL_ASSESSMENT, State.TRAINING, State.FINAL_ASSESSMENT})

PLAIN_DOMAINS: dict[str, dict[str, str]] = {
    "CLEA": {
        "1": "Parler, lire et écrire en français",
        "2": "Compter et raisonner",
        "3": "Se servir d'un ordinateur et d'Internet",
        "4": "Travailler en équipe",
        "5": "Travailler seul et atteindre un objectif",
        "6": "Apprendre de nouvelles choses",
        "7": "Respecter les règles de sécurité, d'hygiène et d'environnement",
    },
    "CLEA_NUMERIQUE": {
        "1": "Connaître et utiliser son ordinateur et ses outils",
        "2": "Trouver et utiliser des informations en ligne",
        "3": "Travailler avec les autres en ligne",
        "4": "Se protéger sur Internet",
    },
}

EXPLAINED = {
    "domaine": "Un domaine est un grand thème de CléA, par exemple compter, ou travailler en équipe.",
    "habilité": "Un organisme habilité a l'accord du certificateur pour faire passer CléA.",
}


def step_text(state: str) -> str:
    return STEP_TEXT[State(state)]


def plain_domain(certification_code: str, domain_code: str, official: str) -> str:
    """The everyday name of a domain; the official title when none is written yet."""
    return PLAIN_DOMAINS.get(certification_code, {}).get(str(domain_code), official)
