"""Every notification kind and its texts, as message ids rendered in the reader's language.

The texts are marked with `_` (a no-op here) so `make i18n-extract` puts them in the fi/sv/en
catalogues; `render` translates them with the recipient's catalogue when the notification is
shown or sent, never when it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.i18n import ALL_LOCALES, DEFAULT_LOCALE, translations


def _(message: str) -> str:
    return message


class Kind(StrEnum):
    plan_submitted = "plan_submitted"
    plan_taken_back = "plan_taken_back"
    plan_confirmed = "plan_confirmed"
    plan_returned = "plan_returned"
    frame_set = "frame_set"
    order_new = "order_new"
    order_cancelled = "order_cancelled"
    order_declined = "order_declined"
    delivery_reported = "delivery_reported"
    delivery_disputed = "delivery_disputed"
    dispute_contested = "dispute_contested"
    dispute_resolved = "dispute_resolved"
    delivery_auto_accepted = "delivery_auto_accepted"
    budget_used = "budget_used"
    overdraw = "overdraw"
    mandate_given = "mandate_given"
    mandate_ending = "mandate_ending"
    mandate_ended = "mandate_ended"
    approval_decided = "approval_decided"
    rating_reply = "rating_reply"
    rating_hidden = "rating_hidden"
    evaluation_due = "evaluation_due"
    need_changed = "need_changed"
    listing_stale = "listing_stale"
    teaming_invited = "teaming_invited"
    teaming_due = "teaming_due"


@dataclass(frozen=True)
class Texts:
    label: str  # the kind's name in the inbox filter and on the settings page
    text: str  # the message, with %(name)s parameters from Notification.params


TEXTS: dict[Kind, Texts] = {
    Kind.plan_submitted: Texts(_("Plan sent"), _("A client sent a budget plan for you to decide.")),
    Kind.plan_taken_back: Texts(
        _("Plan taken back"),
        _("A client took back a budget plan they had sent. It no longer waits for you."),
    ),
    Kind.plan_confirmed: Texts(_("Plan confirmed"), _("Your budget plan was confirmed.")),
    Kind.plan_returned: Texts(_("Plan returned"), _("Your budget plan was returned for changes.")),
    Kind.frame_set: Texts(_("Budget frame"), _("Your budget frame was set or changed.")),
    Kind.order_new: Texts(_("New order"), _("A new order is waiting for you.")),
    Kind.order_cancelled: Texts(_("Order cancelled"), _("An order was cancelled.")),
    Kind.order_declined: Texts(
        _("Order declined"), _("A provider declined a service in the plan.")
    ),
    Kind.delivery_reported: Texts(
        _("Delivery reported"), _("A provider reported a delivery. Please confirm it.")
    ),
    Kind.delivery_disputed: Texts(_("Delivery disputed"), _("A client disputed a delivery.")),
    Kind.dispute_contested: Texts(
        _("Dispute to decide"),
        _("A provider stands by a disputed delivery. Please decide what remains."),
    ),
    Kind.dispute_resolved: Texts(
        _("Dispute resolved"), _("A disputed delivery has been resolved.")
    ),
    Kind.delivery_auto_accepted: Texts(
        _("Delivery accepted automatically"),
        _("A delivery nobody decided in time was accepted automatically."),
    ),
    Kind.budget_used: Texts(_("Budget used"), _("You have used %(percent)s %% of your budget.")),
    Kind.overdraw: Texts(
        _("Over the budget"), _("A delivery would have gone over the budget and was refused.")
    ),
    Kind.mandate_given: Texts(_("Mandate given"), _("A mandate to act for a client was given.")),
    Kind.mandate_ending: Texts(
        _("Mandate ending"),
        _("A mandate ends within a week. Renew it if the help is still needed."),
    ),
    Kind.mandate_ended: Texts(_("Mandate ended"), _("A mandate to act for a client ended.")),
    Kind.approval_decided: Texts(
        _("Approval decided"), _("The organiser decided on your provider approval.")
    ),
    Kind.rating_reply: Texts(_("Reply to a rating"), _("A provider replied to your rating.")),
    Kind.rating_hidden: Texts(
        _("Comment hidden"), _("The organiser hid your comment on a service. Reason: %(reason)s")
    ),
    Kind.evaluation_due: Texts(_("Yearly evaluation"), _("The yearly evaluation is due.")),
    Kind.need_changed: Texts(
        _("Need changed"), _("A client has told that their need has changed.")
    ),
    Kind.listing_stale: Texts(
        _("Listing to check"),
        _("A listing has not been checked for a year. Please check that it is up to date."),
    ),
    Kind.teaming_invited: Texts(
        _("Teaming meeting"),
        _("You are invited to a meeting about a client's budget. Please say if you attend."),
    ),
    Kind.teaming_due: Texts(
        _("Teaming meeting due"),
        _("A meeting with the providers of a client's budget is due. Please schedule it."),
    ),
}

FALLBACK = _("New message")


def catalogue_locale(locale: str | None) -> str:
    return locale if locale in ALL_LOCALES else DEFAULT_LOCALE


def label(kind: str, locale: str | None) -> str:
    texts = TEXTS.get(kind)  # type: ignore[call-overload]
    return translations(catalogue_locale(locale)).ugettext(texts.label if texts else FALLBACK)


def render(kind: str, params: dict[str, Any], locale: str | None) -> str:
    """The notification's text in `locale`; a missing parameter shows as empty, never fails."""
    texts = TEXTS.get(kind)  # type: ignore[call-overload]
    text = translations(catalogue_locale(locale)).ugettext(texts.text if texts else FALLBACK)
    try:
        return text % _Params(params)
    except (TypeError, ValueError):
        return text


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
