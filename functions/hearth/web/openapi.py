"""The OpenAPI 3.1 description of the public endpoints, and of the admin routes of the
sales pipeline's settings and tasks, generated from the pydantic models that validate
them, so the document can never drift from the behaviour."""

from __future__ import annotations

from typing import Any

from hearth.web.endpoint import Call, Reply, endpoint

REF_TEMPLATE = "#/components/schemas/{model}"


def _schemas(*models: Any) -> dict[str, Any]:
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema(
        [(model, "validation") for model in models], ref_template=REF_TEMPLATE
    )
    return top.get("$defs", {})


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("ErrorBody")}


def document(server_url: str | None = None) -> dict[str, Any]:
    from hearth.analytics import Accepted as HitAccepted
    from hearth.analytics import Hit
    from hearth.bookings.availability import Availability, AvailabilityQuery
    from hearth.bookings.book import BookingRequest
    from hearth.bookings.manage import CancelRequest, RescheduleRequest
    from hearth.bookings.view import BookingAnswer, ManagedBooking
    from hearth.imports import PreviewRequest, RowsRequest, StartRequest
    from hearth.intake.submission import Accepted, ErrorBody, Submission
    from hearth.merge import MergeRequest, PairRequest
    from hearth.pipeline import PipelineRequest, SourceRequest
    from hearth.privacy import EraseRequest, PrivacyRequest
    from hearth.rules.automations import AutomationSettings
    from hearth.rules.custom_fields import FieldSettings
    from hearth.rules.routing import RoutingSettings
    from hearth.tasks import NewTask

    schemas = _schemas(
        Submission,
        Accepted,
        ErrorBody,
        Availability,
        BookingRequest,
        BookingAnswer,
        ManagedBooking,
        CancelRequest,
        RescheduleRequest,
        Hit,
        PipelineRequest,
        SourceRequest,
        FieldSettings,
        NewTask,
        AutomationSettings,
        RoutingSettings,
        EraseRequest,
        PrivacyRequest,
        PairRequest,
        MergeRequest,
        PreviewRequest,
        StartRequest,
        RowsRequest,
    )
    schemas["HitAccepted"] = HitAccepted.model_json_schema()
    form_schema = {"$ref": "#/components/schemas/Submission"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hearth public API",
            "version": "1.0.0",
            "description": "Endpoints the owner's website calls: form intake, free times, "
            "booking, the customer's own booking link and the analytics snippet's hits; "
            "and the admin routes of the sales pipeline (stages, sources, custom fields, "
            "tasks, automation rules), which take a signed-in staff member's Firebase ID "
            "token. Every refusal is a JSON ErrorBody naming the fields at fault.",
        },
        "servers": [{"url": server_url}] if server_url else [],
        "paths": {
            "/intake": {
                "post": {
                    "operationId": "submitForm",
                    "summary": "Record a form submission; upserts the customer by e-mail.",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,128}$"},
                            "description": "Alternative to submission_id for safe retries.",
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            **_json("Submission"),
                            "application/x-www-form-urlencoded": {"schema": form_schema},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Recorded (or a retry recognised).",
                            "content": _json("Accepted"),
                        },
                        "303": {"description": "Plain form post with _redirect: go to it."},
                        "400": _error("A field is missing or invalid."),
                        "403": _error("The Origin is not allowed."),
                        "405": _error("Only POST (and OPTIONS)."),
                        "413": _error("Body over 64 KB."),
                        "415": _error("Not JSON or a form post."),
                        "503": _error("Store unavailable; retry with the same submission_id."),
                    },
                }
            },
            **_booking_paths(AvailabilityQuery),
            "/track": _track_path(),
            **_admin_paths(),
            **_import_paths(),
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "staff": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "Firebase ID token",
                    "description": "A signed-in staff member's ID token; the role is read "
                    "from the staff list, not from the token.",
                }
            },
        },
    }


def _track_path() -> dict[str, Any]:
    """What /track.js sends: a string body (text/plain, as sendBeacon sends it, which
    needs no CORS preflight) holding the JSON of one Hit."""
    hit = {"schema": {"$ref": "#/components/schemas/Hit"}}
    return {
        "post": {
            "operationId": "track",
            "summary": "Record a pageview or a named event from the site's /track.js.",
            "description": "No cookie is set and no address or user agent is stored. A "
            "bot or a referrer-spam hit gets the same 202 and is not recorded.",
            "requestBody": {
                "required": True,
                "content": {"text/plain": hit, "application/json": hit},
            },
            "responses": {
                "202": {"description": "Taken.", "content": _json("HitAccepted")},
                "400": _error("A field is missing or invalid."),
                "403": _error("The Origin is not allowed."),
                "405": _error("Only POST (and OPTIONS)."),
                "413": _error("Body over 4 KB."),
                "415": _error("Neither text/plain nor JSON."),
                "503": _error("Store unavailable; sending the same id again is safe."),
            },
        }
    }


