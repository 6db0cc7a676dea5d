"""scoring integrity: evaluation flags and relevance, score overrides, private answer notes

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "answer_evaluations",
        sa.Column("flags", postgresql.JSONB(astext_type=sa.Text()), nullable=False, server_default="[]"),
    )
    op.alter_column("answer_evaluations", "flags", server_default=None)
    op.add_column("answer_evaluations", sa.Column("relevance", sa.Float(), nullable=True))
    op.add_column(
        "answer_evaluations",
        sa.Column("improvement_criterion", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    )
    op.create_table(
        "score_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("model_score", sa.Float(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["answer_evaluations.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_score_overrides_evaluation_id"), "score_overrides", ["evaluation_id"], unique=False)
    op.create_table(
        "answer_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["answer_evaluations.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_answer_notes_evaluation_id"), "answer_notes", ["evaluation_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_answer_notes_evaluation_id"), table_name="answer_notes")
    op.drop_table("answer_notes")
    op.drop_index(op.f("ix_score_overrides_evaluation_id"), table_name="score_overrides")
    op.drop_table("score_overrides")
    op.drop_column("answer_evaluations", "improvement_criterion")
    op.drop_column("answer_evaluations", "relevance")
    op.drop_column("answer_evaluations", "flags")
