"""All table models, imported so SQLModel.metadata knows every table."""

from app.models.audit import AuditAction, AuditEvent, AuditHead, AuditPurpose  # noqa: I001
from app.models.assessment import Assessment, AssessmentStatus
from app.models.goal import Goal, GoalCheckIn, GoalPlanLink, GoalStatus
from app.models.provider import ApprovalStatus, Provider, ProviderApproval, ProviderArea
from app.models.offer import DeliveryMode, Offer, OfferArea, OfferPrice, OfferStatus, Unit
from app.models.budget import (
    Budget,
    ExperimentArm,
    FrameVersion,
    Meeting,
    MeetingKind,
    OrderStatus,
    PlanAction,
    PlanEvent,
    PlanLine,
    PlanStatus,
    PlanVersion,
)
from app.models.payment import Payment, PaymentStatus, WebhookEvent
from app.models.submission import FormSubmission
from app.models.ledger import Delivery, DeliveryEvent, DeliveryStatus, EntryKind, LedgerEntry
from app.models.settlement import Settlement, SettlementEntry, SettlementLine, SettlementStatus
from app.models.notification import (
    Notification,
    NotificationOutbox,
    NotificationPreference,
    NotificationSetting,
    OutboxStatus,
)
from app.models.base import NAMING_CONVENTION, Timestamped, utcnow
from app.models.organiser import Category, Municipality, Organiser, OrganiserMunicipality
from app.models.user import Membership, Role, User
from app.models.mandate import Mandate
from app.models.job import Job
from app.models.login_session import LoginSession, SessionEnd
from app.models.identity import ProviderInvitation, RateLimitHit, SentMail
from app.models.rating import CommentStatus, Rating, RatingReport, ReportStatus
from app.models.research import Allocation, ConsentEvent, Experiment
from app.models.report import (
    ComparisonMember,
    EvaluationRequest,
    IndicatorComment,
    IndicatorTarget,
    ManualIndicator,
    ManualIndicatorValue,
    ReferenceCost,
    TimeEntry,
    TimeRole,
    TimeTask,
)
from app.models.search import (
    SearchDocument,
    SearchFacet,
    SearchOutbox,
    SearchSynonym,
    SearchTerm,
)
from app.models.favourite import Favourite
from app.models.teaming import InvitationAnswer, TeamingCheckpoint, TeamingInvitation, TeamingStage
from app.models.impact import ImpactItem, ImpactLink, ImpactStep

__all__ = [
    "Favourite",
    "ImpactItem",
    "ImpactLink",
    "ImpactStep",
    "InvitationAnswer",
    "TeamingCheckpoint",
    "TeamingInvitation",
    "TeamingStage",
    "LoginSession",
    "SessionEnd",
    "Settlement",
    "SettlementEntry",
    "SettlementLine",
    "SettlementStatus",
    "Allocation",
    "ConsentEvent",
    "Experiment",
    "ComparisonMember",
    "EvaluationRequest",
    "IndicatorComment",
    "IndicatorTarget",
    "ManualIndicator",
    "ManualIndicatorValue",
    "ReferenceCost",
    "TimeEntry",
    "TimeRole",
    "TimeTask",
    "Assessment",
    "AssessmentStatus",
    "Goal",
    "GoalCheckIn",
    "GoalPlanLink",
    "GoalStatus",
    "Budget",
    "Delivery",
    "DeliveryEvent",
    "DeliveryStatus",
    "EntryKind",
    "ExperimentArm",
    "FrameVersion",
    "LedgerEntry",
    "Meeting",
    "MeetingKind",
    "Notification",
    "NotificationOutbox",
    "NotificationPreference",
    "NotificationSetting",
    "OutboxStatus",
    "OrderStatus",
    "Payment",
    "PaymentStatus",
    "WebhookEvent",
    "FormSubmission",
    "PlanAction",
    "PlanEvent",
    "PlanLine",
    "PlanStatus",
    "PlanVersion",
    "ApprovalStatus",
    "DeliveryMode",
    "Offer",
    "OfferArea",
    "OfferPrice",
    "OfferStatus",
    "Provider",
    "ProviderApproval",
    "ProviderArea",
    "Unit",
    "NAMING_CONVENTION",
    "AuditAction",
    "AuditEvent",
    "AuditHead",
    "AuditPurpose",
    "Category",
    "Job",
    "Mandate",
    "Membership",
    "ProviderInvitation",
    "RateLimitHit",
    "SentMail",
    "Municipality",
    "Organiser",
    "OrganiserMunicipality",
    "Role",
    "CommentStatus",
    "Rating",
    "RatingReport",
    "ReportStatus",
    "SearchDocument",
    "SearchFacet",
    "SearchOutbox",
    "SearchSynonym",
    "SearchTerm",
    "Timestamped",
    "User",
    "utcnow",
]