def _admin(
    operation_id: str,
    summary: str,
    body: str | None,
    answers: dict[str, str],
    refusals: dict[str, str],
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One admin operation: staff's bearer token, the request model, JSON answers, and
    the refusals every admin route shares besides its own."""
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "security": [{"staff": []}],
        "parameters": parameters or [],
        "responses": {
            **{
                status: {
                    "description": text,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
                for status, text in answers.items()
            },
            "401": _error("No valid staff token."),
            "403": _error("The role may not do this (only the owner, for settings)."),
            "405": _error("Another method than the one documented."),
            **{status: _error(text) for status, text in refusals.items()},
            "503": _error("Store unavailable; sending the same request again is safe."),
        },
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json(body)}
    return operation


def _admin_paths() -> dict[str, Any]:
    """The sales pipeline's admin routes (the rest of the admin API: docs/api.md)."""
    source_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[a-z0-9.-]{1,100}$"},
        "description": "The source's slug, as intake folds it (instagram, spring-show-2026).",
    }
    task_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,300}$"},
    }
    invalid = {"400": "A field is missing or invalid (named in fields)."}
    return {
        "/admin/settings/pipeline": {
            "put": _admin(
                "savePipeline",
                "Owner: pick a template, or save the whole list of stages (ids kept).",
                "PipelineRequest",
                {"200": "The stages as saved ({pipeline: {template, stages}})."},
                {**invalid, "409": "A removed stage still has customers (stage_in_use)."},
            )
        },
        "/admin/sources/{id}": {
            "put": _admin(
                "saveSource",
                "Owner: add or describe a lead source.",
                "SourceRequest",
                {"200": "The source as saved ({source})."},
                invalid,
                [source_id],
            ),
            "delete": _admin(
                "deleteSource",
                "Owner: remove a source no customer came from.",
                None,
                {"200": "Removed ({deleted: id})."},
                {"409": "Customers came from it (named how many)."},
                [source_id],
            ),
        },
        "/admin/settings/fields": {
            "put": _admin(
                "saveFields",
                "Owner: save the typed custom fields.",
                "FieldSettings",
                {"200": "The fields as saved ({settings})."},
                invalid,
            )
        },
        "/admin/tasks": {
            "post": _admin(
                "addTask",
                "Owner, or a rep for their own customer: add a follow-up.",
                "NewTask",
                {"201": "Added ({task, outcome}).", "200": "A retry of the same task_id."},
                {**invalid, "404": "No such customer that you may see."},
            )
        },
        "/admin/tasks/{id}/done": {
            "post": _admin(
                "finishTask",
                "Owner, or the rep it is assigned to: mark done; repeating it is done once.",
                None,
                {"200": "The task ({task, outcome: applied or duplicate})."},
                {"404": "No such task that you may finish."},
                [task_id],
            )
        },
        "/admin/settings/automations": {
            "put": _admin(
                "saveAutomations",
                "Owner: save the follow-up rules.",
                "AutomationSettings",
                {"200": "The rules as saved ({settings})."},
                invalid,
            )
        },
        "/admin/settings/automations/preview": {
            "post": _admin(
                "previewAutomations",
                "Owner: the tasks these rules would have made over the last 30 days; "
                "writes nothing.",
                "AutomationSettings",
                {"200": "{tasks, events, complete}."},
                invalid,
            )
        },
        "/admin/settings/routing": {
            "put": _admin(
                "saveRouting",
                "Owner: save the lead routing rules and the fallback; refused naming an "
                "unknown source, rep or custom field.",
                "RoutingSettings",
                {"200": "The rules as saved ({settings})."},
                invalid,
            )
        },
        "/admin/settings/routing/preview": {
            "post": _admin(
                "previewRouting",
                "Owner: who these rules would have given each new customer of the last "
                "30 days, from the round robins as they stand; writes nothing.",
                "RoutingSettings",
                {
                    "200": "{leads: [{customer, name, ownerUid, ownerName, rule, reason}], "
                    "events, complete}."
                },
                invalid,
            )
        },
        **_privacy_paths(invalid),
        **_merge_paths(invalid),
    }


