import Hummingbird

/// `GET /api/staff/referrals/{id}/letter`: the letter's verification code, the public address that
/// checks it (what its QR code holds), and whether the letter is current.
struct ReferralLetterLink: ResponseCodable {
    let referralId: Int64
    let code: String
    let verificationUrl: String
    let current: Bool
}
