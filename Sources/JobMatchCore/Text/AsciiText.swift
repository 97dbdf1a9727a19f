import Foundation

/// Vietnamese text as plain ASCII for gateways that cannot send Unicode: letters lose their marks
/// through canonical decomposition (`ế` -> `e`), `đ`/`Đ` become `d`/`D` (they do not decompose),
/// and what is still not ASCII is replaced by its nearest plain sign or left out.
public enum AsciiText {
    /// `Cần Thơ, đường số 5 – 7` -> `Can Tho, duong so 5 - 7`.
    public static func fold(_ text: String) -> String {
        var folded = ""
        folded.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII {
                folded.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining marks (tones, hats, horns, breves)
            case 0x0111: folded.append("d")
            case 0x0110: folded.append("D")
            case 0x2010...0x2015, 0x2212: folded.append("-")
            case 0x2018, 0x2019: folded.append("'")
            case 0x201C, 0x201D: folded.append("\"")
            case 0x2026: folded.append("...")
            case 0x00A0, 0x2000...0x200A: folded.append(" ")
            case 0x20AB: folded.append("d")  // ₫
            default: continue
            }
        }
        return folded
    }
}
