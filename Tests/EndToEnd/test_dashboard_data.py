"""The data browser: an app's Bases and Drives in the dashboard's Data tab, in a real browser
(headless Chromium), checked against Deta's own Base and Drive APIs with the instance's data
key; and its owner API calls without a browser — what they refuse and whom they refuse.
Screenshots go to $HEARTH_SCREENSHOTS, named `data-…`."""
import json
import struct
import zlib

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from apps_helpers import module_node
from auth_helpers import create_space
from browser_helpers import console_errors, new_driver, shot, sign_in, visible, wait
from conftest import HTTP_TIMEOUT
from test_releases import hearth



def png(width: int, height: int) -> bytes:
    """An RGB PNG of stripes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    colors = [(200, 102, 28), (31, 122, 61), (40, 90, 200)]
    raw = b"".join(b"\0" + b"".join(bytes(colors[(x // 8) % 3]) for x in range(width)) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PNG = png(240, 160)
TEXT = "Groceries\n- apples <b>not bold</b>\n- bread & butter\n"


def token_for(node, name, *extra):
    result = hearth(node, "owner", "token", "create", name, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["token"]


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "dashboard-data") as node:
        node.notes = node.install_ok("notes-asgi", name="notes")
        node.other = node.install_ok("notes-asgi", name="scratch")
        yield node


@pytest.fixture(scope="module")
def token(node):
    return token_for(node, "data-tests")


def call(node, method, path, token=None, headers=None, **kwargs):
    headers = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
    return requests.request(method, f"{node.url}/api/v1/{path}", headers=headers, timeout=HTTP_TIMEOUT, **kwargs)


# ----- the API, without a browser -----

def test_items_are_validated_and_match_the_base_api(node, token):
    id = node.other["id"]
    items = f"instances/{id}/bases/people/items"
    assert call(node, "GET", f"instances/{id}/data", token).json() == {"bases": [], "drives": []}
    for body, words in [(b"[1, 2]", "JSON object"), (b"{\"name\": ", "JSON"), (b"", "empty"),
                        (json.dumps({"key": "someone-else"}).encode(), "differs from the key"),
                        (json.dumps({"key": 7}).encode(), "Key must be a string"),
                        (json.dumps({"__expires": "soon"}).encode(), "__expires must be a number")]:
        answer = call(node, "PUT", f"{items}/ada", token, data=body)
        assert answer.status_code == 400, (body, answer.text)
        assert words in answer.json()["errors"][0], (body, answer.text)
    stored = call(node, "PUT", f"{items}/ada", token, json={"name": "Ada", "age": 36})
    assert stored.status_code == 200 and stored.json() == {"key": "ada", "name": "Ada", "age": 36}
    assert node.base_of(id, "people").get("ada").json() == {"key": "ada", "name": "Ada", "age": 36}
    assert call(node, "POST", f"instances/{id}/bases/people/items", token, json={"key": "ada"}).status_code == 409
    made = call(node, "POST", f"instances/{id}/bases/people/items", token, json={"name": "Grace", "age": 45})
    assert made.status_code == 201 and len(made.json()["key"]) > 0
    # A key with a slash travels percent-encoded.
    assert call(node, "PUT", f"{items}/a%2Fb", token, json={"x": 1}).json() == {"key": "a/b", "x": 1}
    assert node.base_of(id, "people").get("a/b").status_code == 200
    query = call(node, "POST", f"instances/{id}/bases/people/query", token, json={"query": [{"age?gt": 40}], "limit": 5})
    assert query.status_code == 200 and [item["name"] for item in query.json()["items"]] == ["Grace"]
    paged = call(node, "POST", f"instances/{id}/bases/people/query", token, json={"limit": 1}).json()
    assert paged["paging"]["size"] == 1 and paged["paging"]["last"] == paged["items"][0]["key"]
    bad = call(node, "POST", f"instances/{id}/bases/people/query", token, json={"query": "age > 3"})
    assert bad.status_code == 400 and bad.json()["errors"]
    assert call(node, "GET", f"instances/{id}/data", token).json()["bases"] == [{"name": "people", "items": 3}]
    assert call(node, "DELETE", f"{items}/ada", token).json() == {"key": "ada"}
    assert call(node, "DELETE", f"{items}/ada", token).status_code == 404
    assert call(node, "GET", f"{items}/ada", token).status_code == 404
    assert node.base_of(id, "people").get("ada").status_code == 404
    assert call(node, "PUT", f"instances/{id}/bases/people/items/big", token, json={"x": "y" * 500_000}).status_code == 400


def test_files_upload_list_download_and_delete(node, token):
    id = node.other["id"]
    files = f"instances/{id}/drives/docs/files"
    assert call(node, "POST", files, token, params={"name": "notes/today.txt"}, data=TEXT.encode(),
                headers={"Content-Type": "text/plain"}).status_code == 201
    assert call(node, "POST", files, token, params={"name": "top.png"}, data=PNG).status_code == 201
    top = call(node, "GET", files, token).json()
    assert top["folders"] == ["notes/"] and [f["name"] for f in top["files"]] == ["top.png"]
    assert top["files"][0]["size"] == len(PNG) and top["files"][0]["content_type"] == "image/png"
    inner = call(node, "GET", files, token, params={"prefix": "notes/"}).json()
    assert inner["folders"] == [] and inner["files"][0]["name"] == "notes/today.txt"
    whole = call(node, "GET", f"{files}/download", token, params={"name": "notes/today.txt"})
    assert whole.content == TEXT.encode()
    assert whole.headers["Content-Disposition"].startswith('attachment; filename="today.txt"')
    assert "Access-Control-Allow-Origin" not in whole.headers and "sandbox" in whole.headers["Content-Security-Policy"]
    part = call(node, "GET", f"{files}/download", token, params={"name": "notes/today.txt"}, headers={"Range": "bytes=0-8"})
    assert part.status_code == 206 and part.content == b"Groceries"
    assert node.drive_of(id, "docs").get("top.png").content == PNG
    assert call(node, "GET", f"instances/{id}/data", token).json()["drives"] == [
        {"name": "docs", "files": 2, "bytes": len(PNG) + len(TEXT.encode())}]
    assert call(node, "POST", files, token, params={"name": "folder/"}, data=b"x").status_code == 400
    assert call(node, "POST", files, token, data=b"x").status_code == 400
    assert call(node, "GET", f"{files}/download", token, params={"name": "absent"}).status_code == 404
    assert call(node, "DELETE", files, token, params={"name": "top.png"}).json() == {"name": "top.png"}
    assert call(node, "DELETE", files, token, params={"name": "top.png"}).status_code == 404
    assert node.drive_of(id, "docs").get("top.png").status_code == 404


def test_other_spaces_and_strangers_are_refused(node, token):
    id = node.other["id"]
    assert create_space(node.data_dir, "elsewhere", owner="someone-else").returncode == 0
    foreign = token_for(node, "elsewhere-laptop", "--space", "elsewhere")
    paths = [("GET", f"instances/{id}/data"), ("POST", f"instances/{id}/bases/people/query"),
             ("POST", f"instances/{id}/bases/people/items"), ("GET", f"instances/{id}/bases/people/items/a"),
             ("PUT", f"instances/{id}/bases/people/items/a"), ("DELETE", f"instances/{id}/bases/people/items/a"),
             ("GET", f"instances/{id}/drives/docs/files"), ("POST", f"instances/{id}/drives/docs/files?name=x"),
             ("DELETE", f"instances/{id}/drives/docs/files?name=x"), ("GET", f"instances/{id}/drives/docs/files/download?name=x")]
    for method, path in paths:
        assert call(node, method, path, json={"x": 1}).status_code == 401, (method, path)
        # The dashboard's header without its session is no credential either.
        assert call(node, method, path, headers={"X-Hearth-Dashboard": "1"}, json={"x": 1}).status_code == 401, (method, path)
        refused = call(node, method, path, foreign, json={"x": 1})
        assert refused.status_code == 404 and "No instance" in refused.json()["errors"][0], (method, path)
    # Nothing was written by the refused calls.
    assert node.base_of(id, "people").get("a").status_code == 404
    assert call(node, "GET", f"instances/{id}/drives/docs/files", token, params={"prefix": "x"}).json()["files"] == []


# ----- the browser -----

def open_data(driver, node, query=""):
    driver.get(f"http://localhost:{node.port}/apps/notes/data{query}")
    visible(driver, ".data-kinds")


def type_into(element, text):
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def set_textarea(driver, element, text):
    """Replaces a textarea's text the way typing would, firing its input event."""
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", element, text)


