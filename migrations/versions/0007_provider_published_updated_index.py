"""An index on provider (published, updated_at): the newest update of the published entries,
which the API and the exports read for Last-Modified, in one index lookup at any size.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_provider_published_updated_at", "provider", ["published", "updated_at"], unique=False
    )


def downgrade():
    op.drop_index("ix_provider_published_updated_at", table_name="provider")
