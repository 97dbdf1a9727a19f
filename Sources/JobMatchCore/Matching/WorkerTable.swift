/// Every eligible worker in a compact struct of arrays (about 85 bytes a worker with its id map and
/// its place in the buckets), bucketed by ward, occupation, priority group and commute class so that a vacancy's best
/// candidates are found by visiting the few buckets whose exact upper bound can still beat them
/// (`CandidateRanking`); an occupation's buckets are grouped, and a ranking opens a group only when
/// its bound comes to the top. After a bulk load the slots follow the buckets, so a bucket's members
/// lie together in memory.
/// Patched in place: `upsert` and `remove` for changed workers, `recompute` for a new day or new weights.
/// Not thread-safe: the owner serialises access.
public final class WorkerTable: @unchecked Sendable {
    // One entry per worker slot (a removed worker's slot stays, marked not alive).
    var ids: [Int64] = []
    var createdAt: [Int64] = []
    var registeredDay: [Int32] = []
    var birthDay: [Int32] = []
    var ward: [UInt16] = []
    /// Maximum commute in km, -1 when none was given.
    var commute: [Int16] = []
    var status: [UInt8] = []
    var flags: [UInt8] = []
    /// The points that do not depend on the vacancy, for `today` and `weights`.
    var fixed: [Int32] = []
    var codeStart: [Int32] = []
    var codeCount: [UInt8] = []
    /// Occupation codes (`OccupationCode.raw`); a completed course's occupation has `trainedFlag` set.
    var codes: [UInt16] = []
    var position: [Int64: Int32] = [:]

    // Wards (2025) and their coordinates.
    var wardCodes: [String] = []
    var wardLat: [Double?] = []
    var wardLon: [Double?] = []
    var wardIndex: [String: UInt16] = [:]

    var buckets: [Bucket] = []
    var bucketIndex: [BucketKey: Int32] = [:]
    /// The buckets of each occupation and priority group across every ward: a ranking opens an
    /// occupation's buckets only when its bound comes to the top (most never do).
    var groups: [Group] = []
    var groupIndex: [GroupKey: Int32] = [:]

    public private(set) var weights: MatchWeights
    public private(set) var today: LocalDate
    public private(set) var aliveCount = 0

    static let trainedFlag: UInt16 = 0x8000
    static let noWard = UInt16.max
    static let statuses = HouseholdStatus.allCases

    enum Flag {
        static let female: UInt8 = 1
        static let minority: UInt8 = 2
        static let disabled: UInt8 = 4
        static let leaving: UInt8 = 8
        static let alive: UInt8 = 16
        static let priority: UInt8 = 32
        /// In several buckets (more than one occupation): a ranking scores the worker once.
        static let several: UInt8 = 64
    }

    struct BucketKey: Hashable {
        let ward: UInt16
        let code: UInt16
        let priority: Bool
        /// The commute class (`commuteClass`).
        let reach: UInt8
    }

    /// Commute limits that split a ward's workers of one occupation: a vacancy farther than a class's
    /// limit skips the whole bucket, and the distance points' bound is the class's own.
    static let commuteClasses: [Int16] = [5, 10, 15, 20, 30, 50]

    /// The class of a commute limit: the first of `commuteClasses` it does not exceed, then one for
    /// longer limits and one for none.
    static func commuteClass(_ commute: Int16) -> UInt8 {
        guard commute >= 0 else { return UInt8(Self.commuteClasses.count + 1) }
        return UInt8(Self.commuteClasses.firstIndex { commute <= $0 } ?? Self.commuteClasses.count)
    }

    struct GroupKey: Hashable {
        let code: UInt16
        let priority: Bool
    }

    /// One occupation's buckets (one per ward) in one priority group, with bounds over their members.
    struct Group {
        let code: UInt16
        let priority: Bool
        var buckets: [Int32] = []
        /// The most fixed points of any member since the last recompute (kept on removal: still a bound).
        var maxFixed: Int32 = .min
        /// Distinct occupations of completed courses among members, as 3-digit groups.
        var trained: [UInt16] = []
    }