def unexpected_errors(driver, node):
    """Console errors but the failed loads the test provoked on purpose (a bad query, a taken key)."""
    return [error for error in console_errors(driver, node)
            if not ("Failed to load resource" in error and ("status of 400" in error or "status of 409" in error))]


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#data-items-table tbody tr")


def test_bases_in_the_browser(node):
    id = node.notes["id"]
    driver = new_driver()
    try:
        sign_in(driver, node)
        open_data(driver, node)
        assert "has not stored any data yet" in visible(driver, ".data-intro").text
        shot(driver, "data-empty")

        # A new Base and its first item, added through the editor.
        driver.find_element(By.XPATH, "//button[normalize-space()='New Base']").click()
        visible(driver, "#new-name").send_keys("notes" + Keys.ENTER)
        visible(driver, "#data-add-item").click()
        editor = visible(driver, "#item-json")
        set_textarea(driver, editor, '{"key": "first", "title": "from the browser", ')
        driver.find_element(By.ID, "item-save").click()
        assert "Not valid JSON" in visible(driver, "#item-error").text
        shot(driver, "data-item-invalid")
        set_textarea(driver, editor, json.dumps({"key": "first", "title": "from the browser", "age": 42, "tags": ["a", "b"]}))
        driver.find_element(By.ID, "item-save").click()
        wait(driver, lambda d: len(rows(d)) == 1)
        assert node.base_of(id, "notes").get("first").json() == {"key": "first", "title": "from the browser", "age": 42, "tags": ["a", "b"]}
        # A second item, straight through the Base API, shows up too.
        node.base_of(id, "notes").put({"key": "second", "title": "from the API", "age": 7})
        driver.refresh()
        wait(driver, lambda d: len(rows(d)) == 2)
        header = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#data-items-table thead th")]
        assert header[0] == "key" and {"title", "age", "tags"} <= set(header)
        assert Select(driver.find_element(By.ID, "base-picker")).first_selected_option.text == "notes (2 items)"
        shot(driver, "data-base")

        # Edit: the change reaches the Base API.
        driver.find_element(By.CSS_SELECTOR, 'tr[data-key="first"] th button').click()
        editor = visible(driver, "#item-json")
        assert json.loads(editor.get_attribute("value"))["title"] == "from the browser"
        shot(driver, "data-item-editor")
        set_textarea(driver, editor, json.dumps({"key": "first", "title": "edited", "age": 43}))
        driver.find_element(By.ID, "item-save").click()
        wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog.data-editor"))
        assert node.base_of(id, "notes").get("first").json() == {"key": "first", "title": "edited", "age": 43}
        wait(driver, lambda d: "edited" in d.find_element(By.ID, "data-items-table").text)

        # The server's rules show in the editor: a key that is taken.
        visible(driver, "#data-add-item").click()
        set_textarea(driver, visible(driver, "#item-json"), '{"key": "second"}')
        driver.find_element(By.ID, "item-save").click()
        assert "already exists" in visible(driver, "#item-error").text
        driver.find_element(By.XPATH, "//dialog//button[normalize-space()='Cancel']").click()

        # Query: good and bad.
        query = driver.find_element(By.ID, "data-query")
        type_into(query, '[{"age?gt": 40}]' + Keys.ENTER)
        wait(driver, lambda d: [row.get_attribute("data-key") for row in rows(d)] == ["first"])
        shot(driver, "data-query")
        type_into(query, '[{"age?gt": 40}' + Keys.ENTER)
        assert "not valid JSON" in visible(driver, "#data-query-error").text
        type_into(query, '{"age?nope": 1}' + Keys.ENTER)
        wait(driver, lambda d: d.find_element(By.ID, "data-query-error").is_displayed()
             and "valid JSON" not in d.find_element(By.ID, "data-query-error").text)
        shot(driver, "data-query-error")
        driver.find_element(By.XPATH, "//button[normalize-space()='Clear']").click()
        wait(driver, lambda d: len(rows(d)) == 2)

        # Delete, after confirming.
        driver.find_element(By.CSS_SELECTOR, 'tr[data-key="first"] td').click()
        visible(driver, "#item-delete").click()
        visible(driver, "dialog .danger.solid").click()
        wait(driver, lambda d: len(rows(d)) == 1)
        assert node.base_of(id, "notes").get("first").status_code == 404
        assert unexpected_errors(driver, node) == []
    finally:
        driver.quit()


