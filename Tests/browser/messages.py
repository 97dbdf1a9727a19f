#!/usr/bin/env python3
"""The outbox of messages to workers in a real browser (headless Chromium driven by Playwright).

Usage: messages.py BASE_URL USERNAME PASSWORD PHONE [--screenshots DIR]

Run by the Swift test `MessageBrowserTests` against a live `jobmatch serve` with no SMS gateway,
where an officer USERNAME with PASSWORD exists and one message waits for a worker with PHONE (a
referral to a "Thợ may" vacancy). The officer opens "Tin nhắn" from the menu, finds the message
waiting with the phone, filters by kind, prints the list ("In danh sách": the message becomes
printed, the list prints on A4 without the menu), downloads its CSV file, and finds the message
marked printed. Prints one line per step; exits non-zero at the first failure.
"""
import csv, io, json, os, re, sys

from playwright.sync_api import expect, sync_playwright

from browserlib import accessible, launch, step


def main():
    base, username, password, phone = sys.argv[1:5]
    shots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None

    def shot(page, name):
        if shots:
            page.screenshot(path=os.path.join(shots, name + ".png"), full_page=True)

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        page.goto(base + "/sign-in")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("navigation", name="Chức năng")).to_be_visible()
        step("signed in")

        page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Tin nhắn", exact=True).click()
        expect(page.get_by_role("heading", name="Tin nhắn cho người lao động")).to_be_visible()
        row = page.locator("tbody tr").filter(has_text=phone)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Chờ gửi")
        expect(row).to_contain_text("Thợ may")
        expect(page.get_by_text("Chưa cấu hình cổng nhắn tin")).to_be_visible()
        step("the outbox lists the referral's message waiting, with the phone")
        accessible(page, "messages")
        shot(page, "messages")

        page.get_by_label("Loại tin", exact=True).select_option("follow_up")
        page.get_by_role("button", name="Lọc").click()
        expect(page.get_by_text("Không có tin nhắn nào.")).to_be_visible()
        page.get_by_label("Loại tin", exact=True).select_option("referral")
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator("tbody tr").filter(has_text=phone)).to_have_count(1)
        step("filtered by kind")

        page.get_by_role("button", name="In danh sách").click()
        expect(page).to_have_url(re.compile(r"/messages/print/\d+$"))
        expect(page.get_by_role("heading", name=re.compile("DANH SÁCH TIN NHẮN CẦN GỬI"))).to_be_visible()
        expect(page.locator("table.report-table")).to_contain_text(phone)
        accessible(page, "messages_print")
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pdf.startswith(b"%PDF") and pages == 1, f"the list prints on one A4 page, not {pages}"
        assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12]", pdf), "A4 pages (595 x 842 points)"
        page.emulate_media(media="print")
        assert not page.get_by_role("navigation", name="Chức năng").is_visible(), "the menu is not printed"
        assert not page.get_by_role("button", name="In danh sách").is_visible(), "the toolbar is not printed"
        shot(page, "messages_print")
        page.emulate_media(media="screen")
        step(f"printed the list: {pages} A4 page, without the menu")

        with page.expect_download() as info:
            page.get_by_role("link", name="Tải tệp CSV").click()
        download = info.value
        content = open(download.path(), encoding="utf-8-sig").read()
        rows = list(csv.reader(io.StringIO(content)))
        assert rows[0][:3] == ["Mã tin", "Người lao động", "Điện thoại"], rows[0]
        assert any(phone in r and any("Thợ may" in c for c in r) for r in rows[1:]), content[:300]
        step(f"downloaded the list as CSV ({download.suggested_filename})")

        page.goto(base + "/messages?state=printed")
        expect(page.locator("tbody tr").filter(has_text=phone)).to_contain_text("Đã in")
        page.goto(base + "/messages?state=queued")
        expect(page.get_by_text("Không có tin nhắn nào.")).to_be_visible()
        step("the message is marked printed and no longer waits")

        assert not errors, f"script errors: {errors}"
        browser.close()
    step("done")


if __name__ == "__main__":
    main()
