/// One eligible (vacancy, worker) pair of the batch and what it would gain.
public struct CandidateEntry: Sendable, Equatable {
    public let worker: Int32
    public let gain: Gain

    public init(worker: Int32, gain: Gain) {
        self.worker = worker
        self.gain = gain
    }
}
