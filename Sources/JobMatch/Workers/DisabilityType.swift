/// A worker's kind of disability, as Decree 28/2012 classifies it.
enum DisabilityType: String, CaseIterable, Sendable {
    case motor, hearingSpeech = "hearing_speech", visual, neuroPsychiatric = "neuro_psychiatric", intellectual, other
}
