"""The headless Chromium the dashboard is driven with (Debian's chromium and chromium-driver):
one way to start it, for the browser test (dashboard_filters.py) and for `make bench`
(bench/dashboard.py)."""
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def headless_chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
