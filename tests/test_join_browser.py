"""The join page in Chromium: the password gate, the form it opens, and what reaches the endpoint."""

from __future__ import annotations

import pytest

from browser import axe_violations, opened_page, recording_endpoint, static_site
from test_join import CONTACT, PASSWORD, join_site

pytestmark = pytest.mark.browser

ANSWERS = {  # in the order a keyboard user meets the fields
    "name": "Ada Organizer",
    "email": "ada@example.org",
    "phone": "555 0100",
    "area": "Worcester",
    "chapter": "Central Mass DSA",
    "recruiter": "Sam from the tenant union",
    "project": "A tenant union in our building",
    "message": "Looking forward to it & to the reading group.",
}


@pytest.fixture
def join_page(fixture_site, monkeypatch, serve):
    """The built join page, served from 127.0.0.1 with its _headers; its form posts to a recording endpoint."""
    posts: list[dict[str, list[str]]] = []
    endpoint = serve(recording_endpoint(posts)) + "signup"
    site = join_site(fixture_site, monkeypatch, action=endpoint, password=PASSWORD, styled=True)
    site.build(strict=True)
    return serve(static_site(site.site)) + "join/", endpoint, posts


def unlock(page, password: str) -> None:
    """Type the password and press Enter, as a keyboard user does."""
    page.get_by_label("Recruitment password").fill(password)
    page.get_by_label("Recruitment password").press("Enter")


def test_wrong_password_shows_only_the_message_and_right_one_opens_a_form_that_posts(join_page, browser_page):
    from playwright.sync_api import expect

    url, endpoint, posts = join_page
    page = browser_page.page
    page.goto(url)
    page.screenshot(path="/tmp/join_locked.png", full_page=True)

    unlock(page, "not the password")
    expect(page.locator(".caucus-join__status")).to_contain_text("ask the member who recruited you")
    assert page.locator(".caucus-join form input:not([type=password]), .caucus-join textarea").count() == 0
    assert page.get_by_label("Recruitment password").get_attribute("aria-invalid") == "true"
    page.screenshot(path="/tmp/join_wrong.png", full_page=True)
    assert axe_violations(page, ".caucus-join") == []

    unlock(page, PASSWORD)
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    expect(page.locator(".caucus-join__status")).to_contain_text("The form is open")
    assert page.get_by_label("Recruitment password").count() == 0
    for answer in ANSWERS.values():
        page.keyboard.type(answer)
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send")).to_be_focused()  # the honeypot takes no focus
    expect(page.get_by_text("Leave this field empty")).not_to_be_in_viewport()
    page.screenshot(path="/tmp/join_open.png", full_page=True)
    assert axe_violations(page, ".caucus-join") == []

    with page.expect_navigation(url=endpoint):
        page.keyboard.press("Enter")
    assert posts == [{**{name: [answer] for name, answer in ANSWERS.items()}, "_gotcha": [""]}]
    assert browser_page.errors == []


def test_sending_with_required_fields_empty_announces_what_to_fix(join_page, browser_page):
    from playwright.sync_api import expect

    url, _, posts = join_page
    page = browser_page.page
    page.goto(url)
    unlock(page, PASSWORD)
    page.get_by_label("Email", exact=True).fill("not an address")
    page.get_by_role("button", name="Send").click()
    errors = page.locator(".caucus-join__errors")
    expect(errors).to_contain_text("Name")
    expect(errors).to_contain_text("Email")
    assert errors.get_attribute("aria-live") == "assertive"
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    assert page.get_by_label("Who recruited you").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Phone (optional)").get_attribute("aria-invalid") is None
    for label in ("Name", "Email"):  # each field's own error right below it, and read with it
        field = page.get_by_label(label, exact=True)
        error = page.locator("#" + field.get_attribute("aria-describedby"))
        expect(error).to_be_visible()
        assert error.inner_text() == field.evaluate("el => el.validationMessage") != ""
        field_box, error_box = field.bounding_box(), error.bounding_box()
        assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 20
    expect(page.locator("#" + page.get_by_label("Phone (optional)").get_attribute("aria-describedby"))).to_be_hidden()
    assert posts == [] and browser_page.errors == []


def test_without_javascript_the_contact_link_stays_and_no_password_box_shows(join_page, chromium):
    from playwright.sync_api import expect

    url, _, _ = join_page
    with opened_page(chromium, javascript=False) as tab:
        tab.page.goto(url)
        expect(tab.page.get_by_text("Opening the form needs JavaScript")).to_be_visible()
        expect(tab.page.get_by_label("Recruitment password")).to_be_hidden()
        links = tab.page.locator(".caucus-join__fallback a[href^=mailto]")
        assert links.get_attribute("href") == f"mailto:{CONTACT}" and links.inner_text() == CONTACT
