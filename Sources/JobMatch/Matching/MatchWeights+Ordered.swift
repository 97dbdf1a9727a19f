import JobMatchCore

extension MatchWeights {
    /// The weights in `match_weights.position` order, as `candidate_points` takes them.
    var ordered: [Int] { Self.catalogue.map { self[$0.key] } }
}
