"""The live class: where the answers of a class's pages meet, and what the teacher sees of them.

No widgets here (import-linter checks it): the pages call this layer from their kernels. One
schema on SQLite (one machine, the default) or PostgreSQL (JupyterHub; the ``[live]`` extra).
"""

from .records import MAX_ANSWER, MAX_NICKNAME, Answer, Forbidden, Refused, SchemaError, StoreUnavailable
from .schema import VERSION
from .store import Store, StudentView, TeacherView, open_store
from .summary import QuestionSummary

__all__ = [
    "MAX_ANSWER",
    "MAX_NICKNAME",
    "VERSION",
    "Answer",
    "Forbidden",
    "QuestionSummary",
    "Refused",
    "SchemaError",
    "Store",
    "StoreUnavailable",
    "StudentView",
    "TeacherView",
    "open_store",
]
