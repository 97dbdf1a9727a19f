#!/usr/bin/env python3
"""The staff web app in a real browser (headless Chromium from Debian, driven by Playwright).

Usage: staff_app.py BASE_URL USERNAME PASSWORD HOUSEHOLD_ID VACANCY_ID [--screenshots DIR]

Run by the Swift test `BrowserTests` against a live `jobmatch serve` that has an officer USERNAME
with PASSWORD, a poor household HOUSEHOLD_ID in Phường Vị Thanh, and an open vacancy VACANCY_ID
for tailors ("Thợ may", ISCO 7531) there. The officer registers a worker of that household through
the form, finds her by typing her name without diacritics, refers her from the vacancy's ranked
candidates and records the hire, sees the dashboard count rise, downloads the month's export,
prints the month's report (A4, no menu), records the three-month follow-up call of a worker
hired at a job fair 100 days ago, and signs out; then the public board is read without a session. Every text field gets a script-injection attempt that must not run; the main pages
get an axe-core check. Prints one line per step; exits non-zero at the first failure.
"""
import csv, io, json, os, re, sys, datetime

from playwright.sync_api import expect, sync_playwright

from browserlib import accessible, launch, step

INJECTION = "<script>window.__xss=1</script>\"'><img src=x onerror=\"window.__xss=1\"><svg onload=window.__xss=1>"
NAME = "Lê Thị Thu Hà"
FOLLOWED = "Trần Văn Theo"  # hired at a job fair 100 days ago by the Swift test


