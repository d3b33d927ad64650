"""Posting real forms to the endpoint: what each case answers and what it stores."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

from endpoint_site import (
    STATIC_ID,
    Client,
    fields,
    make_client,
    settings_for,
    variant,
    write_form,
)

from portal.endpoint.config import EndpointSettings
from portal.storage import Storage

URL = "/responses/bus-lanes"
FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {**FORM, "accept": "application/json"}
SUB = "sub-aaaaaaaaaaaaaaaaaaaa"


def body(**changes: object) -> str:
    return urlencode(fields(**changes))


def test_valid_post_is_stored_then_redirected(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=body(submission_id=SUB), headers=FORM)
    assert response.status_code == 303
    location = response.headers["location"]
    match = re.fullmatch(
        r"/responses/bus-lanes/confirmation/(PR-[2-9A-Z]{4}-[2-9A-Z]{4})#confirmation", location
    )
    assert match
    [row] = storage.rows()
    assert row["reference"] == match[1] and row["submission_id"] == SUB
    assert row["form_id"] == "bus-lanes"
    assert row["answers"]["topics"] == ["safety", "air-quality"]
    assert row["answers"]["age"] == 42 and row["answers"]["privacy"] is True

    page = client.get(location)
    assert page.status_code == 200
    assert match[1] in page.text
    assert "We have your response" in page.text  # the manifest's "what happens next"
    assert "<title>Response sent - Test portal</title>" in page.text
    # The shell's relative links now work from /responses/...
    assert 'href="/assets/stylesheets/main.css"' in page.text
    assert page.headers["cache-control"] == "no-store"


def test_no_ip_address_is_stored(client: Client, site: Path) -> None:
    client.post(URL, content=body(), headers={**FORM, "x-forwarded-for": "203.0.113.9"})
    database = site.parent / "var" / "responses.sqlite3"
    con = sqlite3.connect(database)
    columns = [r[1] for r in con.execute("PRAGMA table_info(responses)")]
    con.close()
    assert columns == [
        "id",
        "form_id",
        "submission_id",
        "reference",
        "received_at",
        "manifest_version",
        "answers",
        "form_version",  # a hash of the questions answered (portal.forms.versions)
        "language",  # of the page it was answered on (portal.forms.languages)
    ]
    raw = b"".join(p.read_bytes() for p in database.parent.iterdir())
    assert b"203.0.113.9" not in raw and b"testclient" not in raw


def multipart(pairs: list[tuple[str, str]], extra: str = "") -> tuple[bytes, dict[str, str]]:
    boundary = "portal-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in pairs
    ]
    text = "".join(parts) + extra + f"--{boundary}--\r\n"
    return text.encode(), {"content-type": f"multipart/form-data; boundary={boundary}"}


def test_multipart_post_is_accepted(client: Client, storage: Storage) -> None:
    content, headers = multipart(fields())
    response = client.post(URL, content=content, headers=headers)
    assert response.status_code == 303
    assert len(storage.rows()) == 1


def test_multipart_with_a_file_is_rejected(client: Client, storage: Storage) -> None:
    upload = (
        '--portal-test-boundary\r\nContent-Disposition: form-data; name="upload"; '
        'filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n'
    )
    content, headers = multipart(fields(), upload)
    response = client.post(URL, content=content, headers=headers)
    # No question takes a file: the post is not one of our forms' (bodies.py).
    assert response.status_code == 400
    assert storage.rows() == []


def test_json_client_gets_reference_and_redirect(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=body(), headers=JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["redirect"] == f"/responses/bus-lanes/confirmation/{data['reference']}"
    assert storage.rows()[0]["reference"] == data["reference"]


def test_invalid_post_rerenders_the_page_with_answers_kept(
    client: Client, storage: Storage
) -> None:
    response = client.post(
        URL,
        content=body(email="not-an-email", travel=None, views="Line one\r\nline <two>"),
        headers=FORM,
    )
    assert response.status_code == 422
    html = response.text
    assert "<title>Error: Bus lanes on the High Street - Test portal</title>" in html
    assert 'role="alert"' in html
    assert (
        '<a href="#email">Enter your email address in the correct format, like name@example.com</a>'
    ) in html
    assert '<a href="#travel">' in html
    assert 'value="not-an-email"' in html and 'value="Ann Example"' in html
    assert "Line one\r\nline &lt;two&gt;</textarea>" in html
    assert 'value="safety" checked' in html and 'value="air-quality" checked' in html
    # The real page around the form, with its links made absolute.
    assert 'href="/assets/stylesheets/main.css"' in html
    assert 'src="/assets/javascripts/bundle.js"' in html
    assert 'href="/consultations/"' in html and 'href="#top"' in html
    assert '"base": "/"' in html
    # A fresh submission id, not the one every static page carries.
    sub = re.search(r'name="submission_id" value="([^"]+)"', html)
    assert sub and sub[1] != STATIC_ID
    assert storage.rows() == []


def test_invalid_post_json_shape(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=body(age="old", privacy=None), headers=JSON)
    assert response.status_code == 422
    assert response.json() == {
        "ok": False,
        "code": "invalid",
        "error": "There is a problem",
        "status": 422,
        "errors": [
            {"field": "age", "message": "“Your age” must be a number, like 12"},
            {
                "field": "privacy",
                "message": "Select the box to agree: I have read the privacy notice",
            },
        ],
    }
    assert storage.rows() == []


def test_unknown_form_is_404(client: Client, storage: Storage) -> None:
    for url in ("/responses/nope", "/responses/..%2F..%2Fsecret", "/responses/Bus-Lanes"):
        response = client.post(url, content=body(), headers=FORM)
        assert response.status_code == 404, url
    assert client.post("/responses/nope", content=body(), headers=JSON).json()["status"] == 404
    assert storage.rows() == []


def test_closed_form_says_so_and_stores_nothing(client: Client, storage: Storage) -> None:
    response = client.post("/responses/closed", content=body(), headers=FORM)
    assert response.status_code == 410
    assert "This consultation has closed" in response.text
    assert "has not been saved" in response.text
    assert storage.rows() == []


def test_form_not_open_yet(client: Client, storage: Storage) -> None:
    response = client.post("/responses/future", content=body(), headers=FORM)
    assert response.status_code == 403
    assert "not open yet" in response.text
    assert storage.rows() == []


def test_body_over_100_kb_by_content_length(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=body(views="x" * 110_000), headers=FORM)
    assert response.status_code == 413
    assert storage.rows() == []


def test_body_over_100_kb_streamed_without_length(client: Client, storage: Storage) -> None:
    chunks = [body().encode()] + [b"&views=" + b"x" * 10_000] * 11
    response = client.post(URL, content=chunks, headers=FORM)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert storage.rows() == []


def test_body_just_under_the_limit_is_read(client: Client, storage: Storage) -> None:
    payload = body(views="x" * 90_000)
    response = client.post(URL, content=[payload.encode()], headers=FORM)
    assert response.status_code == 422  # too long for the question, but read and answered
    assert storage.rows() == []


def test_unknown_and_surplus_fields_are_422(client: Client, storage: Storage) -> None:
    assert client.post(URL, content=body(is_admin="1"), headers=FORM).status_code == 422
    assert client.post(URL, content=body(name=["Ann", "Bob"]), headers=FORM).status_code == 422
    response = client.post(URL, content=body(is_admin="1"), headers=JSON)
    assert response.json()["errors"][0]["field"] == "_form"
    assert storage.rows() == []


def test_honeypot_looks_like_success_and_stores_nothing(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=body(website="http://spam.example"), headers=FORM)
    assert response.status_code == 303
    assert client.get(response.headers["location"]).status_code == 200
    assert storage.rows() == []


def test_cross_site_posts_are_refused(client: Client, storage: Storage) -> None:
    cases = [
        {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        {"sec-fetch-site": "same-site", "origin": "https://other.testserver"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
    ]
    for headers in cases:
        response = client.post(URL, content=body(), headers={**FORM, **headers})
        assert response.status_code == 403, headers
    assert storage.rows() == []
    ok = [
        {"sec-fetch-site": "same-origin", "origin": "http://testserver"},
        {"origin": "http://testserver"},
        {},
    ]
    for index, headers in enumerate(ok):
        response = client.post(
            URL, content=body(submission_id=f"{SUB}{index}"), headers={**FORM, **headers}
        )
        assert response.status_code == 303, headers
    assert len(storage.rows()) == 3


def test_allowlisted_origin_may_post(site: Path) -> None:
    settings = settings_for(site, allowed_origins=("https://www.portal.example",))
    client = make_client(settings)
    headers = {**FORM, "sec-fetch-site": "cross-site", "origin": "https://www.portal.example"}
    assert client.post(URL, content=body(), headers=headers).status_code == 303
    headers["origin"] = "https://evil.example"
    assert client.post(URL, content=body(), headers=headers).status_code == 403
    assert len(client.app.state.storage.rows()) == 1  # type: ignore[attr-defined]


def test_rate_limit_answers_429_with_retry_after(site: Path) -> None:
    client = make_client(settings_for(site, rate_limit="2/minute"))
    for index in range(2):
        response = client.post(URL, content=body(submission_id=f"{SUB}{index}"), headers=FORM)
        assert response.status_code == 303
    response = client.post(URL, content=body(submission_id=f"{SUB}x"), headers=FORM)
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert len(client.app.state.storage.rows()) == 2  # type: ignore[attr-defined]


def test_same_submission_id_stores_once_with_same_reference(
    client: Client, storage: Storage
) -> None:
    first = client.post(URL, content=body(submission_id=SUB), headers=FORM)
    again = client.post(URL, content=body(submission_id=SUB, name="Ann E."), headers=FORM)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    [row] = storage.rows()
    assert row["answers"]["name"] == "Ann Example"


def test_static_page_submission_id_does_not_merge_people(client: Client, storage: Storage) -> None:
    # Without JavaScript every visitor posts the id baked into the static page.
    first = client.post(URL, content=body(submission_id=STATIC_ID), headers=FORM)
    second = client.post(URL, content=body(submission_id=STATIC_ID, name="Bob"), headers=FORM)
    assert first.headers["location"] != second.headers["location"]
    assert [r["answers"]["name"] for r in storage.rows()] == ["Ann Example", "Bob"]


def test_unknown_confirmation_is_404(client: Client) -> None:
    assert client.get("/responses/bus-lanes/confirmation/PR-2222-2222").status_code == 404
    assert client.get("/responses/bus-lanes/confirmation/nonsense").status_code == 404
    assert client.get("/responses/nope/confirmation/PR-2222-2222").status_code == 404


def test_confirmation_is_only_for_its_own_form(client: Client) -> None:
    location = client.post(URL, content=body(), headers=FORM).headers["location"]
    reference = location.split("#")[0].rsplit("/", 1)[1]
    assert client.get(f"/responses/closed/confirmation/{reference}").status_code == 404


def test_bad_encoding_is_400(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=b"name=\xff\xfe", headers=FORM)
    assert response.status_code == 400
    assert storage.rows() == []


def test_security_headers_on_every_response(client: Client) -> None:
    for response in (
        client.get("/health"),
        client.post(URL, content=body(), headers=FORM),
        client.get("/nowhere"),
    ):
        csp = response.headers["content-security-policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
        assert "strict-transport-security" not in response.headers


def test_hsts_over_https(site: Path) -> None:
    client = make_client(settings_for(site), base_url="https://testserver")
    assert "max-age=" in client.get("/health").headers["strict-transport-security"]


def test_health(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["ok"] is True


def test_serves_the_site_on_the_same_origin(site: Path) -> None:
    client = make_client(settings_for(site), site_dir_to_serve=site)
    page = client.get("/consultations/bus-lanes/")
    assert page.status_code == 200 and "<!--portal:form:bus-lanes-->" in page.text
    assert client.get("/api/forms/bus-lanes.json").json()["id"] == "bus-lanes"
    assert client.post(URL, content=body(), headers=FORM).status_code == 303


def test_double_click_without_javascript_stores_once(client: Client, storage: Storage) -> None:
    # The static page's form has no id of its own: the same answers twice in a moment, from
    # the same address and browser, are one double click.
    first = client.post(URL, content=body(submission_id=""), headers=FORM)
    again = client.post(URL, content=body(submission_id=""), headers=FORM)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(storage.rows()) == 1
    # Different answers are a different response, even straight after.
    other = client.post(URL, content=body(submission_id="", name="Bob"), headers=FORM)
    assert other.headers["location"] != first.headers["location"]
    # So is the same answer from another browser on the same address.
    browser = {**FORM, "User-Agent": "another browser"}
    third = client.post(URL, content=body(submission_id=""), headers=browser)
    assert third.headers["location"] != first.headers["location"]
    assert len(storage.rows()) == 3


def test_repeats_are_forgotten_after_the_window() -> None:
    from portal.endpoint.repeats import Repeats

    repeats = Repeats(window=0.0)
    assert repeats.submission_id("f", "1.2.3.4", "ua", {"a": 1}, "first") == "first"
    assert repeats.submission_id("f", "1.2.3.4", "ua", {"a": 1}, "second") == "second"
    remembered = Repeats()
    assert remembered.submission_id("f", "1.2.3.4", "ua", {"a": 1}, "first") == "first"
    assert remembered.submission_id("f", "1.2.3.4", "ua", {"a": 1}, "second") == "first"
    # Only a keyed hash is held: no address in memory either.
    assert "1.2.3.4" not in repr(remembered.seen)


def test_unsupported_content_type_is_400(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=body(), headers={"content-type": "text/plain"})
    assert response.status_code == 400
    assert storage.rows() == []


def test_malformed_multipart_is_400(client: Client, storage: Storage) -> None:
    headers = {"content-type": "multipart/form-data; boundary=xyz"}
    response = client.post(URL, content=b"--xyz\r\nnot a part header\r\n", headers=headers)
    assert response.status_code == 400
    assert storage.rows() == []


def test_a_length_that_is_not_a_number_is_413(client: Client, storage: Storage) -> None:
    response = client.post(URL, content=body(), headers={**FORM, "content-length": "lots"})
    assert response.status_code == 413
    assert storage.rows() == []


def test_a_submission_id_from_another_form_is_not_merged(site: Path) -> None:
    write_form(site, variant("second"))
    client = make_client(settings_for(site))
    try:
        assert client.post(URL, content=body(submission_id=SUB), headers=FORM).status_code == 303
        response = client.post(
            "/responses/second", content=body(submission_id=SUB, name="Bob"), headers=FORM
        )
        assert response.status_code == 422
        assert "could not be matched to this form" in response.text
        assert "Bob" in response.text  # the answers are kept for sending again
        assert [r["form_id"] for r in client.storage.rows()] == ["bus-lanes"]
    finally:
        client.storage.dispose()


def test_closed_and_not_yet_open_answer_json_clients(client: Client, storage: Storage) -> None:
    closed = client.post("/responses/closed", content=body(), headers=JSON)
    assert closed.status_code == 410
    assert closed.json() == {
        "ok": False,
        "code": "closed",
        "error": "This consultation has closed",
        "errors": [],
        "status": 410,
    }
    future = client.post("/responses/future", content=body(), headers=JSON)
    assert future.status_code == 403
    assert future.json()["code"] == "not_open_yet"
    assert storage.rows() == []


def test_a_database_failure_keeps_every_answer_for_sending_again(
    client: Client, storage: Storage, settings: EndpointSettings
) -> None:
    db = str(settings.database_url).removeprefix("sqlite:///")
    with sqlite3.connect(db) as broken:  # the table gone, as after a failed restore
        broken.execute("DROP TABLE responses")
    response = client.post(URL, content=body(submission_id=SUB, name="Ann Keep"), headers=FORM)
    assert response.status_code == 503
    assert "We could not save your response just now" in response.text
    assert 'value="Ann Keep"' in response.text  # the answers are still in the form
    assert f'name="submission_id" value="{SUB}"' in response.text
    as_json = client.post(URL, content=body(submission_id=SUB), headers=JSON)
    assert as_json.status_code == 503
    assert as_json.json()["errors"][0]["field"] == "_form"
    # Once the database is back, sending the same page again stores the response once.
    storage.create()
    for _ in range(2):
        again = client.post(URL, content=body(submission_id=SUB, name="Ann Keep"), headers=FORM)
        assert again.status_code == 303
    assert [r["answers"]["name"] for r in storage.rows()] == ["Ann Keep"]