    /// Workers of one ward, one occupation (0: none), one priority group and one commute class, best
    /// fixed points first.
    struct Bucket {
        let ward: UInt16
        let code: UInt16
        let priority: Bool
        /// Its occupation's group (`groups`).
        var group: Int32 = -1
        var members: [Int32] = []
        /// Upper bounds over members ever added (kept on removal: still bounds).
        var maxRadius: Double = 0
        var unlimited = false
        var maxCommute: Int16 = 0
        /// Distinct occupations of completed courses among members, as 3-digit groups.
        var trained: [UInt16] = []
    }

    public init(weights: MatchWeights, today: LocalDate) {
        self.weights = weights
        self.today = today
    }

    public var count: Int { self.ids.count }

    public func id(_ slot: Int32) -> Int64 { self.ids[Int(slot)] }
    func isAlive(_ slot: Int32) -> Bool { self.flags[Int(slot)] & Flag.alive != 0 }
    public func isPriority(_ slot: Int32) -> Bool { self.flags[Int(slot)] & Flag.priority != 0 }
    public func householdStatus(_ slot: Int32) -> HouseholdStatus { Self.statuses[Int(self.status[Int(slot)])] }

    /// The worker's facts back out of the table (to explain a score).
    public func worker(_ slot: Int32) -> MatchingWorker {
        let i = Int(slot)
        let ward = self.ward[i] == Self.noWard ? nil : Int(self.ward[i])
        let codes = self.codes[Int(self.codeStart[i])..<Int(self.codeStart[i]) + Int(self.codeCount[i])]
        return MatchingWorker(
            id: self.ids[i],
            createdAt: self.createdAt[i],
            registeredOn: LocalDate(daysSinceEpoch: Int(self.registeredDay[i])),
            status: self.householdStatus(slot),
            occupations: codes.filter { $0 & Self.trainedFlag == 0 }.map { OccupationCode(raw: $0).text },
            trainedOccupations: codes.filter { $0 & Self.trainedFlag != 0 }.map { OccupationCode(raw: $0 & ~Self.trainedFlag).text },
            wardCode: ward.map { self.wardCodes[$0] },
            lat: ward.flatMap { self.wardLat[$0] },
            lon: ward.flatMap { self.wardLon[$0] },
            maxCommuteKm: self.commute[i] < 0 ? nil : Int(self.commute[i]),
            birthDate: LocalDate(daysSinceEpoch: Int(self.birthDay[i])),
            female: self.flags[i] & Flag.female != 0,
            minority: self.flags[i] & Flag.minority != 0,
            disabled: self.flags[i] & Flag.disabled != 0,
            leaving: self.flags[i] & Flag.leaving != 0
        )
    }

    // MARK: Loading and patching

    /// Adds or replaces a worker (a new fact, or a worker read again after a change).
    public func upsert(_ worker: MatchingWorker) {
        if let slot = self.position[worker.id] {
            self.detach(slot)
            self.store(worker, at: Int(slot))
            self.attach(slot)
        } else {
            let slot = Int32(self.ids.count)
            self.appendEmpty()
            self.position[worker.id] = slot
            self.store(worker, at: Int(slot))
            self.attach(slot)
        }
    }

    /// Removes a worker who is no longer eligible (or gone).
    public func remove(id: Int64) {
        guard let slot = self.position[id], self.isAlive(slot) else { return }
        self.detach(slot)
    }

    /// Brings the table to `today` and `weights` (recomputing only when either differs).
    public func bring(to today: LocalDate, weights: MatchWeights) {
        if self.today != today || self.weights != weights { self.recompute(today: today, weights: weights) }
    }

    /// A new day or new weights: every worker's fixed points again, and the buckets re-sorted.
    public func recompute(today: LocalDate, weights: MatchWeights) {
        self.today = today
        self.weights = weights
        for i in self.ids.indices where self.flags[i] & Flag.alive != 0 { self.fixed[i] = self.fixedPoints(i) }
        for b in self.buckets.indices { self.buckets[b].members.sort(by: self.before) }
        self.boundGroups()
    }

