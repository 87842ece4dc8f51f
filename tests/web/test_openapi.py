"""The published API description, and intake fuzzed against it on the real emulator.

GET /openapi is generated from the same pydantic models that validate submissions, so
the document is checked for what a site developer reads in it; then schemathesis
generates valid and invalid submissions from that document and intake must answer every
one without a server error, refusing with a JSON body a form can show.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis import GenerationMode

SUBMISSION_FIELDS = {
    "form",
    "email",
    "name",
    "company",
    "mobile",
    "message",
    "consent",
    "source",
    "page",
    "answers",
    "submission_id",
    "website",
    "elapsed_ms",
}
REFUSALS = {"400", "403", "405", "413", "415", "503"}


@pytest.fixture(scope="module")
def document(function_client) -> dict[str, Any]:
    response = function_client("openapi").get("/")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def hypothesis_outside_the_repo(tmp_path_factory: pytest.TempPathFactory):
    """Hypothesis caches data under ./.hypothesis even without an example database."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


def schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def test_the_api_is_described_in_openapi_3_1(document) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"]
    assert document["info"]["version"]


def test_the_submission_schema_lists_every_field_and_requires_form_and_email(document) -> None:
    submission = schema(document, "Submission")

    assert set(submission["properties"]) == SUBMISSION_FIELDS
    assert sorted(submission["required"]) == ["email", "form"]
    assert submission["additionalProperties"] is False


def test_the_submission_schema_states_the_limits_intake_enforces(document) -> None:
    properties = schema(document, "Submission")["properties"]
    answers = properties["answers"]

    assert answers["maxProperties"] == 50
    assert answers["propertyNames"]["maxLength"] == 64
    assert {"maxLength": 2000, "type": "string"} in answers["additionalProperties"]["anyOf"]
    assert {"type": "object"} not in answers["additionalProperties"]["anyOf"]
    assert properties["email"]["format"] == "email"
    assert properties["form"]["pattern"] == "^[a-z0-9][a-z0-9_-]{0,39}$"
    assert properties["submission_id"]["anyOf"][0]["pattern"] == "^[A-Za-z0-9_-]{8,128}$"
    assert properties["elapsed_ms"]["anyOf"][0]["minimum"] == 0


def test_intake_takes_json_and_plain_form_posts_with_an_idempotency_key(document) -> None:
    post = document["paths"]["/intake"]["post"]
    submission = {"$ref": "#/components/schemas/Submission"}

    assert post["requestBody"]["content"] == {
        "application/json": {"schema": submission},
        "application/x-www-form-urlencoded": {"schema": submission},
    }
    [header] = post["parameters"]
    assert (header["name"], header["in"]) == ("Idempotency-Key", "header")


def test_every_refusal_intake_gives_is_documented_as_an_error_body(document) -> None:
    responses = document["paths"]["/intake"]["post"]["responses"]
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}

    assert set(responses) >= REFUSALS
    for status in REFUSALS:
        assert responses[status]["content"] == error, status
    assert sorted(schema(document, "ErrorBody")["required"]) == ["error", "message"]
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Accepted"
    }


def test_the_documented_example_is_accepted_by_intake(document, intake, db) -> None:
    [example] = schema(document, "Submission")["examples"]

    response = intake.post("/", json=example)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"ok": True, "submission_id": example["submission_id"]}
    assert db.collection("customers").document(example["email"]).get().exists


def without_honeypot(case: Any) -> Any:
    """A valid case that fills the honeypot is answered without touching the store."""
    if isinstance(case.body, dict):
        case.body.pop("website", None)
    return case


FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def answered_well(case: Any, response: Any, seen: dict[int, int]) -> None:
    """No server error; a refusal is a JSON body naming the problem; every answer is
    what the document says it may be."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    seen[response.status_code] = seen.get(response.status_code, 0) + 1
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        answer = response.json()
        assert isinstance(answer["error"], str) and answer["error"]
        assert isinstance(answer["message"], str) and answer["message"]
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


def test_fuzzed_submissions_never_get_a_server_error_and_every_refusal_is_json(
    document, intake, db, monkeypatch, hypothesis_outside_the_repo
) -> None:
    api = schemathesis.openapi.from_dict(document)
    submit = api["/intake"]["POST"]
    # functions-framework routes every path to its one function, as `--target intake` does.
    app = intake.application
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")  # spam has its own tests; fuzz the store
    seen: dict[int, int] = {}

    @given(
        case=st.one_of(
            submit.as_strategy(generation_mode=GenerationMode.POSITIVE).map(without_honeypot),
            submit.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )
    )
    @FUZZ_SETTINGS
    def intake_survives(case: Any) -> None:
        answered_well(case, case.call(app=app), seen)

    intake_survives()

    # The fuzz reached both sides of validation: it stored customers and it refused.
    assert seen.get(400, 0) > 0, seen
    assert len(list(db.collection("customers").select([]).stream())) >= 10, seen


def test_fuzzed_bookings_and_free_time_questions_never_get_a_server_error(
    document, function_client, db, monkeypatch, hypothesis_outside_the_repo
) -> None:
    """Whatever a script sends to /book and /availability, the answer is a documented
    one: a booking, a refusal naming the field, or a taken time; never a crash."""
    for name in ("HEARTH_GOOGLE_CALENDAR_ID", "HEARTH_ALLOWED_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")
    api = schemathesis.openapi.from_dict(document)
    book = api["/book"]["POST"]
    free = api["/availability"]["GET"]
    apps = {"POST": function_client("book").application}
    apps["GET"] = function_client("availability").application
    seen: dict[int, int] = {}

    @given(
        case=st.one_of(
            book.as_strategy(generation_mode=GenerationMode.POSITIVE).map(without_honeypot),
            book.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            free.as_strategy(generation_mode=GenerationMode.POSITIVE),
            free.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )
    )
    @FUZZ_SETTINGS
    def bookings_survive(case: Any) -> None:
        answered_well(case, case.call(app=apps[case.method.upper()]), seen)

    bookings_survive()
    assert seen.get(400, 0) > 0 and seen.get(200, 0) > 0, seen


def test_track_is_described_and_its_example_is_taken(document, function_client, db) -> None:
    import json

    post = document["paths"]["/track"]["post"]
    hit = {"schema": {"$ref": "#/components/schemas/Hit"}}
    assert post["requestBody"]["content"] == {"text/plain": hit, "application/json": hit}
    assert set(post["responses"]) >= REFUSALS | {"202"}
    properties = schema(document, "Hit")["properties"]
    assert set(properties) == {"id", "name", "url", "referrer", "step", "form", "host"}
    assert sorted(schema(document, "Hit")["required"]) == ["id", "name", "url"]
    [example] = schema(document, "Hit")["examples"]

    answer = function_client("track").post(
        "/",
        data=json.dumps(example),
        content_type="text/plain",
        headers={
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        },
    )
    assert answer.status_code == 202, answer.get_data(as_text=True)
    assert db.collection("analytics_events").document(example["id"]).get().exists


# --- the sales pipeline's admin routes ----------------------------------------------------------

ADMIN_ROUTES = {
    ("/admin/settings/pipeline", "put"): "PipelineRequest",
    ("/admin/sources/{id}", "put"): "SourceRequest",
    ("/admin/sources/{id}", "delete"): None,
    ("/admin/settings/fields", "put"): "FieldSettings",
    ("/admin/tasks", "post"): "NewTask",
    ("/admin/tasks/{id}/done", "post"): None,
    ("/admin/settings/automations", "put"): "AutomationSettings",
    ("/admin/settings/automations/preview", "post"): "AutomationSettings",
    ("/admin/settings/routing", "put"): "RoutingSettings",
    ("/admin/settings/routing/preview", "post"): "RoutingSettings",
    ("/admin/customers/{key}/personal-data", "get"): None,
    ("/admin/customers/{key}/erase", "post"): "EraseRequest",
    ("/admin/privacy/requests", "post"): "PrivacyRequest",
    ("/admin/privacy/requests/{id}/done", "post"): None,
}


def test_the_pipeline_admin_routes_are_described_with_their_request_models(document) -> None:
    from hearth.pipeline import PipelineRequest, SourceRequest
    from hearth.rules.automations import AutomationSettings
    from hearth.rules.custom_fields import FieldSettings
    from hearth.rules.routing import RoutingSettings
    from hearth.tasks import NewTask

    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    staff = document["components"]["securitySchemes"]["staff"]
    assert (staff["type"], staff["scheme"]) == ("http", "bearer")
    for (path, method), model in ADMIN_ROUTES.items():
        operation = document["paths"][path][method]
        assert operation["security"] == [{"staff": []}], path
        assert {"401", "403", "503"} <= set(operation["responses"]), path
        for status, answer in operation["responses"].items():
            if status >= "400":
                assert answer["content"] == error, (path, status)
        if model is None:
            assert "requestBody" not in operation, path
        else:
            content = operation["requestBody"]["content"]["application/json"]
            assert content["schema"] == {"$ref": f"#/components/schemas/{model}"}, path
    # Each body's schema is its model's: the fields the route validates, the required ones.
    for model in (
        PipelineRequest,
        SourceRequest,
        FieldSettings,
        NewTask,
        AutomationSettings,
        RoutingSettings,
    ):
        published = schema(document, model.__name__)
        own = model.model_json_schema()
        assert set(published["properties"]) == set(own["properties"]), model
        assert sorted(published.get("required", [])) == sorted(own.get("required", [])), model
    assert "409" in document["paths"]["/admin/settings/pipeline"]["put"]["responses"]
    assert "409" in document["paths"]["/admin/sources/{id}"]["delete"]["responses"]
    assert set(schema(document, "PipelineRequest")["properties"]) == {"template", "stages"}
    assert set(schema(document, "NewTask")["required"]) == {"customer", "title", "due"}


def test_the_described_source_and_task_ids_are_what_the_admin_routes_accept(document) -> None:
    import re

    from hearth.rules import sources
    from hearth.tasks import usable_task_id

    [source] = document["paths"]["/admin/sources/{id}"]["put"]["parameters"]
    [task] = document["paths"]["/admin/tasks/{id}/done"]["post"]["parameters"]
    source_id, task_id = (
        re.compile(source["schema"]["pattern"]),
        re.compile(task["schema"]["pattern"]),
    )
    for slug in ("instagram", "spring-show-2026", "v1.2", "direct"):
        assert sources.normalise(slug) == slug and source_id.fullmatch(slug), slug
    assert not source_id.fullmatch("Spring Show")
    for made in ("seed-task-01", "follow_up.ev-123"):
        assert usable_task_id(made) and task_id.fullmatch(made), made
