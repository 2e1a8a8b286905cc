"""Requests sent once to several providers (service_request) and each provider's answer
(request_recipient).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "service_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("sender_email", sa.String(length=254), nullable=False),
        sa.Column("audience_code", sa.String(length=32), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=True),
        sa.Column("need", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("erased_at", sa.DateTime(), nullable=True),
        sa.Column("submission_key", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sa.UniqueConstraint("submission_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("service_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_request_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_request_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_request_service_code"), ["service_code"], unique=False
        )
    op.create_table(
        "request_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "SENT",
                "WILL_ANSWER",
                "CANNOT_HELP",
                "WITHDRAWN",
                name="recipientstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["request_id"], ["service_request.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("request_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_recipient_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_request_recipient_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_request_recipient_sent_at"), ["sent_at"], unique=False)


def downgrade():
    with op.batch_alter_table("request_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_recipient_sent_at"))
        batch_op.drop_index(batch_op.f("ix_request_recipient_request_id"))
        batch_op.drop_index(batch_op.f("ix_request_recipient_provider_id"))
    op.drop_table("request_recipient")
    with op.batch_alter_table("service_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_request_service_code"))
        batch_op.drop_index(batch_op.f("ix_service_request_region_code"))
        batch_op.drop_index(batch_op.f("ix_service_request_created_at"))
    op.drop_table("service_request")
