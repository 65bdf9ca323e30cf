"""The dashboard issue's "done when", in a real browser: a person who has never used Hearth
signs in, installs an app another node published (by its link), uses it, finds and edits its
data, and reads its logs, with nothing but what the pages say. Screenshots: journey-*."""
import json
import subprocess

import pytest
from selenium.webdriver.common.by import By

from apps_helpers import module_node
from browser_helpers import console_errors, new_driver, shot, sign_in, visible, wait
from conftest import CLI_TIMEOUT, HEARTH_BIN
from test_dashboard_data import set_textarea
from test_releases import hearth

BUILD_WAIT = 300


@pytest.fixture(scope="module")
def publisher(tmp_path_factory):
    with module_node(tmp_path_factory, "journey-publisher") as node:
        yield node


@pytest.fixture(scope="module")
def person(tmp_path_factory):
    with module_node(tmp_path_factory, "journey-person") as node:
        yield node


@pytest.fixture(scope="module")
def release_url(publisher, tmp_path_factory):
    app = tmp_path_factory.mktemp("journey-src") / "jotter"
    made = subprocess.run([HEARTH_BIN, "new", str(app), "--template", "python"], capture_output=True, text=True,
                          timeout=CLI_TIMEOUT)
    assert made.returncode == 0, made.stderr
    pushed = hearth(publisher, "push", str(app), "--json")
    assert pushed.returncode == 0, pushed.stderr
    release = hearth(publisher, "release", json.loads(pushed.stdout)["slug"], "--version", "1.0.0", "--listed", "--json")
    assert release.returncode == 0, release.stderr
    return f"http://127.0.0.1:{publisher.port}/releases/{json.loads(release.stdout)['id']}.zip"


def text_of(driver, selector):
    """An element's text read in one step, as pages render it again while they update."""
    return driver.execute_script("return document.querySelector(arguments[0])?.innerText || ''", selector)


def app_items(driver):
    return [row.text.removesuffix("Delete").strip() for row in driver.find_elements(By.CSS_SELECTOR, "#items li")]


def test_a_newcomer_installs_uses_edits_and_reads_logs(person, release_url):
    driver = new_driver()
    try:
        # Signs in and finds nothing yet, with the way forward on the page.
        sign_in(driver, person)
        visible(driver, ".empty")
        shot(driver, "journey-1-empty")
        driver.find_element(By.LINK_TEXT, "Install your first app").click()

        # Installs from the link, after seeing who published it and what it asks for.
        visible(driver, "#release-url").send_keys(release_url)
        driver.find_element(By.ID, "release-check").click()
        visible(driver, "#publisher-fingerprint", timeout=60)
        shot(driver, "journey-2-summary")
        driver.find_element(By.ID, "install-confirm").click()
        visible(driver, "#install-success", timeout=BUILD_WAIT)
        shot(driver, "journey-3-installed")

        # Uses it: its own page, at its own address.
        driver.find_element(By.ID, "install-open").click()
        wait(driver, lambda d: ".localhost:" in d.current_url and not d.current_url.startswith(f"http://localhost:"))
        app_url = driver.current_url
        visible(driver, "#add input").send_keys("buy lamp oil")
        driver.find_element(By.CSS_SELECTOR, "#add button").click()
        wait(driver, lambda d: app_items(d) == ["buy lamp oil"])
        shot(driver, "journey-4-using")

        # Finds its data and edits it.
        driver.get(f"http://localhost:{person.port}/")
        visible(driver, ".app a.button:not(.primary)").click()
        visible(driver, ".tabs").find_element(By.LINK_TEXT, "Data").click()
        row = visible(driver, "#data-items-table tbody tr")
        assert "buy lamp oil" in row.text
        row.find_element(By.CSS_SELECTOR, "th button").click()
        editor = visible(driver, "#item-json")
        item = json.loads(editor.get_attribute("value"))
        set_textarea(driver, editor, json.dumps({**item, "text": "buy more lamp oil"}, indent=2))
        shot(driver, "journey-5-editing")
        driver.find_element(By.ID, "item-save").click()
        wait(driver, lambda d: "buy more lamp oil" in text_of(d, "#data-items-table"))
        driver.get(app_url)
        wait(driver, lambda d: app_items(d) == ["buy more lamp oil"])

        # Reads its logs: the requests it just served are there.
        driver.get(f"http://localhost:{person.port}/")
        visible(driver, ".app a.button:not(.primary)").click()
        visible(driver, ".tabs").find_element(By.LINK_TEXT, "Logs").click()
        wait(driver, lambda d: "/api/items" in text_of(d, ".log-pane"), timeout=30)
        shot(driver, "journey-6-logs")
        assert console_errors(driver, person) == []
    finally:
        driver.quit()
