"""pgvector extension

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Created by the superuser at bootstrap in development; in production the image's init does it. This is a
    # no-op then, and documents the dependency.
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")


def downgrade() -> None:
    pass
