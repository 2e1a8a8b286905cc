"""An application keeps its version before the last amendment (previous_data) and, once an
update is approved, the published values it replaced (replaced_data); a provider counts the
reminders sent since its last verification and when it was taken offline for want of one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_data", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("replaced_data", sa.JSON(), nullable=True))
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminders_sent", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("unpublished_stale_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_column("unpublished_stale_on")
        batch_op.drop_column("reminders_sent")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("replaced_data")
        batch_op.drop_column("previous_data")
