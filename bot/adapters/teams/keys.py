"""Keys the Teams adapter derives from an activity: the thread it belongs to, who sent it, and
the de-duplication key of one delivery.

A Teams channel reply chain is its own conversation: the connector names it
`19:…@thread.tacv2;messageid=<root message id>`, so keeping the whole `conversation.id` makes a
reply chain one thread, while a personal or group chat (no `;messageid=`) is one long thread.
Keys are namespaced by tenant so two organisations using the same multi-tenant bot never share
state, even if ids happened to collide.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

PLATFORM = "teams"


def tenant_id(activity: Activity) -> str:
    """The Microsoft Entra tenant: `conversation.tenantId`, else `channelData.tenant.id`.

    botbuilder's schema maps `tenantID`, while Teams sends `tenantId` (which then lands in
    `additional_properties`), so both spellings are read."""
    conversation = activity.conversation
    if conversation is not None:
        extra = conversation.additional_properties or {}
        found = conversation.tenant_id or extra.get("tenantId")
        if found:
            return str(found)
    tenant = _channel_data(activity).get("tenant")
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    return "-"


def conversation_id(activity: Activity) -> str:
    conversation = activity.conversation
    return str(conversation.id) if conversation is not None and conversation.id else ""


def thread_key(activity: Activity) -> str:
    """`teams:{tenant}:{conversation.id}` — keeps `;messageid=` so a reply chain is one thread."""
    return f"{PLATFORM}:{tenant_id(activity)}:{conversation_id(activity)}"


def dedup_key(activity: Activity) -> str:
    """One delivery of one activity. Teams message ids are millisecond timestamps, unique only
    within a conversation, so the conversation is part of the key."""
    return f"{PLATFORM}:activity:{conversation_id(activity)}:{activity.id}"


def user_id(activity: Activity) -> str:
    """The sender's Entra object id if sent (the same in every chat), else its channel id."""
    sender = activity.from_property
    if sender is None:
        return ""
    return str(sender.aad_object_id or sender.id or "")


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}
