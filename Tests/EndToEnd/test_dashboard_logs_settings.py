"""An app's Logs and Settings tabs in a real browser (headless Chromium), and the owner API
calls behind them: a live tail that shows a line written after the tab opened, "Run now" on a
scheduled action, a configuration change the micro sees, an app key created in the page and
used against the app then deleted, and usage figures. Without the browser: the calls refuse
missing credentials, other spaces' instances and undeclared variables, and the live tail is a
real event stream. Screenshots (light, dark, phone) go to $HEARTH_SCREENSHOTS as logs-* and
settings-*."""
import json
import threading
import time
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from apps_helpers import module_node
from auth_helpers import create_space
from browser_helpers import console_errors, new_driver, shot, sign_in, visible, wait
from conftest import HTTP_TIMEOUT
from test_releases import hearth


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "dashboard-logs") as node:
        node.install_ok("notes-asgi", name="notes")
        node.install_ok("scheduled", name="jobs")
        node.install_ok("auth-echo", name="echo")
        yield node


def new_token(node, name, *extra):
    result = hearth(node, "owner", "token", "create", name, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["token"]


@pytest.fixture(scope="module")
def token(node):
    return new_token(node, "tests")


def ids(node):
    return {app["slug"]: app["id"] for app in node.apps()}


def api(node, method, path, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    headers |= kwargs.pop("headers", {})
    return requests.request(method, f"{node.url}/api/v1/{path}", headers=headers, timeout=HTTP_TIMEOUT, **kwargs)


def dashboard_cookie(node):
    return f"{node.browser.session_cookie}={node.browser.session(f'localhost:{node.port}')}"


# ----- The API, without a browser -----

def test_every_call_needs_credentials(node):
    notes = ids(node)["notes"]
    for method, path in [("GET", "logs"), ("GET", "logs/stream"), ("GET", "actions"), ("POST", "actions/tick/run"),
                         ("GET", "env"), ("PUT", "env"), ("GET", "keys"), ("POST", "keys"), ("DELETE", "keys/x"),
                         ("GET", "public-routes"), ("GET", "usage"), ("POST", "restart")]:
        response = api(node, method, f"instances/{notes}/{path}")
        assert response.status_code == 401, (method, path, response.text)
    # The dashboard's session counts without its header only for the live tail, and only when
    # the browser says the request comes from the dashboard itself.
    cookie = {"Cookie": dashboard_cookie(node)}
    assert api(node, "GET", f"instances/{notes}/logs", headers=cookie).status_code == 401
    assert api(node, "GET", f"instances/{notes}/logs/stream", headers=cookie | {"Sec-Fetch-Site": "cross-site"}).status_code == 401
    assert api(node, "GET", f"instances/{notes}/logs/stream", headers=cookie).status_code == 401
    same = api(node, "GET", f"instances/{notes}/logs/stream?lines=0", headers=cookie | {"Sec-Fetch-Site": "same-origin"},
               stream=True)
    assert same.status_code == 200 and same.headers["Content-Type"] == "text/event-stream"
    same.close()


def test_another_space_sees_nothing(node, token):
    notes = ids(node)["notes"]
    assert create_space(node.data_dir, "other", owner="other-owner").returncode == 0
    foreign = new_token(node, "other-tests", "--space", "other")
    for method, path, body in [("GET", "logs", None), ("GET", "logs/stream", None), ("GET", "actions", None),
                               ("PUT", "env", {"values": {"GREETING": "stolen"}}), ("POST", "keys", {"name": "stolen"}),
                               ("GET", "keys", None), ("GET", "usage", None), ("POST", "restart", None)]:
        response = api(node, method, f"instances/{notes}/{path}", foreign, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["errors"]
    assert api(node, "GET", f"instances/{notes}/env", token).json()[0]["value"] is None


def test_configuration_is_validated(node, token):
    notes = ids(node)["notes"]
    unknown = api(node, "PUT", f"instances/{notes}/env", token, json={"values": {"NOPE": "x", "GREETING": "hi"}})
    assert unknown.status_code == 400 and "GREETING" in unknown.json()["errors"][0], unknown.text
    assert api(node, "PUT", f"instances/{notes}/env", token, data=b"not json").status_code == 400
    assert api(node, "PUT", f"instances/{notes}/env", token, json={"values": {"GREETING": "a\u0000b"}}).status_code == 400
    assert api(node, "PUT", f"instances/{notes}/env", token, json={"values": {"GREETING": "x" * 40000}}).status_code == 400
    # Nothing was set by the refused calls.
    variables = {v["name"]: v for v in api(node, "GET", f"instances/{notes}/env", token).json()}
    assert variables["GREETING"]["value"] is None and variables["GREETING"]["default"] == "hello"
    assert set(variables) == {"GREETING", "UNSET_WITHOUT_DEFAULT"}


def test_logs_and_their_validation(node, token):
    notes = ids(node)["notes"]
    node.get("notes", "/print?api-lines")
    lines = api(node, "GET", f"instances/{notes}/logs?micro=notes&lines=50", token).json()
    assert lines["micro"] == "notes" and any("printed: api-lines" in line for line in lines["lines"])
    assert api(node, "GET", f"instances/{notes}/logs?micro=build", token).json()["lines"]
    missing = api(node, "GET", f"instances/{notes}/logs?micro=nope", token)
    assert missing.status_code == 404 and "notes, build" in missing.json()["errors"][0]
    for bad in ("abc", "-1", "100000"):
        assert api(node, "GET", f"instances/{notes}/logs?lines={bad}", token).status_code == 400


def test_live_tail_is_an_event_stream(node, token):
    notes = ids(node)["notes"]
    marker = f"stream-{uuid.uuid4().hex[:8]}"
    response = api(node, "GET", f"instances/{notes}/logs/stream?micro=notes&lines=5", token, stream=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store"
    seen = []
    threading.Timer(1.0, lambda: node.get("notes", f"/print?{marker}")).start()
    deadline = time.monotonic() + 20
    for raw in response.iter_lines(decode_unicode=True):
        seen.append(raw)
        if marker in raw or time.monotonic() > deadline:
            break
    response.close()
    assert seen[0] == "retry: 3000"
    assert any(line.startswith("data: ") and marker in line for line in seen), seen


def test_actions_run_now_through_the_api(node, token):
    jobs = ids(node)["jobs"]
    listed = {a["id"]: a for a in api(node, "GET", f"instances/{jobs}/actions", token).json()}
    assert listed["tick"]["schedule"] == "every 1 minute" and listed["tick"]["micro"] == "jobs"
    assert listed["nightly"]["schedule"].startswith("cron 0 3 * * *")
    run = api(node, "POST", f"instances/{jobs}/actions/tick/run", token).json()
    assert run["succeeded"] is True and run["trigger"] == "manual" and "succeeded: 200" in run["result"]
    after = {a["id"]: a for a in api(node, "GET", f"instances/{jobs}/actions", token).json()}
    assert after["tick"]["runs"][0] == run and after["tick"]["last_run"]
    assert api(node, "POST", f"instances/{jobs}/actions/nope/run", token).status_code == 404


def test_keys_only_for_apps_that_take_them(node, token):
    notes = ids(node)["notes"]
    assert api(node, "GET", f"instances/{notes}/keys", token).json() == {"enabled": False, "micros": [], "keys": []}
    refused = api(node, "POST", f"instances/{notes}/keys", token, json={"name": "k"})
    assert refused.status_code == 409 and "api_keys" in refused.json()["errors"][0]
    echo = ids(node)["echo"]
    assert api(node, "POST", f"instances/{echo}/keys", token, json={"name": ""}).status_code == 400
    assert api(node, "DELETE", f"instances/{echo}/keys/none-such", token).status_code == 404
    routes = api(node, "GET", f"instances/{echo}/public-routes", token).json()
    assert {r["micro"]: r["routes"] for r in routes} == {"site": ["/public/*", "/hello"], "api": ["/open/*"]}


# ----- In the browser -----

@pytest.fixture
def driver():
    driver = new_driver()
    yield driver
    driver.quit()


@pytest.fixture
def dark_driver():
    driver = new_driver(dark=True)
    yield driver
    driver.quit()


def pane_text(driver):
    return driver.find_element(By.CSS_SELECTOR, ".log-pane").text


def test_logs_tab_tails_live(node, driver):
    node.get("notes", "/print?before-the-tab")
    sign_in(driver, node, path="/apps/notes/logs")
    wait(driver, lambda d: "live" in d.find_element(By.CSS_SELECTOR, ".log-status").text)
    wait(driver, lambda d: "printed: before-the-tab" in pane_text(d))
    # A request made after the tab opened shows without a reload.
    node.get("notes", "/print?after-the-tab")
    wait(driver, lambda d: "printed: after-the-tab" in pane_text(d))
    shot(driver, "logs-live")
    # Paused, new lines wait; resumed, they show.
    driver.find_element(By.XPATH, "//button[text()='Pause']").click()
    node.get("notes", "/print?while-paused")
    time.sleep(1.5)
    assert "while-paused" not in pane_text(driver)
    assert "paused" in driver.find_element(By.CSS_SELECTOR, ".log-status").text
    driver.find_element(By.XPATH, "//button[text()='Resume']").click()
    wait(driver, lambda d: "printed: while-paused" in pane_text(d))
    driver.find_element(By.XPATH, "//button[text()='Clear']").click()
    assert pane_text(driver) == ""
    # The build log.
    Select(driver.find_element(By.ID, "log-source")).select_by_value("build")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".log-line") and "printed" not in pane_text(d))
    shot(driver, "logs-build")
    assert console_errors(driver, node) == []


def test_run_an_action_now(node, dark_driver):
    driver = dark_driver
    sign_in(driver, node, path="/apps/jobs/logs")
    card = visible(driver, '.action[data-action="tick"]')
    assert "every 1 minute" in card.text
    card.find_element(By.XPATH, ".//button[text()='Run now']").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '.action[data-action="tick"] .run.ok'))
    assert "succeeded: 200" in driver.find_element(By.CSS_SELECTOR, '.action[data-action="tick"] .run-result').text
    # The run's line reaches the micro's log too, live.
    wait(driver, lambda d: "action tick succeeded" in pane_text(d))
    shot(driver, "logs-actions-dark")
    assert console_errors(driver, node) == []


