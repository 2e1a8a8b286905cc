"""The whole schema as it stood when migrations were introduced (every table of directory/models).

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audience",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=20), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_entry_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_entry_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "language",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "moderator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "role", sa.Enum("MODERATOR", "ADMIN", name="role", native_enum=False), nullable=False
        ),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("session_nonce", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "price_model",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "region",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "service",
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "software",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "structure_kind",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "work_mode",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "departement",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("region_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("departement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_departement_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind_code", sa.String(length=32), nullable=False),
        sa.Column("pitch_fr", sa.String(length=300), nullable=False),
        sa.Column("pitch_en", sa.String(length=300), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("public_email", sa.String(length=254), nullable=True),
        sa.Column("public_phone", sa.String(length=40), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("postcode", sa.String(length=5), nullable=True),
        sa.Column("logo_filename", sa.String(length=80), nullable=True),
        sa.Column("work_mode_code", sa.String(length=32), nullable=False),
        sa.Column("serves_nationwide", sa.Boolean(), nullable=False),
        sa.Column("serves_remotely", sa.Boolean(), nullable=False),
        sa.Column("chatons_member", sa.Boolean(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("reminder_sent_at", sa.DateTime(), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("last_verified_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kind_code"],
            ["structure_kind.code"],
        ),
        sa.ForeignKeyConstraint(
            ["work_mode_code"],
            ["work_mode.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_contact_email"), ["contact_email"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_provider_published"), ["published"], unique=False)

    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("NEW", "UPDATE", "REMOVAL", name="applicationkind", native_enum=False),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "PENDING",
                "CHANGES_REQUESTED",
                "APPROVED",
                "REJECTED",
                "SUPERSEDED",
                name="applicationstate",
                native_enum=False,
            ),
            nullable=False,
        ),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("logo_filename", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["moderator.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_application_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_application_submitted_at"), ["submitted_at"], unique=False
        )

    op.create_table(
        "provider_audience",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("audience_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["audience_code"],
            ["audience.code"],
        ),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provider_id", "audience_code"),
    )
    op.create_table(
        "provider_departement",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("departement_code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["departement_code"],
            ["departement.code"],
        ),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provider_id", "departement_code"),
    )
    op.create_table(
        "provider_language",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("language_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["language_code"],
            ["language.code"],
        ),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provider_id", "language_code"),
    )
    op.create_table(
        "provider_price_model",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("price_model_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["price_model_code"],
            ["price_model.code"],
        ),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provider_id", "price_model_code"),
    )
    op.create_table(
        "provider_region",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
        ),
        sa.PrimaryKeyConstraint("provider_id", "region_code"),
    )
    op.create_table(
        "provider_service",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["service_code"],
            ["service.code"],
        ),
        sa.PrimaryKeyConstraint("provider_id", "service_code"),
    )
    op.create_table(
        "provider_software",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("software_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["software_id"],
            ["software.id"],
        ),
        sa.PrimaryKeyConstraint("provider_id", "software_id"),
    )
    op.create_table(
        "application_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CHANGES_REQUESTED", "REJECTED", "APPROVED", name="messagekind", native_enum=False
            ),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("application_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_message_application_id"), ["application_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("application_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_message_application_id"))

    op.drop_table("application_message")
    op.drop_table("provider_software")
    op.drop_table("provider_service")
    op.drop_table("provider_region")
    op.drop_table("provider_price_model")
    op.drop_table("provider_language")
    op.drop_table("provider_departement")
    op.drop_table("provider_audience")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_application_state"))
        batch_op.drop_index(batch_op.f("ix_application_provider_id"))

    op.drop_table("application")
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_published"))
        batch_op.drop_index(batch_op.f("ix_provider_contact_email"))

    op.drop_table("provider")
    with op.batch_alter_table("departement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departement_region_code"))

    op.drop_table("departement")
    op.drop_table("work_mode")
    op.drop_table("structure_kind")
    op.drop_table("software")
    op.drop_table("service")
    op.drop_table("region")
    op.drop_table("rate_limit_counter")
    op.drop_table("price_model")
    op.drop_table("moderator")
    op.drop_table("language")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_provider_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_application_id"))

    op.drop_table("audit_entry")
    op.drop_table("audience")
