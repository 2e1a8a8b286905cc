"""The audit log is append-only from the application's point of view."""

import pytest

from directory.extensions import db
from directory.services import audit


def test_entries_cannot_be_changed_or_deleted(app):
    with app.app_context():
        entry = audit.record("test.action", actor="system", fields=["name"])
        db.session.commit()
        entry.action = "forged"
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(type(entry), entry.id))
        with pytest.raises(audit.AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        assert db.session.get(type(entry), entry.id).action == "test.action"


def test_entries_hold_field_names_on_one_line(app):
    with app.app_context():
        entry = audit.record("update.submitted", actor="provider", fields=["name", "city"])
        db.session.commit()
        assert entry.fields == "name,city"
        assert "\\n" not in entry.fields
