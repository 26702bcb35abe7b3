"""How long the free text people type may be: one place for the models (hence the forms) and the API.

Long enough for what the text is for, short enough that nobody pastes a book into a dossier: a grid
comment says why one criterion is judged so, a reason why one decision was taken.
"""

COMMENT = 1_000  # on one criterion of the grid
REASON = 2_000  # why a decision, a refusal, a correction, a withdrawal
NOTE = 5_000  # a meeting's notes, a message to another organisation, a summary for the jury
SEARCH = 200  # what is typed in a search box
