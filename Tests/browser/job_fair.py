#!/usr/bin/env python3
"""A job-fair session in a real browser (headless Chromium from Debian, driven by Playwright).

Usage: job_fair.py BASE_URL USERNAME PASSWORD LETTER_CODE WORKER_NAME SHOT_PATH

Run by the Swift test `JobFairBrowserTests` against a live `jobmatch serve` that has an officer
USERNAME with PASSWORD, one employer with an open vacancy, and WORKER_NAME referred to it with a
letter whose code is LETTER_CODE. The officer creates a session for today, adds the employer and its
vacancy, checks the worker in by the letter's code, records an interview, an offer and a hire, takes
a screenshot of the session's page to SHOT_PATH and opens the report (one hire, counted); axe-core
checks the pages. Prints one line per step; exits non-zero at the first failure.
"""
import datetime, json, os, sys

from playwright.sync_api import expect, sync_playwright

from browserlib import accessible, launch, step


def main():
    base, username, password, code, name, shot_path = sys.argv[1:7]
    # The service's day is Vietnam's (UTC+7).
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).strftime("%d/%m/%Y")
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(locale="vi-VN", viewport={"width": 1200, "height": 1400}).new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        page.goto(base + "/sign-in")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Tổng quan", exact=True)).to_be_visible()
        step("signed in")

        page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Phiên GDVL").click()
        expect(page.get_by_role("heading", name="Phiên giao dịch việc làm", exact=True)).to_be_visible()
        accessible(page, "the sessions page")
        page.get_by_label("Tên phiên").fill("Phiên giao dịch việc làm lưu động Vị Thanh")
        page.get_by_label("Ngày tổ chức").fill(today)
        page.get_by_label("Địa điểm").fill("Nhà văn hóa phường Vị Thanh")
        page.get_by_label("Xã, phường (từ 01/7/2025)").select_option("31321")
        page.get_by_label("Hình thức").select_option("mobile")
        page.get_by_role("button", name="Tạo phiên").click()
        expect(page.get_by_role("status")).to_contain_text("Đã tạo phiên.")
        step("created a session for today")

        page.get_by_role("button", name="Thêm doanh nghiệp").click()
        expect(page.get_by_role("status")).to_contain_text("Đã thêm doanh nghiệp.")
        page.get_by_role("button", name="Thêm vị trí").click()
        expect(page.get_by_role("status")).to_contain_text("Đã thêm vị trí việc làm.")
        step("added the employer and its vacancy")

        page.get_by_label("hoặc mã giấy giới thiệu").fill(code.lower())
        page.get_by_role("button", name="Ghi vào phiên").click()
        expect(page.get_by_role("status")).to_contain_text("Đã ghi người lao động vào phiên.")
        expect(page.get_by_role("cell", name="Giấy giới thiệu")).to_be_visible()
        step(f"checked {name} in by the letter code typed in lower case")

        page.get_by_role("button", name="Ghi phỏng vấn").click()
        expect(page.get_by_role("status")).to_contain_text("Đã ghi buổi phỏng vấn.")
        page.get_by_role("button", name="Mời nhận việc").click()
        expect(page.get_by_role("status")).to_contain_text("Đã ghi lời mời nhận việc.")
        page.get_by_role("button", name="Ghi tuyển dụng").click()
        expect(page.get_by_role("status")).to_contain_text("Đã ghi người được tuyển")
        expect(page.get_by_role("cell", name="Đã tuyển", exact=False)).to_be_visible()
        step("recorded an interview, an offer and a hire")
        accessible(page, "the session page")
        page.screenshot(path=shot_path, full_page=True)
        step(f"screenshot {os.path.basename(shot_path)}")

        page.get_by_role("link", name="Báo cáo phiên").click()
        row = page.get_by_role("row", name="Được tuyển dụng")
        expect(row).to_contain_text("1")
        expect(page.get_by_role("row", name="Được tính vào chỉ tiêu giải quyết việc làm")).to_contain_text("1")
        expect(page.get_by_role("row", name="Người lao động tham gia")).to_contain_text("1")
        accessible(page, "the report")
        step("the report: one worker came, one hired, one counted toward the jobs target")

        assert not errors, errors
        browser.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one line a person can read, then the failure
        print("FAILED:", error, flush=True)
        raise
