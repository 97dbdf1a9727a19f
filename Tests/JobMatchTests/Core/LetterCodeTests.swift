import JobMatchCore
import Testing

@Suite("Referral letter codes")
struct LetterCodeTests {
    @Test("a code is read whatever the case, spaces and dashes, with O, I and L read as Crockford does")
    func reading() {
        #expect(LetterCode("7K3M9QX2TB")?.value == "7K3M9QX2TB")
        #expect(LetterCode("7k3m9-qx2tb")?.value == "7K3M9QX2TB")
        #expect(LetterCode("  7K3 M9Q X2TB \n")?.value == "7K3M9QX2TB")
        #expect(LetterCode("O0IL1ABCDE")?.value == "00111ABCDE")
        #expect(LetterCode("7K3M9QX2TB")?.grouped == "7K3M9-QX2TB")
    }

    @Test("anything else is not a code: wrong length, U, punctuation, letters outside ASCII, a CCCD")
    func refusals() {
        for text in [
            "", "7K3M9QX2T", "7K3M9QX2TBB", "7K3M9QX2TU", "7K3M9QX2T!", "7K3M9QX2TÁ", "093190123456",
            String(repeating: "-", count: 50) + "7K3M9QX2TB",
        ] {
            #expect(LetterCode(text) == nil, "\(text)")
        }
    }
}