def main():
    base, username, password, household_id, vacancy_id = sys.argv[1:6]
    shots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
    dialogs = []
    today = datetime.date.fromisoformat(os.environ["TODAY"])

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

    def nav(page, name):
        page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=name, exact=True).click()

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        # Script errors and CSP refusals; the 4xx answers the steps provoke are expected (Chromium logs every 4xx page).
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not re.search(r"status of 4(01|22)", m.text) else None)
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

        # Register a worker through the form: first with script in every text field (refused, shown as text).
        nav(page, "Người lao động")
        page.get_by_role("link", name="Đăng ký người lao động").click()
        expect(page.get_by_role("heading", name="Đăng ký người lao động")).to_be_visible()
        accessible(page, "worker registration form")
        shot(page, "worker-new")
        text_fields = page.locator("form.form input[type=text], form.form input[type=tel], form.form input[type=number], form.form textarea")
        for index in range(text_fields.count()):
            field = text_fields.nth(index)
            if field.get_attribute("type") == "number":
                continue
            field.fill(INJECTION[: int(field.get_attribute("maxlength") or 200)])
        page.get_by_role("button", name="Đăng ký").click()
        expect(page.locator(".field.invalid").first).to_be_visible()
        assert page.get_by_label("Họ và tên").input_value() == INJECTION[:150]
        not_executed(page, "every text field of the registration form")

        for index in range(text_fields.count()):
            text_fields.nth(index).fill("")
        page.get_by_label("Họ và tên").fill(NAME)
        page.get_by_label("Ngày sinh").fill("05/03/1995")
        page.get_by_label("Giới tính").select_option(label="Nữ")
        page.get_by_label("Số CCCD").fill("093195000007")
        page.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")
        page.get_by_label("Xã, phường (từ 01/7/2025)").select_option(label="Phường Vị Thanh")
        page.get_by_label("Mã hộ gia đình").fill(household_id)
        page.get_by_label("Thợ may đo, thợ may trang phục, thợ làm đồ lông thú và thợ làm mũ", exact=True).check()
        expect(page.get_by_label("Giới thiệu việc làm")).to_be_checked()
        page.get_by_role("button", name="Đăng ký").click()
        expect(page.get_by_role("status")).to_contain_text("Đã đăng ký người lao động.")
        expect(page.get_by_role("heading", name=NAME)).to_be_visible()
        assert "093195000007" not in page.url and "Thu" not in page.url, page.url
        step(f"registered {NAME} through the form, with her household's status and consent")
        accessible(page, "worker record")
        shot(page, "worker")

        nav(page, "Người lao động")
        search = page.get_by_label(re.compile("Tìm theo họ tên"))
        search.press_sequentially("le thi thu", delay=40)
        expect(page.locator("#results")).to_contain_text(NAME)
        assert "thu" not in page.url, page.url
        step("typing her name without diacritics finds her, and the name is not in the URL")
        accessible(page, "workers")
        shot(page, "workers")
        search.fill("")
        search.press_sequentially(INJECTION[:60], delay=5)
        page.get_by_role("button", name="Tìm").click()
        expect(page.locator("#results")).to_contain_text("Không tìm thấy")
        not_executed(page, "worker search")

        # The vacancy's candidates: refer her, then record the hire.
        nav(page, "Việc làm trống")
        accessible(page, "vacancies")
        page.locator(f"a[href='/vacancies/{vacancy_id}']").first.click()
        page.get_by_role("link", name="Xem ứng viên phù hợp").click()
        card = page.locator("ol.candidates > li").filter(has_text=NAME)
        expect(card).to_contain_text("Hoàn cảnh hộ gia đình (theo chuẩn nghèo hiện hành): Hộ nghèo")
        step("her score's parts are explained in plain Vietnamese among the vacancy's candidates")
        accessible(page, "candidates")
        shot(page, "candidates")
        card.get_by_role("button", name="Giới thiệu").click()
        expect(page.get_by_role("status")).to_contain_text("Đã giới thiệu người lao động.")
        accessible(page, "referral")
        page.get_by_label("Ngày bắt đầu làm việc").fill(today.strftime("%d/%m/%Y"))
        page.get_by_label("Mức lương (đồng/tháng)").fill("6.500.000")
        page.get_by_role("button", name="Ghi nhận đã tuyển").click()
        expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận tuyển dụng")
        step("referred from the candidates and hired")
        shot(page, "referral")

        nav(page, "Tổng quan")
        after = jobs_count(page)
        assert after == before + 1, f"dashboard count {before} -> {after}"
        step(f"the hire counts: the dashboard count rose from {before} to {after}")
        shot(page, "dashboard")

        # The month's export, downloaded as the department receives it.
        nav(page, "Báo cáo tháng")
        accessible(page, "exports")
        page.get_by_label("Tháng").select_option(value=today.strftime("%Y-%m"))
        page.get_by_label("Định dạng").first.select_option(value="csv")
        with page.expect_download() as info:
            page.get_by_role("button", name="Tải về").click()
        download = info.value
        content = open(download.path(), encoding="utf-8-sig").read()
        rows = list(csv.reader(io.StringIO(content)))
        assert any(NAME in row for row in rows), content[:500]
        assert "093195000007" not in content, "CCCD masked by default"
        step(f"downloaded the month's export ({download.suggested_filename}): {NAME} is in it, CCCD masked")
        page.reload()
        expect(page.locator("table").last).to_contain_text("Xuất trực tiếp")
        shot(page, "exports")

        # The month's report laid out for print: Chromium prints it on A4 pages, with no menu.
        page.get_by_role("link", name="Báo cáo tháng để in (A4)").click()
        page.goto(base + "/reports/monthly?month=" + today.strftime("%Y-%m"))
        expect(page.get_by_role("heading", name=re.compile("Kết quả giải quyết việc làm tháng"))).to_be_visible()
        expect(page.locator("table.report-table").first).to_contain_text("Lao động được tạo việc làm")
        assert NAME not in page.content(), "the printed report names no one"
        accessible(page, "report_monthly")
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pdf.startswith(b"%PDF") and 1 <= pages <= 3, f"the report prints on 1 to 3 pages, not {pages}"
        assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12]", pdf), "A4 pages (595 x 842 points)"
        page.emulate_media(media="print")
        assert not page.get_by_role("navigation", name="Chức năng").is_visible(), "the menu is not printed"
        shot(page, "report_monthly_print")
        page.emulate_media(media="screen")
        step(f"printed the month's report: {pages} A4 page(s), without the menu")

        # The follow-up call due three months after a job-fair hire, recorded from the placements page.
        nav(page, "Kết quả giải quyết việc làm")
        page.get_by_role("link", name="Theo dõi sau giới thiệu việc làm").click()
        expect(page.get_by_role("heading", name="Theo dõi sau giới thiệu việc làm")).to_be_visible()
        due = page.locator("tbody tr").filter(has_text=FOLLOWED)
        expect(due).to_have_count(1)
        expect(due).to_contain_text("3 tháng")
        accessible(page, "follow_ups")
        shot(page, "follow_ups")
        due.get_by_label("Kết quả").select_option(label="Vẫn làm việc")
        due.get_by_label("Ghi chú").fill(INJECTION[:200])
        due.get_by_role("button", name="Ghi kết quả").click()
        expect(page.get_by_role("status")).to_contain_text("Đã ghi kết quả theo dõi.")
        expect(page.locator("tbody tr").filter(has_text=FOLLOWED)).to_have_count(0)
        overall = page.locator("tr").filter(has=page.get_by_role("rowheader", name="Tất cả"))
        expect(overall.locator("td").first).to_contain_text("100")
        not_executed(page, "the follow-up note")
        step(f"recorded {FOLLOWED}'s three-month follow-up call: no longer due, retention at 3 months 100 %")

        for name, heading, file in [("Ghép việc", "Ghép việc", "matching"), ("Kết quả giải quyết việc làm", "Kết quả giải quyết việc làm", "placements"),
                                    ("Nhập dữ liệu", "Nhập danh sách người lao động", "imports"), ("Đào tạo", None, "courses"),
                                    ("Doanh nghiệp", None, "employers"), ("Đi làm việc ở nước ngoài", None, "abroad")]:
            nav(page, name)
            if heading:
                expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            accessible(page, file)
            shot(page, file)

        # A visiting officer switches to English from the header; every label on the way is English.
        nav(page, "Người lao động")
        page.get_by_role("link", name="English").click()
        expect(page).to_have_url(re.compile(r"/workers$"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Workers", exact=True)).to_be_visible()
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Overview", exact=True).click()
        vietnamese = re.compile("[àáâãèéêìíòóôõùúýăđĩũơưạ-ỹ]", re.IGNORECASE)
        places = ("Thành phố Vị Thanh", "Phường Vị Thanh")  # data, written as recorded
        labels = [re.sub("|".join(places), "", t) for t in page.locator("nav a, h1, h2, th, button, label").all_inner_texts()]
        assert labels and not [t for t in labels if vietnamese.search(t)], [t for t in labels if vietnamese.search(t)]
        accessible(page, "dashboard in English")
        shot(page, "dashboard_english")
        page.get_by_role("link", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        expect(page.get_by_role("navigation", name="Chức năng")).to_be_visible()
        step(f"switched to English and back: {len(labels)} labels on the dashboard, none in Vietnamese")

        page.get_by_role("button", name="Đăng xuất").click()
        expect(page).to_have_url(re.compile(r"/sign-in$"))
        page.goto(base + "/")
        expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
        step("signed out: the dashboard is refused")
        assert not errors, f"console errors: {errors}"
        step("no script error and no content-security refusal on any page")

        # The public board, as anyone sees it on a phone: no session, no script, small, no contact details.
        public = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740})
        board = public.new_page()
        for _ in range(30):
            answer = board.goto(base + "/board")
            if board.locator("ul.jobs li").filter(has_text="Thợ may").count():
                break
            board.wait_for_timeout(1000)
        assert answer.status == 200 and board.url.endswith("/board"), board.url
        expect(board.get_by_role("heading", name="Việc làm đang tuyển")).to_be_visible()
        job = board.locator("ul.jobs li").filter(has_text="Thợ may")
        expect(job).to_contain_text("Công ty TNHH May Vị Thanh")
        expect(board.locator("main")).to_contain_text("0293 3870 123")
        html = answer.body()
        assert b"<script" not in html and len(html) < 50_000, f"{len(html)} bytes"
        board.get_by_label("Nhóm nghề").select_option(index=1)
        board.get_by_role("button", name="Xem").click()
        expect(board.get_by_role("heading", name="Việc làm đang tuyển")).to_be_visible()
        accessible(board, "board")
        shot(board, "public_board")
        step(f"the public board without a session lists the tailoring vacancy with the centre's phone, {len(html)} bytes, no script")
        public.close()
        browser.close()


if __name__ == "__main__":
    main()
