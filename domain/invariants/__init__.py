"""Invariants (不变量) the live database must show: pure checks over plain rows, each finding a `Violation`.

The reading of the database is `usecases.invariants`; the command is `microfactory audit` ("audit" is the
command's name only: in this codebase the audit trail is `AuditRecord`, and these are invariant checks).
"""

from domain.invariants.model import Violation

__all__ = ["Violation"]
