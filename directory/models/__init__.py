"""Tables of the directory, one module per aggregate."""

from directory.models.application import (
    OPEN_STATES,
    Application,
    ApplicationKind,
    ApplicationMessage,
    ApplicationState,
    MessageKind,
)
from directory.models.audit import AuditEntry
from directory.models.contact import ContactMessage
from directory.models.index_change import IndexChange, IndexOperation
from directory.models.moderator import Moderator, Role
from directory.models.outbox import OutboxMessage
from directory.models.provider import LocalizedText, Provider, Software, normalise_tag
from directory.models.rate_limit import RateLimitCounter
from directory.models.report import (
    OPEN_REPORT_STATES,
    Report,
    ReportMessage,
    ReportReason,
    ReportState,
)
from directory.models.service_request import RecipientState, RequestRecipient, ServiceRequest
from directory.models.taxonomy import (
    VOCABULARIES,
    Audience,
    BilingualTerm,
    Departement,
    Language,
    PriceModel,
    Region,
    Service,
    StructureKind,
    TaxonomyChange,
    WorkMode,
)
from directory.models.testimonial import Testimonial, TestimonialState, VisitorInvitation

__all__ = [
    "OPEN_REPORT_STATES",
    "OPEN_STATES",
    "VOCABULARIES",
    "Application",
    "ApplicationKind",
    "ApplicationMessage",
    "ApplicationState",
    "Audience",
    "AuditEntry",
    "BilingualTerm",
    "ContactMessage",
    "Departement",
    "IndexChange",
    "IndexOperation",
    "Language",
    "LocalizedText",
    "MessageKind",
    "Moderator",
    "OutboxMessage",
    "PriceModel",
    "Provider",
    "RateLimitCounter",
    "RecipientState",
    "Region",
    "Report",
    "ReportMessage",
    "ReportReason",
    "ReportState",
    "RequestRecipient",
    "Role",
    "Service",
    "ServiceRequest",
    "Software",
    "StructureKind",
    "TaxonomyChange",
    "Testimonial",
    "TestimonialState",
    "VisitorInvitation",
    "WorkMode",
    "normalise_tag",
]