def _privacy_paths(invalid: dict[str, str]) -> dict[str, Any]:
    """A person's rights (docs/privacy.md): their data, their erasure, their requests."""
    key = {
        "name": "key",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "The customer's key (their folded e-mail), URL-encoded.",
    }
    kind = {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["json", "html"], "default": "json"},
    }
    request_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,128}$"},
    }
    export = _admin(
        "exportPersonalData",
        "Owner, or the rep who owns the customer: everything kept about one person "
        "(record, timeline, calls, tasks, messages, consent and stage history) as a file.",
        None,
        {"200": "An attachment: JSON, or a readable HTML page."},
        {"400": "format is neither json nor html.", "404": "No such customer."},
        [key, kind],
    )
    export["responses"]["200"]["content"] = {"application/json": {}, "text/html": {}}
    return {
        "/admin/customers/{key}/personal-data": {"get": export},
        "/admin/customers/{key}/erase": {
            "post": _admin(
                "erasePerson",
                "Owner: erase one customer and everything that names them; resumable with "
                "the same id; answers the receipt.",
                "EraseRequest",
                {"200": "{erasure: {id, state, at, finishedAt, by, hint, counts, problems}}."},
                {**invalid, "404": "No such customer."},
                [key],
            )
        },
        "/admin/privacy/requests": {
            "post": _admin(
                "recordPrivacyRequest",
                "Owner: record a person's request; it is due 30 days after it arrived.",
                "PrivacyRequest",
                {"200": "{request: {id, kind, customer, receivedAt, due, state}}."},
                invalid,
            )
        },
        "/admin/privacy/requests/{id}/done": {
            "post": _admin(
                "closePrivacyRequest",
                "Owner: mark a request done; repeating it changes nothing.",
                None,
                {"200": "{request}."},
                {"404": "No such request."},
                [request_id],
            )
        },
    }


def _merge_paths(invalid: dict[str, str]) -> dict[str, Any]:
    """Duplicates and merges (owner only; docs/duplicates.md)."""

    def path_id(name: str, pattern: str, description: str) -> dict[str, Any]:
        schema = {"type": "string", "pattern": pattern}
        return {
            "name": name,
            "in": "path",
            "required": True,
            "schema": schema,
            "description": description,
        }

    pair = path_id("pair", "^[^/]+ [^/]+$", "The two customer keys, sorted, joined by a space.")
    merge_id = path_id("id", "^[A-Za-z0-9_-]{8,128}$", "The merge's client-made id.")
    return {
        "/admin/duplicates": {
            "get": _admin(
                "listDuplicates",
                "Owner: pairs of live customers sharing a valid mobile, or with very "
                "similar names at the same company, with why each is listed.",
                None,
                {"200": "{pairs: [{id, a, b, reasons, score}], more}."},
                {},
            )
        },
        "/admin/duplicates/{pair}/dismiss": {
            "post": _admin(
                "dismissDuplicate",
                "Owner: not the same person; the pair is not listed again.",
                None,
                {"200": "{dismissed}."},
                {"404": "Not a pair id."},
                [pair],
            )
        },
        "/admin/merges/preview": {
            "post": _admin(
                "previewMerge",
                "Owner: each differing field with both values and its default side, and "
                "how many entries, calls, tasks and messages would move; writes nothing.",
                "PairRequest",
                {"200": "{fields: [{field, survivor, other, default}], moves, oneCommit}."},
                {**invalid, "404": "No such customer.", "409": "Balances in two currencies."},
            )
        },
        "/admin/merges": {
            "post": _admin(
                "mergeCustomers",
                "Owner: merge `other` into `survivor`; posting the same id again finds "
                "the merge, or finishes one cut short.",
                "MergeRequest",
                {"200": "{merge: {id, survivor, other, state, chosen, counts}}."},
                {
                    **invalid,
                    "404": "No such customer.",
                    "409": "Balances in two currencies (balances.currency), or the id "
                    "was used for another pair.",
                },
            )
        },
        "/admin/merges/{id}/undo": {
            "post": _admin(
                "undoMerge",
                "Owner: the two customers as they were, except fields edited since "
                "(kept, and named in `kept`).",
                None,
                {"200": "{merge: {..., state: undone, kept}}."},
                {
                    "404": "No such merge.",
                    "409": "Already undone, or the address is a customer again.",
                },
                [merge_id],
            )
        },
    }


