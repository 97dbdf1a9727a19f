/// A worker's kind of disability, as Decree 28/2012 classifies it.
enum DisabilityType: String, CaseIterable, Sendable {
    case motor
    case hearingSpeech = "hearing_speech"
    case visual
    case neuroPsychiatric = "neuro_psychiatric"
    case intellectual, other
}
