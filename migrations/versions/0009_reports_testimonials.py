"""Reports of a problem with an entry (report, grouped by entry and reason while open, and
report_message, each visitor's words and optional email); testimonials of associations and
their provider's reply (testimonial), and when a contact's sender was invited to leave one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "GONE",
                "WRONG_INFORMATION",
                "CHARTER",
                "DUPLICATE",
                "OTHER",
                name="reportreason",
                native_enum=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum("OPEN", "ASKED", "CLOSED", name="reportstate", native_enum=False),
            nullable=False,
        ),
        sa.Column("group_key", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["moderator.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_state"), ["state"], unique=False)
    op.create_table(
        "report_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submission_key", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("report_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_message_report_id"), ["report_id"], unique=False
        )
    op.create_table(
        "testimonial",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("contact_message_id", sa.Integer(), nullable=True),
        sa.Column("via_directory", sa.Boolean(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("PENDING", "APPROVED", "REJECTED", name="testimonialstate", native_enum=False),
            nullable=False,
        ),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=True),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("recommend", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reply_body", sa.Text(), nullable=True),
        sa.Column(
            "reply_state",
            sa.Enum("PENDING", "APPROVED", "REJECTED", name="testimonialstate", native_enum=False),
            nullable=True,
        ),
        sa.Column("reply_sent_at", sa.DateTime(), nullable=True),
        sa.Column("reply_decided_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_message_id"], ["contact_message.id"], ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["decided_by_id"], ["moderator.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_message_id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("testimonial", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_testimonial_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_testimonial_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_testimonial_reply_state"), ["reply_state"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_testimonial_state"), ["state"], unique=False)
    with op.batch_alter_table("contact_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("testimonial_invited_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("contact_message", schema=None) as batch_op:
        batch_op.drop_column("testimonial_invited_at")
    with op.batch_alter_table("testimonial", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_testimonial_state"))
        batch_op.drop_index(batch_op.f("ix_testimonial_reply_state"))
        batch_op.drop_index(batch_op.f("ix_testimonial_provider_id"))
        batch_op.drop_index(batch_op.f("ix_testimonial_created_at"))
    op.drop_table("testimonial")
    with op.batch_alter_table("report_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_message_report_id"))
    op.drop_table("report_message")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_state"))
        batch_op.drop_index(batch_op.f("ix_report_provider_id"))
        batch_op.drop_index(batch_op.f("ix_report_created_at"))
    op.drop_table("report")
