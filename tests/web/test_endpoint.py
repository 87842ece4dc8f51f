"""The one endpoint wrapper: whatever a handler does, the caller gets JSON it can act on.

Handlers here are tiny stand-ins served by a real Flask app, so what is tested is the
wrapper's own promise: refusals carry their status and fields, a store failure is a
503 to retry, and a bug is a JSON 500 whose request id is also in the log, never
Flask's HTML page.
"""

from __future__ import annotations

import logging

import flask
from google.api_core.exceptions import ServiceUnavailable

from hearth.errors import Conflict, Invalid
from hearth.web.endpoint import Call, Reply, endpoint


def served(handler):
    app = flask.Flask(__name__)
    handle = endpoint(methods="POST, OPTIONS", wrong_method="Use POST.")(handler)
    app.add_url_rule("/", "f", lambda: handle(flask.request), methods=["GET", "POST", "OPTIONS"])
    return app.test_client()


def answer_and_log(handler, caplog):
    """What the caller got, and what the endpoint logged at ERROR while answering."""
    with caplog.at_level(logging.ERROR, logger="hearth.web.endpoint"):
        answer = served(handler).post("/", json={})
    return answer, " ".join(record.getMessage() for record in caplog.records)


def test_an_unexpected_error_is_json_500_with_the_request_id_the_log_carries(caplog):
    def broken(call: Call) -> Reply:
        raise RuntimeError("a bug")

    answer, log = answer_and_log(broken, caplog)
    assert answer.status_code == 500
    assert answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["error"] == "internal"
    assert body["requestId"] in body["message"]
    assert body["requestId"] in log
    assert "<html" not in answer.get_data(as_text=True).lower()


def test_the_platforms_trace_id_is_the_request_id():
    def broken(call: Call) -> Reply:
        raise KeyError("x")

    answer = served(broken).post(
        "/", json={}, headers={"X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1"}
    )
    assert answer.get_json()["requestId"] == "105445aa7843bc8bf206b12000100000"


def test_a_refusal_carries_its_status_code_and_fields():
    def refuse(call: Call) -> Reply:
        raise Invalid({"email": "Enter an e-mail address."})

    answer = served(refuse).post("/", json={})
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": "invalid",
        "message": "Some fields need attention.",
        "fields": {"email": "Enter an e-mail address."},
    }


def test_a_conflict_can_show_what_is_there_now():
    def conflict(call: Call) -> Reply:
        error = Conflict("Changed meanwhile.")
        error.current = {"name": "Ana"}
        raise error

    body = served(conflict).post("/", json={}).get_json()
    assert body["error"] == "conflict" and body["current"] == {"name": "Ana"}


def test_a_store_outage_is_a_503_to_retry_after_a_while():
    def outage(call: Call) -> Reply:
        raise ServiceUnavailable("firestore is down")

    answer = served(outage).post("/", json={})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.get_json()["error"] == "store_unavailable"


def test_a_wrong_method_is_a_405_naming_what_to_use():
    answer = served(lambda call: Reply({"ok": True})).get("/")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "POST, OPTIONS"
    assert answer.get_json()["message"] == "Use POST."


def test_a_handlers_answer_is_json_with_no_store():
    answer = served(lambda call: Reply({"ok": True}, 201)).post("/", json={})
    assert answer.status_code == 201
    assert answer.get_json() == {"ok": True}
    assert answer.headers["Cache-Control"] == "no-store"


def test_contention_tells_the_caller_to_retry_and_only_the_log_which_document(caplog):
    from hearth.errors import SAVE_FAILED
    from hearth.store.calls import ContentionError

    def contended(call: Call) -> Reply:
        raise ContentionError("customer ana@example.org stayed contended for 25 attempts")

    answer, log = answer_and_log(contended, caplog)
    assert answer.status_code == 503
    assert answer.get_json()["message"] == SAVE_FAILED
    assert "ana@example.org" not in answer.get_data(as_text=True)
    assert "ana@example.org" in log


def test_the_work_after_an_answer_runs_once_the_server_has_written_it():
    ran: list[str] = []

    def answer_then_work(call: Call) -> Reply:
        return Reply({"ok": True}, after=lambda: ran.append("after"))

    answer = served(answer_then_work).post("/", json={}, buffered=False)
    assert answer.get_json() == {"ok": True} and ran == []  # written, not yet finished
    answer.close()  # what the WSGI server does after the last byte
    assert ran == ["after"]


def test_a_failure_after_the_answer_is_logged_and_never_reaches_the_caller(caplog):
    def answer_then_fail(call: Call) -> Reply:
        def work() -> None:
            raise RuntimeError("routing broke")

        return Reply({"ok": True}, after=work)

    with caplog.at_level(logging.ERROR, logger="hearth.web.endpoint"):
        answer = served(answer_then_fail).post("/", json={}, buffered=True)
    assert answer.status_code == 200 and answer.get_json() == {"ok": True}
    assert "the work after the answer failed" in caplog.text
    assert "routing broke" in caplog.text
