"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""

import pgvector.sqlalchemy  # noqa: F401  (autogenerate writes vector columns with it)
import sqlalchemy as sa
import sqlmodel  # noqa: F401  (and string columns with this)
from alembic import op
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