def test_drives_in_the_browser(node, tmp_path):
    id = node.notes["id"]
    drive = node.drive_of(id, "files")
    assert drive.put("docs/readme.md", "# Read me\n", "text/markdown").status_code == 201
    text_file, image_file = tmp_path / "list.txt", tmp_path / "pixels.png"
    text_file.write_text(TEXT)
    image_file.write_bytes(PNG)
    driver = new_driver()
    try:
        sign_in(driver, node)
        open_data(driver, node, "?drive=files")
        visible(driver, "#drive-files-table")
        assert "docs" in driver.find_element(By.CSS_SELECTOR, "tr.folder").text
        # Upload two files through the file input.
        driver.find_element(By.ID, "drive-upload").send_keys(f"{text_file}\n{image_file}")
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#drive-files-table tr[data-name]")) == 2)
        shot(driver, "data-drive")
        assert drive.get("list.txt").content == TEXT.encode()
        assert drive.get("pixels.png").content == PNG
        assert drive.get("pixels.png").headers["Content-Type"] == "image/png"

        # Preview: the image as a blob URL, the text escaped in a <pre>.
        driver.find_element(By.CSS_SELECTOR, 'tr[data-name="pixels.png"] th button').click()
        image = visible(driver, "#file-preview img")
        wait(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 240)
        assert image.get_attribute("src").startswith("blob:")
        shot(driver, "data-preview-image")
        driver.find_element(By.XPATH, "//dialog//button[normalize-space()='Close']").click()
        driver.find_element(By.CSS_SELECTOR, 'tr[data-name="list.txt"] th button').click()
        pre = visible(driver, "#file-preview pre")
        assert pre.text == TEXT.strip() and not driver.find_elements(By.CSS_SELECTOR, "#file-preview b")
        shot(driver, "data-preview-text")
        driver.find_element(By.XPATH, "//dialog//button[normalize-space()='Close']").click()

        # Folders: into docs/, and back by the breadcrumb.
        driver.find_element(By.CSS_SELECTOR, "tr.folder a").click()
        visible(driver, 'tr[data-name="docs/readme.md"]')
        assert "folder=docs%2F" in driver.current_url
        shot(driver, "data-drive-folder")
        driver.find_element(By.CSS_SELECTOR, ".crumbs a").click()
        visible(driver, 'tr[data-name="list.txt"]')

        # Delete, after confirming.
        driver.find_element(By.CSS_SELECTOR, 'tr[data-name="list.txt"] button.delete').click()
        visible(driver, "dialog .danger.solid").click()
        wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, 'tr[data-name="list.txt"]'))
        assert drive.get("list.txt").status_code == 404
        assert console_errors(driver, node) == []
    finally:
        driver.quit()


