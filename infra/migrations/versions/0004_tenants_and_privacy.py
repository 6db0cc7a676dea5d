"""tenants and privacy: organisations, invitations, organisation scope of postings and questions, access log

Existing data: every recruiter gets an organisation of their own that holds their postings and questions; questions
of admins (and seeded ones without an owner) form the public bank (organisation_id NULL).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_organisations_name"), "organisations", ["name"], unique=True)
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["accepted_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_invitations_token_hash"), "invitations", ["token_hash"], unique=True)
    op.create_index(op.f("ix_invitations_organisation_id"), "invitations", ["organisation_id"], unique=False)
    for table in ("users", "job_postings", "questions"):
        op.add_column(table, sa.Column("organisation_id", sa.Integer(), nullable=True))
        op.create_foreign_key(f"fk_{table}_organisation_id", table, "organisations", ["organisation_id"], ["id"])
        op.create_index(op.f(f"ix_{table}_organisation_id"), table, ["organisation_id"], unique=False)
    op.create_table(
        "access_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["interview_id"], ["interviews.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_access_events_interview_id"), "access_events", ["interview_id"], unique=False)

    # Existing recruiters: one organisation each, holding what they own. Names are unique, so the id disambiguates.
    op.execute(
        """
        INSERT INTO organisations (name, created_at)
        SELECT 'Organisation of ' || username || ' (' || id || ')', now() FROM users WHERE role = 'recruiter'
        """
    )
    op.execute(
        """
        UPDATE users SET organisation_id = o.id FROM organisations o
        WHERE users.role = 'recruiter' AND o.name = 'Organisation of ' || users.username || ' (' || users.id || ')'
        """
    )
    op.execute(
        "UPDATE job_postings SET organisation_id = u.organisation_id FROM users u WHERE job_postings.owner_id = u.id"
    )
    op.execute("UPDATE questions SET organisation_id = u.organisation_id FROM users u WHERE questions.owner_id = u.id")


def downgrade() -> None:
    op.drop_index(op.f("ix_access_events_interview_id"), table_name="access_events")
    op.drop_table("access_events")
    for table in ("questions", "job_postings", "users"):
        op.drop_index(op.f(f"ix_{table}_organisation_id"), table_name=table)
        op.drop_constraint(f"fk_{table}_organisation_id", table, type_="foreignkey")
        op.drop_column(table, "organisation_id")
    op.drop_index(op.f("ix_invitations_organisation_id"), table_name="invitations")
    op.drop_index(op.f("ix_invitations_token_hash"), table_name="invitations")
    op.drop_table("invitations")
    op.drop_index(op.f("ix_organisations_name"), table_name="organisations")
    op.drop_table("organisations")
