"""Testimonials after a request: the request's provider a testimonial is about
(testimonial.request_recipient_id, one per request and provider) and when the request's
sender was invited to leave one (service_request.testimonial_invited_at).

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


def downgrade():
    with op.batch_alter_table(
        "testimonial", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint("fk_testimonial_request_recipient_id", type_="foreignkey")
        batch_op.drop_constraint("uq_testimonial_request_recipient_id", type_="unique")
        batch_op.drop_column("request_recipient_id")
    with op.batch_alter_table("service_request", schema=None) as batch_op:
        batch_op.drop_column("testimonial_invited_at")