def test_configuration_reaches_the_micro(node, driver):
    assert node.micro_env("notes")["GREETING"] == "hello"
    sign_in(driver, node, path="/apps/notes/settings")
    field = visible(driver, "#env-GREETING")
    assert field.get_attribute("placeholder") == "hello"
    assert "What the app says" in driver.find_element(By.CSS_SELECTOR, ".env-form").text
    field.send_keys("bonjour")
    shot(driver, "settings-configuration")
    driver.find_element(By.XPATH, "//button[text()='Save and restart']").click()
    wait(driver, lambda d: any("restarted" in t.text for t in d.find_elements(By.CSS_SELECTOR, ".toast")))
    assert node.micro_env("notes")["GREETING"] == "bonjour"
    # Empty again: back to the default.
    driver.execute_script("document.getElementById('toasts').replaceChildren()")
    field.clear()
    driver.find_element(By.XPATH, "//button[text()='Save and restart']").click()
    wait(driver, lambda d: any("restarted" in t.text for t in d.find_elements(By.CSS_SELECTOR, ".toast")))
    assert node.micro_env("notes")["GREETING"] == "hello"
    assert console_errors(driver, node) == []


def test_app_key_created_used_and_deleted(node, dark_driver):
    driver = dark_driver
    without = node.request("echo", "GET", "/api/private", signed_in=False)
    assert without.status_code != 200
    sign_in(driver, node, path="/apps/echo/settings")
    visible(driver, "#key-name").send_keys("script")
    driver.find_element(By.XPATH, "//button[text()='Create key']").click()
    key = visible(driver, "dialog #new-key").get_attribute("value")
    assert len(key) >= 40
    shot(driver, "settings-key-once-dark")
    driver.find_element(By.XPATH, "//dialog//button[text()='Done']").click()
    row = visible(driver, 'tr[data-key="script"]')
    assert key[:4] in row.text and key not in driver.find_element(By.TAG_NAME, "body").text
    used = node.request("echo", "GET", "/api/private", signed_in=False, headers={"X-Space-App-Key": key})
    assert used.status_code == 200, used.text
    shot(driver, "settings-keys-dark")
    row.find_element(By.XPATH, ".//button[text()='Delete']").click()
    visible(driver, "dialog").find_element(By.XPATH, ".//button[text()='Delete key']").click()
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, 'tr[data-key="script"]'))
    refused = node.request("echo", "GET", "/api/private", signed_in=False, headers={"X-Space-App-Key": key})
    assert refused.status_code == without.status_code
    # Public routes, read-only.
    routes = driver.find_element(By.CSS_SELECTOR, '[aria-labelledby="settings-routes"]').text
    assert "/public/*" in routes and "/api/open/*" in routes and "without signing in" in routes
    assert console_errors(driver, node) == []