def _import_paths() -> dict[str, Any]:
    """The owner's customer import (docs/import.md)."""
    job = {
        "name": "job",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{32}_[a-z0-9.-]{1,100}$"},
        "description": "First 32 hex of the file's SHA-256, '_', the source id.",
    }
    invalid = {"400": "A field is missing or invalid (named in fields)."}
    missing = {"404": "No such import: start it first."}
    return {
        "/admin/imports/preview": {
            "post": _admin(
                "previewImport",
                "Owner: the format recognised, the mapping (given, remembered or guessed) "
                "and what each of the first 20 rows would do; writes nothing.",
                "ImportPreview",
                {
                    "200": "{format, mapping, remembered, targets, rows: [{line, email, "
                    "action: create|fill|unchanged|skip|error, fills, conflicts, reason}]}."
                },
                invalid,
            )
        },
        "/admin/imports": {
            "post": _admin(
                "startImport",
                "Owner: start the import job, find it to resume, or (done) begin it again; "
                "remembers the mapping for the header set.",
                "ImportStart",
                {"200": "{job: {id, nextLine, total, counts, state, run, ...}}."},
                invalid,
            )
        },
        "/admin/imports/{job}/rows": {
            "post": _admin(
                "importRows",
                "Owner: import one chunk (at most 500 rows) from line `first`; a chunk "
                "sent again answers its stored result and counts nothing twice.",
                "ImportRows",
                {"200": "{job, chunk: {first, counts, nextLine}, repeated}."},
                {**invalid, **missing, "409": "The job is done: start it again first."},
                [job],
            )
        },
        "/admin/imports/{job}": {
            "get": _admin(
                "getImport",
                "Owner: the job's progress and counts.",
                None,
                {"200": "{job}."},
                missing,
                [job],
            )
        },
        "/admin/imports/{job}/report": {
            "get": _admin(
                "importReport",
                "Owner: the rows not imported (line, email, reason) as CSV, every cell "
                "neutralised for spreadsheets.",
                None,
                {"200": "text/csv attachment."},
                missing,
                [job],
            )
        },
    }


def _query_parameters(model: Any) -> list[dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True)
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {k: v for k, v in prop.items() if k not in ("title", "description")},
            "description": prop.get("description", ""),
        }
        for name, prop in schema["properties"].items()
    ]


def _booking_paths(query_model: Any) -> dict[str, Any]:
    booking_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^bk_[A-Za-z0-9_-]{8,128}$"},
    }
    token = {
        "name": "token",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "The signed link's token (or send staff's Authorization: Bearer).",
    }
    managed = {"description": "The booking.", "content": _json("ManagedBooking")}
    not_found = _error("No such booking, or not yours: the same answer either way.")
    return {
        "/availability": {
            "get": {
                "operationId": "freeTimes",
                "summary": "Free times for a call, in UTC and in the visitor's time zone.",
                "parameters": _query_parameters(query_model),
                "responses": {
                    "200": {"description": "Every asked day.", "content": _json("Availability")},
                    "400": _error("A parameter is invalid (type, tz, from, to)."),
                    "503": _error("Store unavailable; ask again."),
                },
            }
        },
        "/book": {
            "post": {
                "operationId": "bookCall",
                "summary": "Book a call; upserts the customer like every form.",
                "requestBody": {"required": True, "content": _json("BookingRequest")},
                "responses": {
                    "201": {"description": "Booked.", "content": _json("BookingAnswer")},
                    "200": {"description": "A retry.", "content": _json("BookingAnswer")},
                    "400": _error("A field is invalid, or the time is not bookable."),
                    "409": _error("The time was just taken (slot_taken)."),
                    "503": _error("Store unavailable; retry with the same submission_id."),
                },
            }
        },
        "/booking/{id}": {
            "get": {
                "operationId": "showBooking",
                "summary": "The booking behind a signed link.",
                "parameters": [booking_id, token],
                "responses": {"200": managed, "404": not_found},
            }
        },
        "/booking/{id}.ics": {
            "get": {
                "operationId": "bookingCalendarFile",
                "summary": "The call as an .ics file.",
                "parameters": [booking_id, token],
                "responses": {
                    "200": {"description": "text/calendar", "content": {"text/calendar": {}}},
                    "404": not_found,
                },
            }
        },
        "/booking/{id}/cancel": {
            "post": {
                "operationId": "cancelBooking",
                "summary": "Cancel; repeating it is answered as done.",
                "parameters": [booking_id],
                "requestBody": {"required": False, "content": _json("CancelRequest")},
                "responses": {"200": managed, "400": _error("Invalid body."), "404": not_found},
            }
        },
        "/booking/{id}/reschedule": {
            "post": {
                "operationId": "rescheduleBooking",
                "summary": "Move the call to another free time.",
                "parameters": [booking_id],
                "requestBody": {"required": True, "content": _json("RescheduleRequest")},
                "responses": {
                    "200": managed,
                    "400": _error("Not a bookable time."),
                    "404": not_found,
                    "409": _error("Taken (slot_taken), or the call was cancelled."),
                },
            }
        },
    }


@endpoint(methods="GET, OPTIONS", wrong_method="Read the API description with GET.")
def handle(call: Call) -> Reply:
    return Reply(document(server_url=call.request.host_url.rstrip("/")))
