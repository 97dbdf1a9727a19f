import JobMatchCore
import Testing

@Suite("Vietnamese number formats and the password policy")
struct WebFormatTests {
    @Test("thousands with dots, money in đồng, percent with a comma")
    func numbers() {
        #expect(VietnameseFormat.number(0) == "0")
        #expect(VietnameseFormat.number(999) == "999")
        #expect(VietnameseFormat.number(75_000) == "75.000")
        #expect(VietnameseFormat.number(1_234_567) == "1.234.567")
        #expect(VietnameseFormat.number(-5_000) == "-5.000")
        #expect(VietnameseFormat.money(6_500_000) == "6.500.000 ₫")
        #expect(VietnameseFormat.percent(73.44) == "73,4%")
        #expect(VietnameseFormat.percent(100) == "100,0%")
        #expect(VietnameseFormat.month(year: 2026, month: 3) == "03/2026")
    }

    @Test("short, common, repeated, keyboard-run and username passwords are refused; a passphrase is accepted")
    func passwords() {
        for weak in [
            "1234567", "12345678", "87654321", "password", "Password2024!", "matkhau123", "aaaaaaaa", "abababab", "qwertyui",
            "officer-2026", "vieclam2025",
        ] {
            #expect(PasswordPolicy.problem(weak, username: "officer") != nil, "\(weak)")
        }
        for good in ["Lua-gao-2026", "Ca-phe-sua-da-9", "trâu cày ruộng sớm"] {
            #expect(PasswordPolicy.problem(good, username: "officer") == nil, "\(good)")
        }
        #expect(PasswordPolicy.problem(String(repeating: "x1", count: 70), username: "a") != nil)
    }
}
