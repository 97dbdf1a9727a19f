/// What a worker may consent to: referral, sharing contacts with an employer, processing data,
/// receiving text messages.
enum ConsentPurpose: String, CaseIterable, Sendable {
    case referral
    case shareContactWithEmployer = "share_contact_with_employer"
    case dataProcessing = "data_processing"
    case messages
}