    /// Each group's most fixed points again, from its buckets' first members.
    private func boundGroups() {
        for g in self.groups.indices {
            self.groups[g].maxFixed =
                self.groups[g].buckets.compactMap { self.buckets[Int($0)].members.first.map { self.fixed[Int($0)] } }.max() ?? .min
        }
    }

    /// Bytes held by the table's arrays, its id map and its buckets (for `/metrics`).
    public var memoryBytes: Int {
        let perSlot = 8 + 8 + 4 + 4 + 2 + 2 + 1 + 1 + 4 + 4 + 1
        var bytes = self.ids.capacity * perSlot + self.codes.capacity * 2
        bytes += self.position.capacity * 17  // keys and values at a 3/4 load factor, and the occupancy bits
        for bucket in self.buckets { bytes += bucket.members.capacity * 4 + bucket.trained.capacity * 2 + 48 }
        for group in self.groups { bytes += group.buckets.capacity * 4 + group.trained.capacity * 2 + 48 }
        return bytes + self.bucketIndex.capacity * 16 + self.groupIndex.capacity * 16
    }

    private func appendEmpty() {
        self.ids.append(0)
        self.createdAt.append(0)
        self.registeredDay.append(0)
        self.birthDay.append(0)
        self.ward.append(Self.noWard)
        self.commute.append(-1)
        self.status.append(0)
        self.flags.append(0)
        self.fixed.append(0)
        self.codeStart.append(0)
        self.codeCount.append(0)
    }

    private func store(_ worker: MatchingWorker, at i: Int) {
        self.ids[i] = worker.id
        self.createdAt[i] = worker.createdAt
        self.registeredDay[i] = Int32(worker.registeredOn.daysSinceEpoch)
        self.birthDay[i] = Int32(worker.birthDate.daysSinceEpoch)
        self.ward[i] = self.wardSlot(worker.wardCode, worker.lat, worker.lon)
        self.commute[i] = worker.maxCommuteKm.map { Int16(clamping: max(0, $0)) } ?? -1
        self.status[i] = UInt8(Self.statuses.firstIndex(of: worker.status) ?? 0)
        var flags = Flag.alive
        if worker.female { flags |= Flag.female }
        if worker.minority { flags |= Flag.minority }
        if worker.disabled { flags |= Flag.disabled }
        if worker.leaving { flags |= Flag.leaving }
        if MatchingRules.isPriorityGroup(worker.status) { flags |= Flag.priority }
        let occupations = Set(worker.occupations.compactMap(OccupationCode.init).map(\.raw)).sorted()
        if occupations.count > 1 { flags |= Flag.several }
        self.flags[i] = flags
        let trained = Set(worker.trainedOccupations.compactMap(OccupationCode.init).map { $0.raw | Self.trainedFlag }).sorted()
        let all = occupations + trained
        if all.count <= Int(self.codeCount[i]) {
            let start = Int(self.codeStart[i])
            for (k, code) in all.enumerated() { self.codes[start + k] = code }
        } else {
            self.codeStart[i] = Int32(self.codes.count)
            self.codes.append(contentsOf: all)
        }
        self.codeCount[i] = UInt8(min(all.count, 255))
        self.fixed[i] = self.fixedPoints(i)
    }

    private func wardSlot(_ code: String?, _ lat: Double?, _ lon: Double?) -> UInt16 {
        guard let code else { return Self.noWard }
        if let slot = self.wardIndex[code] {
            self.wardLat[Int(slot)] = lat
            self.wardLon[Int(slot)] = lon
            return slot
        }
        let slot = UInt16(self.wardCodes.count)
        self.wardCodes.append(code)
        self.wardLat.append(lat)
        self.wardLon.append(lon)
        self.wardIndex[code] = slot
        return slot
    }

