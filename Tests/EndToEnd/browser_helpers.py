"""A real browser for the dashboard's tests: Debian's headless Chromium driven by Selenium,
signed in through the sign-in page like a person. Every test can save screenshots
(`shot(driver, name)`) into $HEARTH_SCREENSHOTS (default: /tmp/hearth-screenshots)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as until
from selenium.webdriver.support.ui import WebDriverWait

from auth_helpers import OWNER, PASSPHRASE

SCREENSHOTS = Path(os.environ.get("HEARTH_SCREENSHOTS", "/tmp/hearth-screenshots"))
WAIT = 20


def chromium() -> tuple[str, str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
    if not binary or not Path(driver).exists():
        pytest.fail("Chromium and its driver are needed (Debian: apt install chromium chromium-driver)")
    return binary, driver


def new_driver(width: int = 1280, height: int = 900, dark: bool = False) -> webdriver.Chrome:
    binary, driver = chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--host-resolver-rules=MAP *.localhost 127.0.0.1"):
        options.add_argument(argument)
    if width < 500:
        # Headless windows are at least 500 px wide: a phone is emulated instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    if dark:
        options.add_argument("--force-dark-mode")
        options.add_argument("--blink-settings=preferredColorScheme=0")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def wait(driver, condition, timeout: float = WAIT):
    return WebDriverWait(driver, timeout).until(condition)


def visible(driver, selector: str, timeout: float = WAIT):
    return wait(driver, until.visibility_of_element_located((By.CSS_SELECTOR, selector)), timeout)


def sign_in(driver, node, username: str = OWNER, passphrase: str = PASSPHRASE, path: str = "/"):
    driver.get(f"http://localhost:{node.port}{path}")
    visible(driver, "#username").send_keys(username)
    driver.find_element(By.ID, "passphrase").send_keys(passphrase)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    visible(driver, "#view h1")


def shot(driver, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def console_errors(driver, node) -> list[str]:
    """Errors the dashboard's pages logged (CSP violations, script errors, failed loads); an
    app's own pages, on their own hosts, are not the dashboard's business."""
    dashboard = f"http://localhost:{node.port}/"
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and (entry["message"].startswith(dashboard) or "://" not in entry["message"].split(" ")[0])]
