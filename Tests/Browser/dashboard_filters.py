"""Drives reports/index.html in Chromium through Selenium, as a person would: choose a model, a
status, type in the search box, click a status card, follow a schedule to its page and come back.
Run by DashboardBrowserTests on the fixture's reports (six schedules, as in Tests/Golden/reports).

Usage: /usr/bin/python3 dashboard_filters.py PAGE.html [SCREENSHOT.png]
Exit 0 when every check passes; the failed check otherwise.
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chromium import headless_chromium


def visible_ids(driver):
    rows = driver.find_elements(By.CSS_SELECTOR, "#schedules tr.sched")
    return [r.find_element(By.CSS_SELECTOR, ".id").text for r in rows if r.is_displayed()]


def wait_for(driver, what, check):
    try:
        WebDriverWait(driver, 5).until(lambda d: check(d))
    except Exception:
        sys.exit(f"{what}: saw {visible_ids(driver)} (count {driver.find_element(By.ID, 'count').text!r})")


def main():
    page, shot = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    driver = headless_chromium()
    try:
        driver.get("file://" + page)
        everyone = ["attrition-weekly", "broken", "churn-python", "duration-daily", "old-model", "risk-paused"]
        wait_for(driver, "all rows at first", lambda d: visible_ids(d) == everyone and d.find_element(By.ID, "count").text == "6 of 6 schedules")

        Select(driver.find_element(By.ID, "model")).select_by_value("duration")
        wait_for(driver, "model=duration", lambda d: visible_ids(d) == ["duration-daily"])
        if not driver.current_url.endswith("#model=duration"):
            sys.exit(f"the filter is not kept in the address: {driver.current_url}")

        Select(driver.find_element(By.ID, "model")).select_by_value("")
        Select(driver.find_element(By.ID, "status")).select_by_value("attention")
        wait_for(driver, "status=attention", lambda d: visible_ids(d) == ["attrition-weekly", "broken", "duration-daily"])

        Select(driver.find_element(By.ID, "status")).select_by_value("")
        driver.find_element(By.ID, "q").send_keys("GOLD")
        wait_for(driver, "search 'GOLD' (a label)", lambda d: visible_ids(d) == ["attrition-weekly"])
        driver.find_element(By.ID, "q").clear()
        driver.find_element(By.ID, "q").send_keys("nothing-like-this")
        wait_for(driver, "a search matching nothing", lambda d: visible_ids(d) == [] and d.find_element(By.ID, "empty").is_displayed())
        driver.find_element(By.CSS_SELECTOR, "[data-reset]").click()
        wait_for(driver, "show all", lambda d: visible_ids(d) == everyone)

        driver.find_element(By.CSS_SELECTOR, '.card[data-status="failed"]').click()
        wait_for(driver, "the failed card", lambda d: visible_ids(d) == ["duration-daily"])
        driver.find_element(By.CSS_SELECTOR, '.card[data-status=""]').click()
        wait_for(driver, "the all card", lambda d: visible_ids(d) == everyone)

        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] if hasattr(driver, "get_log") else []
        if errors:
            sys.exit(f"script errors: {errors}")

        # A filtered view survives going to a schedule's page and back.
        driver.find_element(By.ID, "q").send_keys("weekly")
        wait_for(driver, "search 'weekly'", lambda d: visible_ids(d) == ["attrition-weekly"])
        driver.find_element(By.LINK_TEXT, "attrition-weekly").click()
        WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("/attrition-weekly/index.html"))
        text = driver.find_element(By.TAG_NAME, "main").text
        for expected in ("retrain run attrition-weekly --wait", "failed", "auc >= champion.auc - 0.02", "in service", "2026-12-27 01:00", "learning_rate=0.05", "1 min 35 s"):
            if expected not in text:
                sys.exit(f"the schedule's page does not show {expected!r}:\n{text}")
        if len(driver.find_elements(By.CSS_SELECTOR, "figure.chart")) != 3:
            sys.exit("expected a chart per metric (3) on the schedule's page")
        runs = driver.find_elements(By.CSS_SELECTOR, "table.runs tbody tr")
        if len(runs) != 3:
            sys.exit(f"expected 3 runs in the history, saw {len(runs)}")
        marked = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "table.runs mark")]
        if marked != ["learning_rate=0.05"]:
            sys.exit(f"expected only the second run's changed learning rate marked, saw {marked}")
        if shot:
            driver.save_screenshot(shot)
        driver.back()
        wait_for(driver, "back to the filtered overview", lambda d: visible_ids(d) == ["attrition-weekly"] and d.find_element(By.ID, "q").get_attribute("value") == "weekly")
    finally:
        driver.quit()
    print("dashboard filters: every check passed")


main()
