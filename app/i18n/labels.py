"""Translated labels for coded values shown to users: one table for every enum and code set.

Templates print a label with the `label` filter, `{{ plan.status | label("PlanStatus") }}`,
and list the choices of a form with `labels_of("Unit")`. Values are stored as plain strings,
so the kind is named: the same code ("confirmed") reads differently in different enums.
Every member of every enum below has a label (tests/test_i18n_labels.py checks it); a value
with no label prints as itself and is logged, never as another value's label.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum

from babel.support import LazyProxy

from app.i18n import lazy_gettext
from app.models.actor import MandateScope
from app.models.audit import AuditAction, AuditPurpose
from app.models.budget import MeetingKind, OrderStatus, PlanAction, PlanStatus
from app.models.goal import GoalStatus
from app.models.impact import ImpactStep
from app.models.ledger import DeliveryAction, DeliveryStatus, DisputeOutcome, DisputeReason
from app.models.mandate import MandateStatus
from app.models.offer import DeliveryMode, OfferStatus, Unit
from app.models.provider import ApprovalStatus
from app.models.report import TimeRole, TimeTask
from app.models.settlement import SettlementStatus
from app.models.teaming import InvitationAnswer, TeamingStage, TeamingStatus
from app.models.user import Role

log = logging.getLogger(__name__)

Labels = Mapping[str, LazyProxy]

_PURPOSE: dict[str, LazyProxy] = {
    AuditPurpose.own: lazy_gettext("Yourself"),
    AuditPurpose.care: lazy_gettext("Case worker (care relationship)"),
    AuditPurpose.mandate: lazy_gettext("HB assistant (with your mandate)"),
    AuditPurpose.admin: lazy_gettext("Organiser administrator"),
    AuditPurpose.provider: lazy_gettext("Service provider (your order)"),
    AuditPurpose.report: lazy_gettext("Statistics"),
    AuditPurpose.system: lazy_gettext("The system"),
}

# Each kind: (the enum whose every member needs a label, the labels).
ENUM_LABELS: dict[str, tuple[type[StrEnum], Labels]] = {
    "Role": (
        Role,
        {
            Role.client: lazy_gettext("Client"),
            Role.assistant: lazy_gettext("HB assistant"),
            Role.case_worker: lazy_gettext("Case worker"),
            Role.admin: lazy_gettext("Organiser administrator"),
            Role.provider_owner: lazy_gettext("Service provider (owner)"),
            Role.provider_editor: lazy_gettext("Service provider (editor)"),
        },
    ),
    "AuditPurpose": (AuditPurpose, _PURPOSE),
    "TeamingStage": (
        TeamingStage,
        {
            TeamingStage.before_use: lazy_gettext("Before use"),
            TeamingStage.after_deployment: lazy_gettext("After deployment"),
            TeamingStage.impact_evaluation: lazy_gettext("At the impact evaluation"),
        },
    ),
    "InvitationAnswer": (
        InvitationAnswer,
        {
            InvitationAnswer.waiting: lazy_gettext("Not answered yet"),
            InvitationAnswer.attending: lazy_gettext("Attends"),
            InvitationAnswer.declined: lazy_gettext("Does not attend"),
        },
    ),
    "TeamingStatus": (
        TeamingStatus,
        {
            TeamingStatus.on_time: lazy_gettext("Held on time"),
            TeamingStatus.late: lazy_gettext("Held late"),
            TeamingStatus.missing: lazy_gettext("Missing"),
            TeamingStatus.not_due: lazy_gettext("Not yet due"),
        },
    ),
    "ImpactStep": (
        ImpactStep,
        {
            ImpactStep.resources: lazy_gettext("Resources"),
            ImpactStep.activities: lazy_gettext("Activities"),
            ImpactStep.outputs: lazy_gettext("Outputs"),
            ImpactStep.outcomes: lazy_gettext("Outcomes"),
            ImpactStep.impact: lazy_gettext("Impact"),
        },
    ),
    # The admin sees other people's events: neutral wording instead of "your".
    "AuditPurposeForAdmin": (
        AuditPurpose,
        _PURPOSE
        | {
            AuditPurpose.own: lazy_gettext("The client themself"),
            AuditPurpose.mandate: lazy_gettext("HB assistant (with the client's mandate)"),
            AuditPurpose.provider: lazy_gettext("Service provider (the client's order)"),
        },
    ),
    "AuditAction": (
        AuditAction,
        {
            AuditAction.read: lazy_gettext("Looked at"),
            AuditAction.create: lazy_gettext("Added"),
            AuditAction.update: lazy_gettext("Changed"),
            AuditAction.delete: lazy_gettext("Removed"),
            AuditAction.search: lazy_gettext("Searched"),
            AuditAction.export: lazy_gettext("Exported"),
            AuditAction.denied: lazy_gettext("Was refused access to"),
        },
    ),
    "MandateScope": (
        MandateScope,
        {
            MandateScope.view: lazy_gettext("See my information"),
            MandateScope.assessments: lazy_gettext("Fill in self-assessments and goals"),
            MandateScope.plan: lazy_gettext("Edit the budget plan"),
            MandateScope.deliveries: lazy_gettext("Confirm or dispute deliveries"),
        },
    ),
    "MandateStatus": (
        MandateStatus,
        {
            MandateStatus.live: lazy_gettext("In force"),
            MandateStatus.expired: lazy_gettext("Expired"),
            MandateStatus.revoked: lazy_gettext("Revoked"),
        },
    ),
    "OrderStatus": (
        OrderStatus,
        {
            OrderStatus.pending: lazy_gettext("New: waiting for your answer"),
            OrderStatus.accepted: lazy_gettext("Accepted"),
            OrderStatus.declined: lazy_gettext("Declined"),
        },
    ),
    "Unit": (
        Unit,
        {
            Unit.hour: lazy_gettext("hour"),
            Unit.visit: lazy_gettext("visit"),
            Unit.day: lazy_gettext("day"),
            Unit.month: lazy_gettext("month"),
            Unit.session: lazy_gettext("session"),
            Unit.piece: lazy_gettext("piece"),
            Unit.trip: lazy_gettext("trip"),
        },
    ),
    "DeliveryMode": (
        DeliveryMode,
        {
            DeliveryMode.home: lazy_gettext("At home"),
            DeliveryMode.provider: lazy_gettext("At the provider"),
            DeliveryMode.remote: lazy_gettext("Remote"),
        },
    ),
    "OfferStatus": (
        OfferStatus,
        {
            OfferStatus.draft: lazy_gettext("Draft"),
            OfferStatus.published: lazy_gettext("Published"),
            OfferStatus.archived: lazy_gettext("Archived"),
        },
    ),
    "ApprovalStatus": (
        ApprovalStatus,
        {
            ApprovalStatus.pending: lazy_gettext("Waiting for a decision"),
            ApprovalStatus.approved: lazy_gettext("Approved"),
            ApprovalStatus.rejected: lazy_gettext("Rejected"),
            ApprovalStatus.suspended: lazy_gettext("Suspended"),
        },
    ),
    "PlanStatus": (
        PlanStatus,
        {
            PlanStatus.draft: lazy_gettext("Draft"),
            PlanStatus.submitted: lazy_gettext("Sent for confirmation"),
            PlanStatus.confirmed: lazy_gettext("Confirmed"),
            PlanStatus.returned: lazy_gettext("Returned for changes"),
        },
    ),
    "PlanAction": (
        PlanAction,
        {
            PlanAction.frame_set: lazy_gettext("set the budget frame"),
            PlanAction.created: lazy_gettext("started a new plan version"),
            PlanAction.line_added: lazy_gettext("added a service"),
            PlanAction.line_removed: lazy_gettext("removed a service"),
            PlanAction.submitted: lazy_gettext("sent the plan for confirmation"),
            PlanAction.taken_back: lazy_gettext("took the plan back to change it"),
            PlanAction.confirmed: lazy_gettext("confirmed the plan"),
            PlanAction.returned: lazy_gettext("returned the plan for changes"),
            PlanAction.order_accepted: lazy_gettext("accepted an order"),
            PlanAction.order_declined: lazy_gettext("declined an order"),
            PlanAction.note: lazy_gettext("wrote a note"),
        },
    ),
    "MeetingKind": (
        MeetingKind,
        {
            MeetingKind.initial: lazy_gettext("Initial meeting"),
            MeetingKind.confirmation: lazy_gettext("Confirmation meeting"),
            MeetingKind.follow_up: lazy_gettext("Follow-up meeting"),
            MeetingKind.yearly_evaluation: lazy_gettext("Yearly evaluation"),
            MeetingKind.teaming: lazy_gettext("Teaming meeting with providers"),
        },
    ),
    "DeliveryStatus": (
        DeliveryStatus,
        {
            DeliveryStatus.reported: lazy_gettext("Waiting for confirmation"),
            DeliveryStatus.confirmed: lazy_gettext("Confirmed"),
            DeliveryStatus.auto_accepted: lazy_gettext("Accepted automatically"),
            DeliveryStatus.disputed: lazy_gettext("Disputed: waiting for the provider"),
            DeliveryStatus.corrected: lazy_gettext("Replaced by a corrected report"),
            DeliveryStatus.withdrawn: lazy_gettext("Withdrawn by the provider"),
            DeliveryStatus.contested: lazy_gettext("Contested: the case worker decides"),
            DeliveryStatus.rejected: lazy_gettext("Rejected by the case worker"),
        },
    ),
    "DisputeReason": (
        DisputeReason,
        {
            DisputeReason.not_right: lazy_gettext("This is not right"),
            DisputeReason.not_delivered: lazy_gettext("This was not delivered"),
            DisputeReason.wrong_units: lazy_gettext("The number of units is wrong"),
        },
    ),
    "DisputeOutcome": (
        DisputeOutcome,
        {
            DisputeOutcome.accept: lazy_gettext("Accept the delivery as reported"),
            DisputeOutcome.reduce: lazy_gettext("Accept it with fewer units"),
            DisputeOutcome.reject: lazy_gettext("Reject it: nothing is paid"),
        },
    ),
    "DeliveryAction": (
        DeliveryAction,
        {
            DeliveryAction.disputed: lazy_gettext("disputed the delivery"),
            DeliveryAction.corrected: lazy_gettext("replaced it with a corrected report"),
            DeliveryAction.replaces: lazy_gettext("reported the corrected delivery"),
            DeliveryAction.withdrawn: lazy_gettext("withdrew the delivery"),
            DeliveryAction.contested: lazy_gettext("stood by the delivery"),
            DeliveryAction.accepted: lazy_gettext("decided: accepted as reported"),
            DeliveryAction.reduced: lazy_gettext("decided: accepted with fewer units"),
            DeliveryAction.rejected: lazy_gettext("decided: rejected"),
            DeliveryAction.confirmed: lazy_gettext("confirmed the delivery"),
            DeliveryAction.auto_accepted: lazy_gettext("accepted the delivery automatically"),
            DeliveryAction.reversed: lazy_gettext("the payment was reversed"),
        },
    ),
    "SettlementStatus": (
        SettlementStatus,
        {
            SettlementStatus.open: lazy_gettext("Open"),
            SettlementStatus.approved: lazy_gettext("Approved"),
            SettlementStatus.sent: lazy_gettext("Sent for payment"),
            SettlementStatus.paid: lazy_gettext("Paid"),
        },
    ),
    "GoalStatus": (
        GoalStatus,
        {
            GoalStatus.active: lazy_gettext("In progress"),
            GoalStatus.achieved: lazy_gettext("Achieved"),
            GoalStatus.changed: lazy_gettext("Changed"),
            GoalStatus.dropped: lazy_gettext("Dropped"),
        },
    ),
    "TimeRole": (
        TimeRole,
        {
            TimeRole.worker: lazy_gettext("Worker"),
            TimeRole.client: lazy_gettext("Client"),
            TimeRole.assistant: lazy_gettext("HB assistant"),
        },
    ),
    "TimeTask": (
        TimeTask,
        {
            TimeTask.meeting: lazy_gettext("Meeting"),
            TimeTask.planning: lazy_gettext("Budget planning"),
            TimeTask.assessment: lazy_gettext("Assessment"),
            TimeTask.evaluation: lazy_gettext("Evaluation"),
            TimeTask.other: lazy_gettext("Other"),
        },
    ),
}

# Code sets that are not an enum in the models (their tests check them against their source).
CODE_LABELS: dict[str, Labels] = {
    "language": {
        "fi": lazy_gettext("Finnish"),
        "sv": lazy_gettext("Swedish"),
        "en": lazy_gettext("English"),
        "se": lazy_gettext("Sámi"),
        "ru": lazy_gettext("Russian"),
        "ar": lazy_gettext("Arabic"),
        "so": lazy_gettext("Somali"),
        "et": lazy_gettext("Estonian"),
        "fsl": lazy_gettext("Finnish Sign Language"),
    },
    # The search's sort orders (app.services.search.base.Sort).
    "Sort": {
        "relevance": lazy_gettext("Best match"),
        "price_asc": lazy_gettext("Price, lowest first"),
        "price_desc": lazy_gettext("Price, highest first"),
        "rating": lazy_gettext("Rating, best first"),
    },
    "price_band": {
        "0-2000": lazy_gettext("under 20 €"),
        "2000-5000": lazy_gettext("20–50 €"),
        "5000-10000": lazy_gettext("50–100 €"),
        "10000-": lazy_gettext("over 100 €"),
    },
    "rating_filter": {
        "4": lazy_gettext("4 stars or more"),
        "3": lazy_gettext("3 stars or more"),
        "2": lazy_gettext("2 stars or more"),
    },
    "fallback_note": {
        "fi": lazy_gettext("This text is shown in Finnish."),
        "sv": lazy_gettext("This text is shown in Swedish."),
        "en": lazy_gettext("This text is shown in English."),
    },
    "checklist": {
        "register_number": lazy_gettext("Registered in the Soteri register (number given)"),
        "business_id_valid": lazy_gettext("Business ID is valid"),
        "insurance": lazy_gettext("Patient and liability insurance in force"),
        "self_monitoring_plan": lazy_gettext("Self-monitoring plan received"),
    },
    # The background jobs (app/services/operations/registry.py).
    "job": {
        "search_outbox": lazy_gettext("Search index updates"),
        "notification_outbox": lazy_gettext("E-mail and text messages"),
        "deliveries_auto_accept": lazy_gettext("Automatic acceptance of deliveries"),
        "payments_outbox": lazy_gettext("Sending own-share refunds to the payment provider"),
        "mandate_expiry": lazy_gettext("Mandate expiry and notices"),
        "evaluation_reminders": lazy_gettext("Yearly evaluation reminders"),
        "notification_digest": lazy_gettext("Daily summaries of notifications"),
        "listing_staleness": lazy_gettext("Listings not checked for a year"),
        "teaming_reminders": lazy_gettext("Teaming meeting reminders"),
        "session_cleanup": lazy_gettext("Removal of old login sessions"),
        "retention": lazy_gettext("Removal of data past its keeping time"),
        "rate_limit_cleanup": lazy_gettext("Removal of old login attempts"),
    },
    # What an access-log event was about; the audit categories are free text.
    "audit_category": {
        "mandate": lazy_gettext("mandates"),
        "audit_log": lazy_gettext("access log"),
        "profile": lazy_gettext("personal details"),
        "assessment": lazy_gettext("self-assessment"),
        "budget": lazy_gettext("budget"),
        "plan": lazy_gettext("budget plan"),
        "delivery": lazy_gettext("deliveries"),
        "order": lazy_gettext("orders"),
        "rating": lazy_gettext("ratings"),
        "teaming": lazy_gettext("teaming meetings"),
    },
}

# Kinds whose unknown codes have a label of their own instead of printing the code.
FALLBACKS: dict[str, LazyProxy] = {"audit_category": lazy_gettext("other information")}

LABELS: dict[str, Labels] = {kind: table for kind, (_enum, table) in ENUM_LABELS.items()}
LABELS |= CODE_LABELS


def labels_of(kind: str) -> Labels:
    """Every code of a kind with its label, in the table's order (for the choices of a form)."""
    return LABELS[kind]


def label(value: object, kind: str) -> str:
    """The translated label of `value` in `kind`; an unknown kind is a programming error."""
    table = LABELS[kind]
    text = table.get(str(value))
    if text is not None:
        return str(text)
    if kind in FALLBACKS:
        return str(FALLBACKS[kind])
    log.warning("no label", extra={"kind": kind, "value": str(value)})
    return str(value)
