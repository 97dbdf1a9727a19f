/// The record a draft will become once inserted, with what only the insert knows left as
/// placeholders (`id` -1, both times the start of 1970): the one-trip POST renders its answer
/// from it before the insert and has the database fill those in.
extension VacancyRecord {
    init(placeholderFor draft: VacancyDraft, ward: String, wardName: String, skills: [String]) {
        self.id = -1
        self.reference = draft.reference
        self.title = draft.title
        self.description = draft.description
        self.occupationCode = draft.occupationCode
        self.skills = skills
        self.wardCode = ward
        self.wardName = wardName
        self.legacyWardCode = draft.legacyWardCode
        self.slots = draft.slots
        self.slotsFilled = 0
        self.wageMin = draft.wageMin
        self.wageMax = draft.wageMax
        self.workingHours = draft.workingHours
        self.minAge = draft.minAge
        self.maxAge = draft.maxAge
        self.closingDate = draft.closingDate.description
        self.contactName = draft.contactName
        self.contactPhone = draft.contactPhone
        self.contactEmail = draft.contactEmail
        self.openToAbroadBound = draft.openToAbroadBound
        self.status = "open"
        self.createdAtMicros = 0
        self.updatedAtMicros = 0
    }
}
