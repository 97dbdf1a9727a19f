#!/usr/bin/env python3
"""The referral letter in a real browser (headless Chromium from Debian, driven by Playwright).

Usage: referral_letter.py BASE_URL USERNAME PASSWORD VACANCY_ID WORKER_NAME SHOT_PATH

Run by the Swift test `ReferralLetterBrowserTests` against a live `jobmatch serve` (PUBLIC_BASE_URL
set to BASE_URL) that has an officer USERNAME with PASSWORD and an open vacancy VACANCY_ID for which
WORKER_NAME is a candidate. The officer refers her from the vacancy's candidates, opens the letter,
prints it to PDF (one A4 portrait page, no menu) and takes a screenshot of it as printed to SHOT_PATH
(axe-core checks the letter and the public check);
zxing-cpp (QR_PYTHON running Tests/tools/qr_decode.py) reads the QR code from the screenshot; the
decoded address, opened without signing in, says "Còn hiệu lực"; once the officer withdraws the
referral, it says "Đã hết hiệu lực". Prints one line per step; exits non-zero at the first failure.
"""
import json, os, re, subprocess, sys

from playwright.sync_api import expect, sync_playwright

from browserlib import accessible, launch, step


def main():
    base, username, password, vacancy_id, name, shot_path = sys.argv[1:7]
    with sync_playwright() as p:
        browser = launch(p)
        # A sharp screenshot (two device pixels a CSS pixel), as a phone camera would see the paper.
        staff = browser.new_context(locale="vi-VN", viewport={"width": 900, "height": 1200}, device_scale_factor=2)
        page = staff.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 4" not in m.text else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        page.goto(base + "/sign-in")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible()
        step("signed in")

        page.goto(base + f"/vacancies/{vacancy_id}")
        page.get_by_role("link", name="Xem ứng viên phù hợp").click()
        page.locator("ol.candidates > li").filter(has_text=name).get_by_role("button", name="Giới thiệu").click()
        expect(page.get_by_role("status")).to_contain_text("Đã giới thiệu người lao động.")
        referral_url = page.url
        step(f"referred {name} from the vacancy's candidates")

        page.get_by_role("link", name="In giấy giới thiệu").click()
        expect(page.get_by_role("heading", name="GIẤY GIỚI THIỆU")).to_be_visible()
        letter = page.locator("article.letter")
        expect(letter).to_contain_text(name)
        expect(letter).to_contain_text("Mã kiểm tra:")
        code = letter.locator(".letter-code").inner_text().strip()
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code), code
        step(f"the letter names her and carries the code {code}")
        accessible(page, "the letter")

        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pdf.startswith(b"%PDF") and pages == 1, f"the letter prints on one page, not {pages}"
        assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12]", pdf), "an A4 portrait page (595 x 842 points)"
        page.emulate_media(media="print")
        assert not page.get_by_role("navigation", name="Chức năng").is_visible(), "the menu is not printed"
        assert not page.get_by_role("button", name="In giấy giới thiệu (A4)").is_visible(), "the print button is not printed"
        letter.screenshot(path=shot_path)
        page.emulate_media(media="screen")
        step(f"printed: one A4 portrait page without the menu; screenshot {os.path.basename(shot_path)}")

        found = subprocess.run([os.environ["QR_PYTHON"], os.environ["QR_SCRIPT"], "image", shot_path],
                               capture_output=True, text=True, check=True)
        texts = json.loads(found.stdout.strip().splitlines()[-1])["texts"]
        assert texts == [base + "/letters/" + code.replace("-", "")], texts
        step(f"zxing-cpp reads the QR code from the screenshot: {texts[0]}")

        public = browser.new_context(locale="vi-VN")  # no session: as the employer's phone
        check = public.new_page()
        check.goto(texts[0])
        expect(check.get_by_text("Còn hiệu lực", exact=True)).to_be_visible()
        expect(check.locator("main")).to_contain_text(name)
        assert "/sign-in" not in check.url
        step("the address opens without signing in and says: Còn hiệu lực")
        accessible(check, "the public check")

        page.goto(referral_url)
        page.locator("#withdraw-reason").fill("Người lao động đã có việc khác")
        page.get_by_role("button", name="Rút").click()
        expect(page.get_by_role("status")).to_contain_text("Đã rút lượt giới thiệu.")
        check.reload()
        expect(check.get_by_text("Đã hết hiệu lực", exact=True)).to_be_visible()
        step("withdrawn: the same address now says: Đã hết hiệu lực")

        assert not errors, f"console errors: {errors}"
        step("no script error and no content-security refusal")
        browser.close()


if __name__ == "__main__":
    main()
