"""Messages that associations write to a provider (contact_message), the provider's choice
of showing its public email beside the contact form, and the Reply-To of outbox emails.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contact_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("sender_email", sa.String(length=254), nullable=False),
        sa.Column("audience_code", sa.String(length=32), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=True),
        sa.Column("submission_key", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sa.UniqueConstraint("submission_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("contact_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_message_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contact_message_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contact_message_service_code"), ["service_code"], unique=False
        )
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("show_public_email", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to", sa.String(length=320), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("reply_to")
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_column("show_public_email")
    with op.batch_alter_table("contact_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_message_service_code"))
        batch_op.drop_index(batch_op.f("ix_contact_message_provider_id"))
        batch_op.drop_index(batch_op.f("ix_contact_message_created_at"))
    op.drop_table("contact_message")