def test_dark_and_phone(node):
    id = node.notes["id"]
    node.base_of(id, "notes").put({"key": "phone", "title": "a long title that needs more room than a phone has", "n": 1})
    dark = new_driver(dark=True)
    try:
        sign_in(dark, node)
        open_data(dark, node, "?base=notes")
        wait(dark, lambda d: len(rows(d)) >= 1)
        shot(dark, "data-base-dark")
        dark.find_element(By.CSS_SELECTOR, "#data-items-table tbody th button").click()
        visible(dark, "#item-json")
        shot(dark, "data-item-editor-dark")
        open_data(dark, node, "?drive=files")
        visible(dark, "#drive-files-table")
        shot(dark, "data-drive-dark")
        assert console_errors(dark, node) == []
    finally:
        dark.quit()
    phone = new_driver(390, 844)
    try:
        sign_in(phone, node)
        open_data(phone, node, "?base=notes")
        wait(phone, lambda d: len(rows(d)) >= 1)
        assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(phone, "data-base-phone")
        phone.find_element(By.CSS_SELECTOR, "#data-items-table tbody th button").click()
        visible(phone, "#item-json")
        shot(phone, "data-item-editor-phone")
        open_data(phone, node, "?drive=files")
        visible(phone, "#drive-files-table")
        assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(phone, "data-drive-phone")
    finally:
        phone.quit()
