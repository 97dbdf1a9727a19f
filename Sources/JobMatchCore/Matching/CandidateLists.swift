/// Each vacancy's eligible workers, best gain first, read as far as the batch needs and no further:
/// `ensure` asks the source for the next ones, half as many again as are listed. `rest[v]` bounds
/// the gain of every worker not yet listed for v (nil: everyone eligible is listed), so the batch
/// can prove nothing beyond was missed.
public final class CandidateLists {
    /// The vacancy's entries from position `have` on, at most `more` of them, and the bound of the rest.
    public typealias Source = (_ vacancy: Int, _ have: Int, _ more: Int) -> (entries: [CandidateEntry], rest: Gain?)

    public private(set) var entries: [[CandidateEntry]]
    public private(set) var rest: [Gain?]
    /// How many times a list was read again longer, and how many pairs the lists hold.
    public private(set) var extensions = 0
    let source: Source

    public init(vacancies: Int, first: Int = 8, source: @escaping Source) {
        self.source = source
        self.entries = []
        self.rest = []
        self.entries.reserveCapacity(vacancies)
        for v in 0..<vacancies {
            let (entries, rest) = source(v, 0, first)
            self.entries.append(entries)
            self.rest.append(rest)
        }
    }

    /// Makes entry `position` of vacancy v available if it exists; false when v has no more.
    @discardableResult
    func ensure(_ v: Int, _ position: Int) -> Bool {
        while position >= self.entries[v].count {
            guard self.rest[v] != nil else { return false }
            let have = self.entries[v].count
            let (entries, rest) = self.source(v, have, max(8, have / 2, position + 1 - have))
            self.extensions += 1
            self.entries[v].append(contentsOf: entries)
            self.rest[v] = rest
        }
        return true
    }

    /// The gain of entry `position`, or the bound of what is not listed yet; nil when v has no more.
    func bound(_ v: Int, _ position: Int) -> Gain? {
        position < self.entries[v].count ? self.entries[v][position].gain : self.rest[v]
    }
}
