/// What a staff password must be: at least 8 characters (at most 128), not a common password or
/// an easy variant of one, not the username, not one character repeated or a run of keys.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 128

    /// Nil when `password` is acceptable for `username`, else why not (in Vietnamese).
    public static func problem(_ password: String, username: String) -> String? {
        let length = password.count
        if length < self.minimumLength { return "Mật khẩu phải có ít nhất \(self.minimumLength) ký tự." }
        if length > self.maximumLength { return "Mật khẩu dài quá \(self.maximumLength) ký tự." }
        let folded = password.lowercased()
        let user = username.lowercased()
        if !user.isEmpty, folded.contains(user) { return "Mật khẩu không được chứa tên đăng nhập." }
        if Set(folded).count <= 2 { return "Mật khẩu quá đơn giản (lặp lại một vài ký tự)." }
        if self.isRun(folded) { return "Mật khẩu quá đơn giản (dãy ký tự liên tiếp trên bàn phím)." }
        // A common password, or one with digits or symbols stuck on its end ("matkhau2024!").
        let stem = String(folded.reversed().drop { !$0.isLetter }.reversed())
        if self.common.contains(folded) || (stem.count >= 4 && self.common.contains(stem)) {
            return "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."
        }
        return nil
    }

    /// Every character one after the other on a keyboard row or in the alphabet or digits, either way.
    static func isRun(_ text: String) -> Bool {
        let rows = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890"]
        for row in rows {
            for candidate in [row, String(row.reversed())] {
                let doubled = candidate + candidate
                if text.count <= candidate.count, doubled.contains(text) { return true }
            }
        }
        return false
    }

    /// Passwords people choose most (international lists and Vietnamese favourites), lowercased.
    static let common: Set<String> = [
        "password", "passw0rd", "p@ssword", "p@ssw0rd", "password1", "iloveyou", "sunshine", "princess", "football", "baseball",
        "welcome", "welcome1", "letmein", "trustno1", "superman", "batman", "dragon", "master", "monkey", "shadow", "michael",
        "jennifer", "qwertyuiop", "qwerty", "qwertyui", "asdfghjkl", "zxcvbnm", "abc123", "abcd1234", "admin", "administrator",
        "adminadmin", "root", "toor", "changeme", "secret", "default", "guest", "login", "starwars", "whatever", "freedom",
        "computer", "internet", "samsung", "iphone", "google", "facebook", "zalo", "hello", "hellohello", "loveyou", "lovelove",
        "matkhau", "mat khau", "matkhaumoi", "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "vietnam", "vietnam1", "hanoi", "saigon",
        "hochiminh", "danang", "haiphong", "cantho", "nguyen", "tran", "pham", "hoang", "huynh", "phan", "dang", "trungtam",
        "vieclam", "trungtamvieclam", "dichvuvieclam", "laodong", "thuongbinh", "xahoi", "soldtbxh", "ldtbxh", "congchuc",
        "canbo", "nhanvien", "ketoan", "quantri", "quanly", "taikhoan", "dangnhap", "baomat", "chucmung", "chaoban",
        "xinchao", "tuyendung", "tuyendung1", "hocsinh", "sinhvien", "giaovien", "bacsi", "congan", "bodoi",
        "jobmatch", "jobcentre", "jobcenter", "employer", "officer", "viewer", "staff", "user", "username", "test", "testing",
        "demo", "sample", "example", "temp", "temporary", "access", "office", "system", "server", "database", "postgres",
    ]
}
