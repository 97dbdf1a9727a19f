import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Staff accounts managed by admins in the web app: adding one, its role, deactivation (sessions
/// and API tokens end) and reactivation, a new password; audited; never for anyone but admins.
@Suite("Web app: staff accounts")
struct StaffPagesTests {
    static let cheapHashes: @Sendable (inout AppConfig) -> Void = { $0.webSessions.bcryptCost = 4 }

    func staffID(_ username: String, url: String) async throws -> Int64 {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try #require(
                try await client.query("SELECT id FROM staff_users WHERE username = \(username)", logger: TestCluster.logger)
                    .first(Int64.self)
            )
        }
    }

    @Test(
        "an admin adds an account (checked fields, the password policy), who signs in; a new role applies at once; a new password ends their sessions"
    )
    func addAccount() async throws {
        try await withTestApp(configure: Self.cheapHashes) { client, _, url in
            try await setWebPassword("admin", SignInTests.password, url: url)
            let admin = WebBrowser(client)
            try await admin.signIn("admin", SignInTests.password)
            let list = try await admin.get("/staff")
            #expect(list.status == .ok && list.html.contains("<h1>Tài khoản cán bộ</h1>"))
            #expect(list.html.contains("aria-current=\"page\">Tài khoản"))
            #expect(
                list.html.contains(">officer</a>") && list.html.contains("Cán bộ") && list.html.contains("Chỉ xem") && list.html.contains("Quản trị")
            )
            #expect(list.html.contains("Chưa đăng nhập"), "the viewer never signed in")
            #expect(list.html.range(of: #"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"#, options: .regularExpression) != nil, "the admin's last sign-in")

            let form = try await admin.get("/staff/new")
            #expect(
                form.status == .ok && form.html.contains("Thêm tài khoản cán bộ") && form.html.contains("type=\"password\""),
                "not taken for /staff/:id"
            )
            let token = try #require(form.csrf)
            func fields(_ username: String, _ password: String, again: String? = nil) -> [(String, String)] {
                [
                    ("_csrf", token), ("username", username), ("display_name", "Nguyễn Thị Hồng"), ("role", "officer"), ("password", password),
                    ("password_again", again ?? password),
                ]
            }
            let badName = try await admin.post("/staff/new", fields("Hồng Nguyễn", "Sen-hong-2026"))
            #expect(badName.status == .unprocessableContent && badName.html.contains("Tên đăng nhập gồm 2 đến 63 ký tự"))
            #expect(badName.html.contains("value=\"Hồng Nguyễn\"") && badName.html.contains("value=\"Nguyễn Thị Hồng\""), "what was typed is kept")
            #expect(!badName.html.contains("Sen-hong-2026"), "never a password")
            let weak = try await admin.post("/staff/new", fields("hong.nguyen", "matkhau2024"))
            #expect(weak.status == .unprocessableContent && weak.html.contains("Mật khẩu này quá phổ biến"))
            #expect(weak.html.contains("id=\"f-password\" name=\"password\" type=\"password\" value=\"\""))
            let mismatch = try await admin.post("/staff/new", fields("hong.nguyen", "Sen-hong-2026", again: "Sen-hong-2027"))
            #expect(mismatch.status == .unprocessableContent && mismatch.html.contains("Hai lần nhập mật khẩu không giống nhau."))
            let taken = try await admin.post("/staff/new", fields("officer", "Sen-hong-2026"))
            #expect(taken.status == .conflict && taken.html.contains("Tên đăng nhập officer đã có người dùng"))
            #expect(try await rowCount("staff_users", url: url) == 3, "nothing written")

            let made = try await admin.post("/staff/new", fields(" Hong.Nguyen ", "Sen-hong-2026"))
            #expect(made.status == .seeOther, "\(made.html)")
            let location = try #require(made.location)
            let id = try await self.staffID("hong.nguyen", url: url)
            #expect(location == "/staff/\(id)?done=created")
            let page = try await admin.get(location)
            #expect(page.html.contains("Đã thêm tài khoản.") && page.html.contains("<h1>Nguyễn Thị Hồng</h1>") && page.html.contains("hong.nguyen"))
            #expect(page.html.contains("<option value=\"officer\" selected>Cán bộ</option>"))
            #expect(page.missingTemplateValues == nil, "every template value given")
            #expect(
                try await rowCount(
                    "audit_log WHERE entity = 'staff_user' AND entity_id = '\(id)' AND action IN ('create', 'set_password') AND actor_kind = 'staff'",
                    url: url
                ) == 2
            )

            let hong = WebBrowser(client)
            #expect(try await hong.signIn("hong.nguyen", "Sen-hong-2026").status == .seeOther, "the new account signs in")
            #expect(try await hong.get("/households/new").status == .ok)
            #expect(try await hong.get("/staff").status == .forbidden, "an officer")

            let role = try await admin.post("/staff/\(id)/role", [("_csrf", token), ("role", "viewer")])
            #expect(role.status == .seeOther && role.location == "/staff/\(id)?done=role")
            #expect(try await hong.get("/households/new").status == .forbidden, "a viewer now, in the same session")
            #expect(try await rowCount("audit_log WHERE action = 'change_role' AND entity_id = '\(id)'", url: url) == 1)

            let weakAgain = try await admin.post(
                "/staff/\(id)/password",
                [("_csrf", token), ("password", "hong.nguyen1"), ("password_again", "hong.nguyen1")]
            )
            #expect(weakAgain.status == .unprocessableContent && weakAgain.html.contains("Mật khẩu không được chứa tên đăng nhập."))
            let password = try await admin.post(
                "/staff/\(id)/password",
                [("_csrf", token), ("password", "Bong-sen-trang-7"), ("password_again", "Bong-sen-trang-7")]
            )
            #expect(password.status == .seeOther && password.location == "/staff/\(id)?done=password")
            #expect(try await hong.get("/").status == .seeOther, "their session ended")
            #expect(try await hong.signIn("hong.nguyen", "Sen-hong-2026").status == .unauthorized)
            #expect(try await hong.signIn("hong.nguyen", "Bong-sen-trang-7").status == .seeOther)
        }
    }

    @Test("deactivating ends the account's sessions and API tokens; reactivating lets it sign in; an admin cannot deactivate or demote themselves")
    func deactivate() async throws {
        // With the in-memory credential cache on: deactivating from the page forgets the account's token at once.
        try await withTestApp(configure: { $0.webSessions.bcryptCost = 4 }) { client, tokens, url in
            try await setWebPassword("admin", SignInTests.password, url: url)
            try await setWebPassword("officer", SignInTests.password, url: url)
            let admin = WebBrowser(client)
            try await admin.signIn("admin", SignInTests.password)
            let officer = WebBrowser(client)
            try await officer.signIn("officer", SignInTests.password)
            #expect(try await officer.get("/").status == .ok)
            #expect(try await client.json(.get, "/api/staff/workers/duplicates", token: tokens.officer).status == .ok)
            let officerID = try await self.staffID("officer", url: url)
            let adminID = try await self.staffID("admin", url: url)

            let page = try await admin.get("/staff/\(officerID)")
            #expect(page.html.contains("Phiên đăng nhập đang mở</dt><dd>1</dd>") && page.html.contains("Khóa API còn hiệu lực</dt><dd>1</dd>"))
            #expect(page.html.contains("Ngừng hoạt động tài khoản"))
            let token = try #require(page.csrf)
            let off = try await admin.post("/staff/\(officerID)/active", [("_csrf", token), ("active", "false")])
            #expect(off.status == .seeOther && off.location == "/staff/\(officerID)?done=deactivated")
            #expect(try await officer.get("/").status == .seeOther, "the session no longer works")
            #expect(try await officer.signIn("officer", SignInTests.password).status == .unauthorized)
            #expect(
                try await client.json(.get, "/api/staff/workers/duplicates", token: tokens.officer).status == .unauthorized,
                "the API token neither"
            )
            #expect(try await rowCount("staff_sessions WHERE ended_reason = 'deactivated'", url: url) == 1)
            let deactivated = try await admin.get("/staff/\(officerID)?done=deactivated")
            #expect(deactivated.html.contains("Đã ngừng hoạt động tài khoản") && deactivated.html.contains("Kích hoạt lại tài khoản"))
            #expect(try await admin.get("/staff").html.contains("Đã ngừng hoạt động"))

            let on = try await admin.post("/staff/\(officerID)/active", [("_csrf", token), ("active", "true")])
            #expect(on.status == .seeOther && on.location == "/staff/\(officerID)?done=reactivated")
            #expect(try await officer.signIn("officer", SignInTests.password).status == .seeOther, "signs in again")
            #expect(
                try await client.json(.get, "/api/staff/workers/duplicates", token: tokens.officer).status == .unauthorized,
                "revoked tokens stay revoked"
            )
            #expect(try await rowCount("audit_log WHERE entity = 'staff_user' AND action IN ('deactivate', 'reactivate')", url: url) == 2)

            let mine = try await admin.get("/staff/\(adminID)")
            #expect(
                mine.html.contains("bạn không thể tự hạ quyền hay tự ngừng hoạt động") && !mine.html.contains("Ngừng hoạt động tài khoản</button>")
            )
            let selfOff = try await admin.post("/staff/\(adminID)/active", [("_csrf", token), ("active", "false")])
            #expect(selfOff.status == .conflict && selfOff.html.contains("Bạn không thể tự ngừng hoạt động tài khoản của chính mình."))
            let selfDemote = try await admin.post("/staff/\(adminID)/role", [("_csrf", token), ("role", "officer")])
            #expect(selfDemote.status == .conflict && selfDemote.html.contains("Bạn không thể tự hạ quyền tài khoản của chính mình."))
            #expect(selfDemote.html.contains("<option value=\"officer\" selected>"), "the choice is shown as made")
            #expect(try await admin.get("/staff").status == .ok, "still an active admin")
            #expect(try await rowCount("staff_users WHERE username = 'admin' AND role = 'admin' AND is_active", url: url) == 1)
        }
    }

    @Test("officers and viewers cannot open or post any staff page")
    func adminsOnly() async throws {
        try await withTestApp(configure: Self.cheapHashes) { client, _, url in
            let adminID = try await self.staffID("admin", url: url)
            for role in ["officer", "viewer"] {
                try await setWebPassword(role, SignInTests.password, url: url)
                let browser = WebBrowser(client)
                try await browser.signIn(role, SignInTests.password)
                let home = try await browser.get("/")
                #expect(!home.html.contains("href=\"/staff\""), "\(role): no link")
                let token = try #require(home.csrf)
                for page in ["/staff", "/staff/new", "/staff/\(adminID)"] {
                    #expect(try await browser.get(page).status == .forbidden, "\(role) \(page)")
                }
                #expect(
                    try await browser.post(
                        "/staff/new",
                        [
                            ("_csrf", token), ("username", "ke.gian"), ("role", "admin"),
                            ("password", "Sen-hong-2026"), ("password_again", "Sen-hong-2026"),
                        ]
                    ).status == .forbidden
                )
                #expect(try await browser.post("/staff/\(adminID)/active", [("_csrf", token), ("active", "false")]).status == .forbidden)
                #expect(try await browser.post("/staff/\(adminID)/role", [("_csrf", token), ("role", "viewer")]).status == .forbidden)
                #expect(
                    try await browser.post(
                        "/staff/\(adminID)/password",
                        [
                            ("_csrf", token), ("password", "Sen-hong-2026"),
                            ("password_again", "Sen-hong-2026"),
                        ]
                    ).status == .forbidden
                )
            }
            #expect(try await rowCount("staff_users WHERE role = 'admin' AND is_active", url: url) == 1)
            #expect(try await rowCount("staff_users", url: url) == 3)
        }
    }
}
