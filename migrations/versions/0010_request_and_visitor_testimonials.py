"""Testimonials after a request: the request's provider a testimonial is about
(testimonial.request_recipient_id, one per request and provider) and when the request's
sender was invited to leave one (service_request.testimonial_invited_at); and visitors'
testimonials after confirming their email (visitor_invitation, testimonial.author_email,
one per email and provider).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("testimonial_invited_at", sa.DateTime(), nullable=True))
    # Batch mode copies the table on SQLite: keep it AUTOINCREMENT (ids never reused).
    with op.batch_alter_table(
        "testimonial", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("request_recipient_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_testimonial_request_recipient_id", ["request_recipient_id"]
        )
        batch_op.create_foreign_key(
            "fk_testimonial_request_recipient_id",
            "request_recipient",
            ["request_recipient_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.add_column(sa.Column("author_email", sa.String(length=254), nullable=True))
        batch_op.create_unique_constraint(
            "uq_testimonial_provider_id_author_email", ["provider_id", "author_email"]
        )
    op.create_table(
        "visitor_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("visitor_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visitor_invitation_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visitor_invitation_provider_id"), ["provider_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("visitor_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visitor_invitation_provider_id"))
        batch_op.drop_index(batch_op.f("ix_visitor_invitation_created_at"))
    op.drop_table("visitor_invitation")
    with op.batch_alter_table(
        "testimonial", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint("uq_testimonial_provider_id_author_email", type_="unique")
        batch_op.drop_column("author_email")
        batch_op.drop_constraint("fk_testimonial_request_recipient_id", type_="foreignkey")
        batch_op.drop_constraint("uq_testimonial_request_recipient_id", type_="unique")
        batch_op.drop_column("request_recipient_id")
    with op.batch_alter_table("service_request", schema=None) as batch_op:
        batch_op.drop_column("testimonial_invited_at")
