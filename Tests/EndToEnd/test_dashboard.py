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
