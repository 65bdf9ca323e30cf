"""The dashboard in a real browser (headless Chromium): a person signs in through the sign-in
page, finds their apps with their state, opens one, and manages it. Screenshots of every page
go to $HEARTH_SCREENSHOTS."""
import pytest
from selenium.webdriver.common.by import By

from apps_helpers import module_node
from browser_helpers import console_errors, new_driver, shot, sign_in, visible, wait


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "dashboard") as node:
        node.install_ok("notes-asgi", name="notes")
        node.install_ok("static-site", name="site")
        yield node


@pytest.fixture
def driver():
    driver = new_driver()
    yield driver
    driver.quit()


def test_sign_in_lands_on_the_launcher_with_every_app(node, driver):
    sign_in(driver, node)
    cards = {card.get_attribute("data-slug"): card for card in driver.find_elements(By.CSS_SELECTOR, ".app")}
    assert set(cards) == {"notes", "site"}
    assert "Asleep" in cards["notes"].text or "Running" in cards["notes"].text
    shot(driver, "home")
    assert console_errors(driver, node) == []


def test_open_and_manage_an_app(node, driver):
    sign_in(driver, node)
    driver.find_element(By.CSS_SELECTOR, '.app[data-slug="notes"] a.button.primary').click()
    wait(driver, lambda d: d.current_url.startswith(f"http://notes.localhost:{node.port}/"))
    assert "Notes" in visible(driver, "h1").text
    driver.get(f"http://localhost:{node.port}/")
    visible(driver, '.app[data-slug="notes"]')
    card = driver.find_element(By.CSS_SELECTOR, '.app[data-slug="notes"]')
    assert "Running" in card.text or "active" in card.text
    card.find_element(By.LINK_TEXT, "Manage").click()
    visible(driver, ".facts")
    assert "notes" in driver.find_element(By.CSS_SELECTOR, "table").text
    shot(driver, "app-overview")
    assert console_errors(driver, node) == []


def test_a_phone_sized_window_still_works(node):
    driver = new_driver(390, 844)
    try:
        sign_in(driver, node)
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(driver, "home-phone")
    finally:
        driver.quit()


def test_first_run_setup_in_the_browser(tmp_path):
    """A new node: the printed setup link opens a form; the new owner lands on an empty launcher."""
    import re
    from conftest import Node
    fresh = Node(tmp_path / "data").start()
    driver = new_driver()
    try:
        code = re.search(rf"/setup\?code=(\w+)", fresh.stdout_path.read_text()).group(1)
        driver.get(f"http://localhost:{fresh.port}/")
        assert "Open the setup link" in visible(driver, "main").text
        driver.get(f"http://localhost:{fresh.port}/setup?code={code}")
        shot(driver, "setup")
        visible(driver, "#username").send_keys("ada")
        for field in ("passphrase", "confirm"):
            driver.find_element(By.ID, field).send_keys("a long enough passphrase")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        assert "No apps yet" in visible(driver, ".empty").text
        assert driver.find_element(By.CSS_SELECTOR, ".who").text == "ada"
        shot(driver, "home-empty")
        assert console_errors(driver, fresh) == []
    finally:
        driver.quit()
        fresh.stop()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_sign_in_page_and_launcher_in_both_schemes(node, dark):
    driver = new_driver(dark=dark)
    try:
        driver.get(f"http://localhost:{node.port}/login")
        visible(driver, "#username")
        shot(driver, f"sign-in-{'dark' if dark else 'light'}")
        background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(22, 21, 20)") == dark, background
        sign_in(driver, node)
        shot(driver, f"home-{'dark' if dark else 'light'}")
        assert console_errors(driver, node) == []
    finally:
        driver.quit()


def written_rules(css: str) -> set[tuple[str, str]]:
    """(enclosing @media condition or "", selector) of every rule, by following the braces."""
    import re
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, stack, start = set(), [], 0
    for match in re.finditer(r"[{}]", css):
        if match.group() == "{":
            head = css[start:match.start()].strip()
            stack.append(head)
            if not head.startswith("@"):
                media = next((h[len("@media"):].strip() for h in reversed(stack[:-1]) if h.startswith("@media")), "")
                rules.add((media, head))
        else:
            stack.pop()
        start = match.end()
    assert not stack, f"unclosed blocks: {stack}"
    return rules


def test_every_rule_of_the_stylesheet_is_parsed_where_it_was_written(node, driver):
    """A rule the browser drops, or reads inside a media query it was not written in (an unclosed
    brace swallows the rules after it), is a broken look."""
    import re
    from conftest import REPO
    written = written_rules((REPO / "Sources/HearthHTTP/Dashboard/Assets/dashboard.css").read_text())
    sign_in(driver, node)
    parsed = driver.execute_script("""
        const found = [];
        const walk = (rules, media) => { for (const rule of rules) {
            if (rule.selectorText) found.push([media, rule.selectorText]);
            if (rule.cssRules) walk(rule.cssRules, rule.conditionText || media); } };
        for (const sheet of document.styleSheets) walk(sheet.cssRules, '');
        return found;""")
    normalize = lambda text: re.sub(r"\s+", " ", text.replace("::", ":").replace('"', "'")).strip()
    seen = {(normalize(media).strip("()"), normalize(selector)) for media, selector in parsed}
    missing = {(media, selector) for media, selector in written if ":root" not in selector and "-moz-" not in selector
               and (normalize(media).strip("()"), normalize(selector)) not in seen}
    assert not missing, sorted(missing)[:10]