    func fixedPoints(_ i: Int) -> Int32 {
        let flags = self.flags[i]
        return Int32(
            MatchingRules.fixedPoints(
                status: Self.statuses[Int(self.status[i])],
                registeredOn: LocalDate(daysSinceEpoch: Int(self.registeredDay[i])),
                today: self.today,
                female: flags & Flag.female != 0,
                disabled: flags & Flag.disabled != 0,
                minority: flags & Flag.minority != 0,
                self.weights
            )
        )
    }

    /// Occupation codes of slot i (not courses).
    func occupations(_ i: Int) -> ArraySlice<UInt16> {
        let start = Int(self.codeStart[i])
        return self.codes[start..<start + Int(self.codeCount[i])]
    }

    /// The ranking order within a bucket: more fixed points, then registered earlier, then lower id.
    func before(_ a: Int32, _ b: Int32) -> Bool {
        let (x, y) = (Int(a), Int(b))
        return Self.ranksBefore(points: Int(self.fixed[x]), self.createdAt[x], self.ids[x], than: Int(self.fixed[y]), self.createdAt[y], self.ids[y])
    }

    private func bucketKeys(_ i: Int) -> [BucketKey] {
        let priority = self.flags[i] & Flag.priority != 0
        let codes = self.occupations(i).filter { $0 & Self.trainedFlag == 0 }
        let reach = Self.commuteClass(self.commute[i])
        if codes.isEmpty { return [BucketKey(ward: self.ward[i], code: 0, priority: priority, reach: reach)] }
        return codes.map { BucketKey(ward: self.ward[i], code: $0, priority: priority, reach: reach) }
    }

    /// Puts a worker in their buckets: in order (`sorted`), or appended for a bulk load sorted after.
    private func attach(_ slot: Int32, sorted: Bool = true) {
        let i = Int(slot)
        self.flags[i] |= Flag.alive
        self.aliveCount += 1
        let radius = MatchingRules.radiusKm(maxCommuteKm: self.commute[i] < 0 ? nil : Int(self.commute[i]))
        let trained = self.occupations(i).filter { $0 & Self.trainedFlag != 0 }
            .map { OccupationCode(raw: $0 & ~Self.trainedFlag) }.filter { $0.length >= 3 }.map { $0.group(3).raw }
        for key in self.bucketKeys(i) {
            let b: Int
            if let existing = self.bucketIndex[key] {
                b = Int(existing)
            } else {
                b = self.buckets.count
                let g = self.group(GroupKey(code: key.code, priority: key.priority))
                self.buckets.append(Bucket(ward: key.ward, code: key.code, priority: key.priority, group: Int32(g)))
                self.bucketIndex[key] = Int32(b)
                self.groups[g].buckets.append(Int32(b))
            }
            let g = Int(self.buckets[b].group)
            self.groups[g].maxFixed = max(self.groups[g].maxFixed, self.fixed[i])
            for code in trained where !self.groups[g].trained.contains(code) { self.groups[g].trained.append(code) }
            var bucket = self.buckets[b]
            self.buckets[b] = Bucket(ward: 0, code: 0, priority: false)
            var low = bucket.members.count
            if sorted {
                low = 0
                var high = bucket.members.count
                while low < high {
                    let middle = (low + high) / 2
                    if self.before(bucket.members[middle], slot) { low = middle + 1 } else { high = middle }
                }
            }
            bucket.members.insert(slot, at: low)
            bucket.maxRadius = max(bucket.maxRadius, radius)
            if self.commute[i] < 0 { bucket.unlimited = true } else { bucket.maxCommute = max(bucket.maxCommute, self.commute[i]) }
            for code in trained where !bucket.trained.contains(code) { bucket.trained.append(code) }
            self.buckets[b] = bucket
        }
    }

    /// The index of an occupation's group, made when first needed.
    private func group(_ key: GroupKey) -> Int {
        if let g = self.groupIndex[key] { return Int(g) }
        self.groups.append(Group(code: key.code, priority: key.priority))
        self.groupIndex[key] = Int32(self.groups.count - 1)
        return self.groups.count - 1
    }

