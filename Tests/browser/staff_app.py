#!/usr/bin/env python3
"""The staff web app in a real browser (headless Chromium from Debian, driven by Playwright).

Usage: staff_app.py BASE_URL USERNAME PASSWORD API_TOKEN WORKER_ID [--screenshots DIR]

Run by the Swift test `BrowserTests` against a live `jobmatch serve` that has an officer USERNAME
with PASSWORD, a worker "Trần Thị Ngọc Ánh" (WORKER_ID) from a poor household, and API_TOKEN (a
staff token, to record a placement while the browser watches the dashboard). Prints one line per
step; exits non-zero at the first failure.
"""
import json, os, re, sys, urllib.request

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

INJECTION = "<script>window.__xss=1</script>\"'><img src=x onerror=\"window.__xss=1\"><svg onload=window.__xss=1>"


def step(text):
    print("ok:", text, flush=True)


def main():
    base, username, password, token, worker_id = sys.argv[1:6]
    shots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
    axe = Axe()
    dialogs = []

    def accessible(page, name):
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert not bad, f"{name}: accessibility violations: " + json.dumps([(v["id"], v["impact"], v["help"]) for v in bad], ensure_ascii=False)
        step(f"{name}: no serious or critical accessibility violation ({len(results.response['passes'])} rules passed)")

    def not_executed(page, where):
        assert page.evaluate("typeof window.__xss") == "undefined", f"{where}: injected script ran"
        assert not dialogs, f"{where}: a dialog opened: {dialogs}"
        step(f"{where}: the injected markup was shown as text, nothing ran")

    def shot(page, name):
        if shots:
            page.screenshot(path=os.path.join(shots, name + ".png"), full_page=True)

    def jobs_count(page):
        text = page.locator("section.target").filter(has=page.get_by_role("heading", name=re.compile("2026.2030"))).locator("p.figure strong").first.inner_text()
        return int(text.replace(".", ""))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        # Script errors and CSP refusals; the wrong sign-in's 401 is expected (Chromium logs every 4xx page).
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 401" not in m.text else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        page.goto(base + "/")
        expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
        expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
        step("a page without a session leads to the sign-in form")
        accessible(page, "sign-in")
        shot(page, "sign-in")

        page.get_by_label("Tên đăng nhập").fill(INJECTION)
        page.get_by_label("Mật khẩu").fill("not-the-password")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
        not_executed(page, "sign-in username")

        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible()
        step("signed in: the dashboard")
        before = jobs_count(page)
        accessible(page, "dashboard")

        request = urllib.request.Request(base + "/api/staff/placements", method="POST", headers={
            "Authorization": "Bearer " + token, "Content-Type": "application/json"},
            data=json.dumps({"worker_id": int(worker_id), "channel": "self_employment", "start_date": os.environ["TODAY"],
                             "evidence": "Giấy xác nhận tự tạo việc làm"}).encode())
        assert urllib.request.urlopen(request).status == 201
        page.reload()
        after = jobs_count(page)
        assert after == before + 1, f"dashboard count {before} -> {after}"
        step(f"a placement recorded: the dashboard count rose from {before} to {after}")
        shot(page, "dashboard")

        page.get_by_role("link", name="Người lao động").click()
        search = page.get_by_label(re.compile("Tìm theo họ tên"))
        search.press_sequentially("tran thi ngoc", delay=40)
        expect(page.locator("#results")).to_contain_text("Trần Thị Ngọc Ánh")
        assert "ngoc" not in page.url and "tran" not in page.url, page.url
        step("typing a name without diacritics finds the worker, and the name is not in the URL")
        accessible(page, "workers")
        shot(page, "workers")
        search.fill("")
        search.press_sequentially(INJECTION[:60], delay=5)
        page.get_by_role("button", name="Tìm").click()
        expect(page.locator("#results")).to_contain_text("Không tìm thấy")
        assert page.get_by_label(re.compile("Tìm theo họ tên")).input_value() == INJECTION[:60]
        not_executed(page, "worker search")

        page.get_by_role("button", name="Đăng xuất").click()
        expect(page).to_have_url(re.compile(r"/sign-in$"))
        page.goto(base + "/")
        expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
        step("signed out: the dashboard is refused")
        assert not errors, f"console errors: {errors}"
        step("no script error and no content-security refusal on any page")
        browser.close()


if __name__ == "__main__":
    main()
