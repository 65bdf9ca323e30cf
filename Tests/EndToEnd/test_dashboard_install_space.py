"""The dashboard's Install page, an app's lifecycle and the Space page in a real browser
(headless Chromium): node A publishes listed releases of an app; node B's owner installs the
first through the Install page by URL (the summary shows the publisher's fingerprint), opens
it, updates it when a newer release appears on A, rolls back, exports its data and uninstalls
it with its name typed; then ends a session and makes an owner token on the Space page. The
API calls behind it are checked without the browser too: tampered releases, confirmations,
other spaces, missing credentials. Screenshots go to $HEARTH_SCREENSHOTS (install-*, space-*)."""
import io
import json
import shutil
import zipfile

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from apps_helpers import FIXTURES, module_node
from auth_helpers import SESSION_COOKIE, Browser, create_space
from browser_helpers import console_errors, new_driver, shot, sign_in, visible, wait
from test_releases import hearth

HTTP = 30
BUILD_WAIT = 180


def new_token(node, name, *extra):
    result = hearth(node, "owner", "token", "create", name, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["token"]


def api(node, method, path, token=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, f"http://localhost:{node.port}/api/v1/{path}", headers=headers, timeout=HTTP, **kwargs)


def stream(response):
    """The JSON lines of a streamed answer, heartbeats left out."""
    assert response.status_code == 200, response.text
    return [line for line in map(json.loads, response.text.splitlines()) if line]


@pytest.fixture(scope="module")
def node_a(tmp_path_factory):
    with module_node(tmp_path_factory, "dash-publisher") as node:
        yield node


@pytest.fixture(scope="module")
def node_b(tmp_path_factory):
    with module_node(tmp_path_factory, "dash-installer") as node:
        yield node


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lantern-src") / "lantern"
    shutil.copytree(FIXTURES / "discovery-site", directory)
    return directory


def publish(node_a, app_dir, version, heading):
    (app_dir / "public" / "index.html").write_text(f"<!doctype html><title>Lantern</title><h1>{heading}</h1>\n")
    if node_a.listing("lantern") is None:
        node_a.install_ok(app_dir, name="lantern")
    else:
        updated = hearth(node_a, "app", "update", "lantern", str(app_dir), "--json")
        assert updated.returncode == 0, updated.stderr
    made = hearth(node_a, "release", "lantern", "--version", version, "--notes", f"Lantern {version}", "--listed", "--json")
    assert made.returncode == 0, made.stderr
    release = json.loads(made.stdout)
    return {**release, "url": f"http://127.0.0.1:{node_a.port}/releases/{release['id']}.zip"}


@pytest.fixture(scope="module")
def first_release(node_a, app_dir):
    return publish(node_a, app_dir, "1.0.0", "Lantern one")


@pytest.fixture(scope="module")
def token_b(node_b):
    return new_token(node_b, "tests")


@pytest.fixture
def driver():
    driver = new_driver()
    yield driver
    driver.quit()


def overview_version(driver):
    # Read in one step: the page renders again after an update or rollback.
    return driver.execute_script("return document.querySelector('.facts')?.innerText || ''")


def test_install_update_rollback_export_uninstall(node_a, node_b, app_dir, first_release, token_b, driver):
    sign_in(driver, node_b, path="/install")
    visible(driver, "#release-url")
    shot(driver, "install-empty")
    driver.find_element(By.ID, "release-check").click()
    assert "release link" in visible(driver, "#install-error").text
    driver.find_element(By.ID, "release-url").send_keys(first_release["url"])
    driver.find_element(By.ID, "release-check").click()
    fingerprint = visible(driver, "#publisher-fingerprint", timeout=60).text
    assert fingerprint == first_release["fingerprint"]
    summary = driver.find_element(By.CSS_SELECTOR, ".summary").text
    assert "Lantern, a light for your notes" in summary and "1.0.0" in summary
    assert "Open to anyone without signing in" in summary
    shot(driver, "install-summary")

    driver.find_element(By.ID, "install-confirm").click()
    visible(driver, "#install-success", timeout=BUILD_WAIT)
    assert "Installing lantern" in driver.find_element(By.CSS_SELECTOR, ".build-log").text
    shot(driver, "install-done")
    assert console_errors(driver, node_b) == []

    driver.find_element(By.ID, "install-open").click()
    wait(driver, lambda d: d.current_url.startswith(f"http://lantern.localhost:{node_b.port}/"))
    assert visible(driver, "h1").text == "Lantern one"
    listing = node_b.listing("lantern")
    assert listing["version"] == "1.0.0" and listing["source"] == f"release:{first_release['url']}"

    # A newer release appears on A: the app page offers it.
    second = publish(node_a, app_dir, "1.1.0", "Lantern two")
    driver.get(f"http://localhost:{node_b.port}/apps/lantern")
    available = visible(driver, "#update-available", timeout=30)
    assert "Update available: 1.1.0" in available.text and "Lantern 1.1.0" in available.text
    shot(driver, "install-update-available")
    driver.find_element(By.ID, "update-go").click()
    visible(driver, "#rollback-go", timeout=BUILD_WAIT)
    assert "1.1.0" in overview_version(driver)
    assert node_b.get("lantern", "/").text.count("Lantern two") == 1
    source = node_b.listing("lantern")["source"]
    assert source.startswith("release:http://") and source.endswith(f"/releases/{second['id']}.zip")
    visible(driver, "#update-none", timeout=30)
    shot(driver, "install-updated")

    driver.find_element(By.ID, "rollback-go").click()
    wait(driver, lambda d: "1.0.0 (before: 1.1.0)" in overview_version(d))
    assert "Lantern one" in node_b.get("lantern", "/").text
    shot(driver, "install-rolled-back")

    # Export: the same call the button makes, checked as a zip with its manifest.
    instance = node_b.listing("lantern")["id"]
    exported = api(node_b, "GET", f"instances/{instance}/export", token_b)
    assert exported.status_code == 200 and exported.headers["Content-Type"] == "application/zip"
    assert "attachment" in exported.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        assert archive.testzip() is None
        assert "hearth-export.json" in archive.namelist()
    driver.find_element(By.ID, "export-go").click()
    wait(driver, lambda d: "Exported lantern" in d.find_element(By.ID, "toasts").text)

    # Uninstall: the button stays off until the name is typed.
    driver.find_element(By.ID, "uninstall-open").click()
    visible(driver, "dialog.uninstall")
    go = driver.find_element(By.ID, "uninstall-go")
    driver.find_element(By.ID, "uninstall-confirm").send_keys("lanter")
    assert not go.is_enabled()
    shot(driver, "install-uninstall-dialog")
    driver.find_element(By.ID, "uninstall-confirm").send_keys("n")
    assert go.is_enabled()
    go.click()
    wait(driver, lambda d: d.current_url == f"http://localhost:{node_b.port}/")
    assert node_b.listing("lantern") is None
    assert console_errors(driver, node_b) == []


def test_install_page_suggests_this_nodes_releases_and_works_dark_and_on_a_phone(node_a, first_release):
    driver = new_driver(390, 844, dark=True)
    try:
        sign_in(driver, node_a, path="/install")
        suggestion = visible(driver, ".suggestions li")
        assert "Lantern" in suggestion.text
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(driver, "install-phone-dark")
        suggestion.find_element(By.TAG_NAME, "button").click()
        visible(driver, "#publisher-fingerprint", timeout=60)
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(driver, "install-summary-phone-dark")
        assert console_errors(driver, node_a) == []
    finally:
        driver.quit()


def test_space_page_revokes_a_session_and_makes_a_token(node_b, driver):
    other = Browser(node_b.port)
    assert other.sign_in()[0] == 303
    cookie = other.cookies[other.dashboard][SESSION_COOKIE]
    headers = {"X-Hearth-Dashboard": "1", "Cookie": f"{SESSION_COOKIE}={cookie}"}
    assert api(node_b, "GET", "space", headers=dict(headers)).status_code == 200

    sign_in(driver, node_b, path="/space")
    rows = visible(driver, "#sessions tbody tr")
    assert rows and "This browser" in driver.find_element(By.ID, "sessions").text
    visible(driver, "#node-facts")
    shot(driver, "space")
    current = driver.find_element(By.CSS_SELECTOR, "#sessions .badge.here").find_element(By.XPATH, "ancestor::tr").get_attribute("data-session")
    revocable = [row for row in driver.find_elements(By.CSS_SELECTOR, "#sessions tbody tr") if row.get_attribute("data-session") != current]
    assert revocable
    before = len(revocable)
    # End every other session (the one made above among them).
    for _ in range(before):
        row = next(row for row in driver.find_elements(By.CSS_SELECTOR, "#sessions tbody tr") if row.get_attribute("data-session") != current)
        ended = row.get_attribute("data-session")
        row.find_element(By.TAG_NAME, "button").click()
        wait(driver, lambda d: d.execute_script(
            "return !document.querySelector(`#sessions tr[data-session='${arguments[0]}']`)", ended))
    assert api(node_b, "GET", "space", headers=dict(headers)).status_code == 401
    assert len(driver.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")) == 1

    driver.find_element(By.ID, "token-name").send_keys("from-the-page", Keys.ENTER)
    secret = visible(driver, "#token-secret").text
    shot(driver, "space-token-created")
    answer = api(node_b, "GET", "space", secret)
    assert answer.status_code == 200 and answer.json()["token"] == "from-the-page"
    assert "from-the-page" in driver.find_element(By.ID, "tokens").text
    assert console_errors(driver, node_b) == []


def test_space_page_dark_and_phone(node_b):
    for name, width, dark in (("space-dark", 1280, True), ("space-phone", 390, False)):
        driver = new_driver(width, 900 if width > 400 else 844, dark=dark)
        try:
            sign_in(driver, node_b, path="/space")
            visible(driver, "#node-facts")
            visible(driver, "#sessions")
            assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
            shot(driver, name)
        finally:
            driver.quit()


# The API without the browser.

def tampered(release_bytes: bytes) -> bytes:
    """The release with one app file changed and its manifest and signature untouched."""
    source = zipfile.ZipFile(io.BytesIO(release_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("index.html"):
                data = data.replace(b"Lantern", b"Lantirn")
            archive.writestr(item, data)
    return buffer.getvalue()


def test_a_tampered_release_is_refused_with_nothing_installed(node_a, node_b, first_release, token_b):
    original = requests.get(first_release["url"], timeout=HTTP).content
    before = [i["id"] for i in api(node_b, "GET", "instances", token_b).json()]
    body = tampered(original)
    headers = {"Content-Type": "application/zip"}
    inspected = api(node_b, "POST", "releases/inspect?file=x.zip", token_b, data=body, headers=dict(headers))
    assert inspected.status_code == 400, inspected.text
    installed = api(node_b, "POST", "install?file=x.zip", token_b, data=body, headers=dict(headers))
    assert installed.status_code == 400, installed.text
    assert [i["id"] for i in api(node_b, "GET", "instances", token_b).json()] == before
    # The untampered file is fine, and a non-http link is refused before any fetch.
    good = api(node_b, "POST", "releases/inspect?file=r.zip", token_b, data=original, headers=dict(headers))
    assert good.status_code == 200 and good.json()["release"]["fingerprint"] == first_release["fingerprint"]
    for link in ("file:///etc/passwd", "/etc/passwd", "ftp://x/y.zip", ""):
        refused = api(node_b, "POST", "releases/inspect", token_b, json={"url": link})
        assert refused.status_code == 400, (link, refused.text)
    unreachable = api(node_b, "POST", "releases/inspect", token_b, json={"url": "http://127.0.0.1:9/releases/x.zip"})
    assert unreachable.status_code == 502 and unreachable.json()["errors"][0]


def test_uninstall_needs_confirmation_and_other_spaces_see_nothing(node_b, first_release, token_b):
    lines = stream(api(node_b, "POST", "install", token_b, json={"url": first_release["url"], "name": "keeper"}))
    instance = lines[-1]["result"]
    assert instance["slug"] == "keeper" and instance["version"] == "1.0.0"
    for body in ({}, {"confirm": "keepe"}, {"confirm": "KEEPER"}):
        refused = api(node_b, "POST", f"instances/{instance['id']}/uninstall", token_b, json=body)
        assert refused.status_code == 400 and "keeper" in refused.json()["errors"][0]
    assert node_b.listing("keeper") is not None
    rollback = api(node_b, "POST", f"instances/{instance['id']}/rollback", token_b)
    assert rollback.status_code == 409
    check = api(node_b, "GET", f"instances/{instance['id']}/update", token_b).json()
    assert check["current"] == "1.0.0" and check["checked"].startswith("http://")

    assert create_space(node_b.data_dir, "elsewhere", owner="someone-else").returncode == 0
    foreign = new_token(node_b, "elsewhere-laptop", "--space", "elsewhere")
    for method, path, kwargs in (("GET", "update", {}), ("POST", "update", {"json": {"url": first_release["url"]}}),
                                 ("POST", "rollback", {}), ("GET", "export", {}),
                                 ("POST", "uninstall", {"json": {"confirm": "keeper"}})):
        assert api(node_b, method, f"instances/{instance['id']}/{path}", foreign, **kwargs).status_code == 404, path
    assert api(node_b, "GET", "space/sessions", foreign).json() == []
    assert "tests" not in [t["name"] for t in api(node_b, "GET", "space/tokens", foreign).json()]
    assert api(node_b, "DELETE", "space/tokens/tests", foreign).status_code == 404
    assert node_b.listing("keeper") is not None

    removed = api(node_b, "POST", f"instances/{instance['id']}/uninstall", token_b, json={"confirm": "keeper"})
    assert removed.status_code == 200 and removed.json() == {"removed": "keeper"}
    assert node_b.listing("keeper") is None


def test_every_new_call_needs_credentials(node_b):
    calls = [("POST", "releases/inspect"), ("POST", "install"), ("GET", "instances/x/update"), ("POST", "instances/x/update"),
             ("POST", "instances/x/rollback"), ("GET", "instances/x/export"), ("POST", "instances/x/uninstall"),
             ("GET", "space/sessions"), ("DELETE", "space/sessions/x"), ("GET", "space/tokens"), ("POST", "space/tokens"),
             ("DELETE", "space/tokens/x"), ("GET", "space/export"), ("POST", "space/import"), ("GET", "node")]
    for method, path in calls:
        assert api(node_b, method, path).status_code == 401, path
        # A session cookie without the dashboard's header does not count either.
        assert api(node_b, method, path, headers={"Cookie": f"{SESSION_COOKIE}=x"}).status_code == 401, path


def test_space_export_and_import_into_a_new_space(node_b, first_release, token_b):
    stream(api(node_b, "POST", "install", token_b, json={"url": first_release["url"], "name": "travels"}))
    exported = api(node_b, "GET", "space/export", token_b)
    assert exported.status_code == 200 and exported.headers["Content-Type"] == "application/zip"
    taken = api(node_b, "POST", "space/import?space=default", token_b, data=exported.content)
    assert taken.status_code == 409
    nameless = api(node_b, "POST", "space/import", token_b, data=exported.content)
    assert nameless.status_code == 400
    garbage = api(node_b, "POST", "space/import?space=copy", token_b, data=b"not a zip")
    assert garbage.status_code == 400
    lines = stream(api(node_b, "POST", "space/import?space=copy&owner=copy-owner", token_b, data=exported.content,
                       headers={"X-Hearth-Passphrase": "another long passphrase"}))
    summary = lines[-1]["result"]
    assert summary["space"] == "copy" and summary["owner"] == "copy-owner"
    assert "travels" in [i["exported_slug"] for i in summary["instances"]]
    copy = Browser(node_b.port)
    assert copy.sign_in("copy-owner", "another long passphrase")[0] == 303
    info = api(node_b, "GET", "node", token_b).json()
    assert info["domain"] == "localhost" and info["port"] == node_b.port and info["instances"] >= 1
    assert isinstance(info["sandboxed"], bool) and info["free_bytes"] > 0