def test_usage_restart_and_a_phone(node):
    node.get("notes", "/env")
    driver = new_driver(390, 844)
    try:
        sign_in(driver, node, path="/apps/notes/settings")
        usage = visible(driver, ".usage-storage")
        figures = {f.find_element(By.CSS_SELECTOR, ".muted").text: f.find_element(By.CSS_SELECTOR, ".figure-value").text
                   for f in driver.find_elements(By.CSS_SELECTOR, ".figure")}
        assert {"Requests", "Wakes", "CPU time", "Peak memory"} <= set(figures)
        assert int(figures["Requests"].replace(",", "")) >= 1 and figures["CPU time"].endswith(" s")
        assert "of 10 GiB" in usage.text and "used in all" in usage.text
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        driver.execute_script("arguments[0].scrollIntoView()", usage)
        shot(driver, "settings-usage-phone")
        driver.find_element(By.XPATH, "//button[text()='Restart app']").click()
        visible(driver, "dialog").find_element(By.XPATH, ".//button[text()='Restart']").click()
        wait(driver, lambda d: any("restarted" in t.text for t in d.find_elements(By.CSS_SELECTOR, ".toast")))
        wait(driver, lambda d: node.running("notes") == [])
        driver.get(f"http://localhost:{node.port}/apps/notes/logs")
        wait(driver, lambda d: "live" in d.find_element(By.CSS_SELECTOR, ".log-status").text)
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(driver, "logs-phone")
        assert console_errors(driver, node) == []
    finally:
        driver.quit()


def test_screenshots_of_settings_light_and_dark(node):
    for dark in (False, True):
        driver = new_driver(1280, 2000, dark=dark)
        try:
            sign_in(driver, node, path="/apps/echo/settings")
            visible(driver, ".usage-storage")
            shot(driver, f"settings-{'dark' if dark else 'light'}")
            driver.get(f"http://localhost:{node.port}/apps/jobs/logs")
            visible(driver, ".action-list")
            shot(driver, f"logs-{'dark' if dark else 'light'}")
            assert console_errors(driver, node) == []
        finally:
            driver.quit()
