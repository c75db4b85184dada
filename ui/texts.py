"""What the web pages say to people, in one place (titles, captions, waiting and error messages)."""

from __future__ import annotations

# The organisation's name comes from the FAQ's profile: see ui/organisation.py.
NEW_CONVERSATION = "Nouvelle conversation"
THANKS = "Merci, votre avis est enregistré."
RATING_REASON = "Qu'est-ce qui ne va pas ?"
UNAVAILABLE = ("Le service est momentanément indisponible. Réessayez dans quelques minutes ; l'équipe qui "
               "l'administre en trouvera la cause dans le journal du serveur.")
LOADING = "Chargement des modèles…"


def queue_place(position: int) -> str:
    """What a visitor waiting for a free slot reads."""
    if position == 1:
        return "Une autre réponse est en cours : la vôtre commence juste après."
    return f"Vous êtes n° {position} dans la file d'attente : votre réponse commencera dès que possible."


def queue_full(retry_after: int) -> str:
    """What a visitor turned away by a full queue reads."""
    return (f"Beaucoup de questions en même temps : la file d'attente est pleine. Réessayez dans {retry_after} "
            "secondes.")


STAFF_TITLE = "Espace équipe"
STAFF_CAPTION = ("Brouillons de réponses presse, réglages et examen des avis des visiteurs. Cette page n'est "
                 "pas visible du public.")
STAFF_TOKEN_PROMPT = "Jeton d'accès de l'équipe (FAQBOT_STAFF_TOKEN)"
STAFF_TOKEN_WRONG = "Jeton incorrect."
STAFF_NEEDS_TOKEN = ("L'espace équipe est servi sur une adresse réseau sans jeton : définissez FAQBOT_STAFF_TOKEN "
                     "ou lancez `faqbot ui --staff` sur 127.0.0.1.")
REVIEW_TITLE = "Avis des visiteurs"
REVIEW_CAPTION = ("Un avis ne devient un cas de test de non-régression que si vous l'acceptez ici (ou avec "
                  "`faqbot feedback review`) ; il est alors ajouté au fichier de cas indiqué.")
REVIEW_NOTHING = "Aucun avis en attente."