    private func detach(_ slot: Int32) {
        let i = Int(slot)
        guard self.flags[i] & Flag.alive != 0 else { return }
        for key in self.bucketKeys(i) {
            guard let b = self.bucketIndex[key].map(Int.init) else { continue }
            if let k = self.buckets[b].members.firstIndex(of: slot) { self.buckets[b].members.remove(at: k) }
        }
        self.flags[i] &= ~Flag.alive
        self.aliveCount -= 1
    }

    /// Loads many workers at once (bulk: buckets sorted once at the end instead of per insert).
    public func load(_ workers: [MatchingWorker]) {
        self.ids.reserveCapacity(self.ids.count + workers.count)
        self.add(workers)
        self.sortBuckets()
    }

    /// Adds one part of a bulk load; `sortBuckets()` once every part is in, before ranking. (No
    /// capacity reserved here: reserving exactly each part's size would copy the arrays every part.)
    public func add(_ workers: [MatchingWorker]) {
        for worker in workers {
            guard self.position[worker.id] == nil else {
                self.upsert(worker)
                continue
            }
            let slot = Int32(self.ids.count)
            self.appendEmpty()
            self.position[worker.id] = slot
            self.store(worker, at: Int(slot))
            self.flags[Int(slot)] &= ~Flag.alive
            self.attach(slot, sorted: false)
        }
    }

    /// Puts every bucket in ranking order after a bulk load, then the slots in bucket order.
    public func sortBuckets() {
        for b in self.buckets.indices { self.buckets[b].members.sort(by: self.before) }
        self.placeByBucket()
    }

    /// Renumbers the slots in bucket order (a worker where their first bucket lists them), so that a
    /// ranking walking down a bucket reads its members' facts from neighbouring memory rather than
    /// from anywhere in the table (at 2,000,000 workers the table is far larger than the CPU's cache).
    private func placeByBucket() {
        let count = self.ids.count
        var newSlot = [Int32](repeating: -1, count: count)
        var order: [Int32] = []
        order.reserveCapacity(count)
        for bucket in self.buckets {
            for slot in bucket.members where newSlot[Int(slot)] < 0 {
                newSlot[Int(slot)] = Int32(order.count)
                order.append(slot)
            }
        }
        for slot in 0..<count where newSlot[slot] < 0 {  // workers in no bucket (not alive)
            newSlot[slot] = Int32(order.count)
            order.append(Int32(slot))
        }
        func placed<T>(_ values: [T]) -> [T] { order.map { values[Int($0)] } }
        var codes: [UInt16] = []
        codes.reserveCapacity(self.codes.count)
        var codeStart: [Int32] = []
        codeStart.reserveCapacity(count)
        for slot in order {
            let start = Int(self.codeStart[Int(slot)])
            codeStart.append(Int32(codes.count))
            codes.append(contentsOf: self.codes[start..<start + Int(self.codeCount[Int(slot)])])
        }
        (self.codes, self.codeStart) = (codes, codeStart)
        self.ids = placed(self.ids)
        self.createdAt = placed(self.createdAt)
        self.registeredDay = placed(self.registeredDay)
        self.birthDay = placed(self.birthDay)
        self.ward = placed(self.ward)
        self.commute = placed(self.commute)
        self.status = placed(self.status)
        self.flags = placed(self.flags)
        self.fixed = placed(self.fixed)
        self.codeCount = placed(self.codeCount)
        for b in self.buckets.indices { self.buckets[b].members = self.buckets[b].members.map { newSlot[Int($0)] } }
        var index = self.position.values.startIndex
        while index != self.position.values.endIndex {
            self.position.values[index] = newSlot[Int(self.position.values[index])]
            self.position.values.formIndex(after: &index)
        }
    }
}

extension LocalDate {
    /// The date `days` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        self = LocalDate(year: 1970, month: 1, day: 1)!.adding(days: days)
    }
}
