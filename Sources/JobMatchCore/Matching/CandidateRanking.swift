/// A vacancy's eligible workers from the table, best first, exactly as `MatchingRules` rank them.
extension WorkerTable {
    /// A ranked worker: the table slot, the points and the distance the points used.
    public struct Ranked: Sendable, Equatable {
        public let slot: Int32
        public let points: Int
        public let priority: Bool
        public let distanceKm: Double?
    }

    /// The order to rank in: by points (one vacancy's list), or priority group first (the batch).
    public enum RankOrder: Sendable {
        case points
        case priorityFirst
    }

    /// Where a ranking stopped: the best points (and priority) any worker not listed could still have.
    public struct Rest: Sendable, Equatable {
        public let priority: Bool
        public let points: Int
    }

    /// A key in rank order: `major` (priority x 2^20 + points in `.priorityFirst`), then earlier
    /// registration, then lower id.
    struct RankKey {
        let major: Int
        let createdAt: Int64
        let id: Int64

        func precedes(_ other: RankKey) -> Bool {
            if self.major != other.major { return self.major > other.major }
            if self.createdAt != other.createdAt { return self.createdAt < other.createdAt }
            return self.id < other.id
        }
    }

    static let priorityShift = 1 << 20

    /// The list order, for merging lists ranked apart: more points, then registered earlier, then lower id.
    public static func ranksBefore(
        points: Int,
        _ createdAt: Int64,
        _ id: Int64,
        than otherPoints: Int,
        _ otherCreatedAt: Int64,
        _ otherID: Int64
    )
        -> Bool
    {
        RankKey(major: points, createdAt: createdAt, id: id).precedes(RankKey(major: otherPoints, createdAt: otherCreatedAt, id: otherID))
    }

    /// The best `count` eligible workers for `vacancy` (fewer when there are no more), and the most
    /// any worker not listed could score (nil when every eligible worker is listed).
    /// `excluded` leaves out workers already referred to the vacancy or held elsewhere.
    public func rank(
        _ vacancy: MatchingVacancy,
        count: Int,
        order: RankOrder = .points,
        excluded: @escaping (Int64) -> Bool = { _ in false }
    ) -> (list: [Ranked], rest: Rest?) {
        guard count > 0 else { return ([], self.aliveCount > 0 ? Rest(priority: true, points: Int.max / 4) : nil) }
        let ranking = Ranking(self, vacancy, order: order, excluded: excluded)
        return (ranking.next(count), ranking.rest)
    }

    /// One vacancy's ranking kept open: `next(n)` lists the next n eligible workers in rank order, going
    /// on where the last call stopped (the batch reads a list further without ranking it again from
    /// the top). Valid while the table is not changed.
    public final class Ranking {
        let table: WorkerTable
        let vacancy: MatchingVacancy
        let excluded: (Int64) -> Bool
        let occupationByDepth: [Int]
        let trainingPoints: Int
        let distanceWeight: Int
        let vacancyCode: OccupationCode?
        /// The vacancy's 3-digit occupation group, which a completed course must share to count.
        let trainedGroup: UInt16?
        let youngest: Int32
        let oldest: Int32
        let shift: Int
        let order: RankOrder
        /// Distances from the vacancy to every ward.
        let distances: [Double?]
        /// Levels each occupation code shares with the vacancy's (255: not worked out yet).
        var depths: [UInt8]
        /// Workers in several buckets already looked at (each is scored once).
        var seen: Set<Int32> = []
        /// The other group's buckets are not open yet (`.priorityFirst`).
        var waiting = false

        /// A bucket that can hold an eligible worker, with the most its members can add to their fixed
        /// points; or (`bucket` < 0) an occupation's group of buckets not opened yet, keyed by a bound
        /// over all of them (ahead of any worker with the same points, so it opens before they are listed).
        struct Open: HeapElement {
            /// The bucket, or -1 - the group.
            let bucket: Int32
            var cursor: Int32
            let add: Int
            var key: RankKey

            func comesBefore(_ other: Open) -> Bool { self.key.precedes(other.key) }
        }
        /// A worker scored and waiting until no bucket can still hold a better one.
        struct Found: HeapElement {
            let key: RankKey
            let ranked: Ranked

            func comesBefore(_ other: Found) -> Bool { self.key.precedes(other.key) }
        }
        var heap = BinaryHeap<Open>()
        var found = BinaryHeap<Found>()

        public init(_ table: WorkerTable, _ vacancy: MatchingVacancy, order: RankOrder, excluded: @escaping (Int64) -> Bool) {
            self.table = table
            self.vacancy = vacancy
            self.excluded = excluded
            self.order = order
            let weights = table.weights
            self.occupationByDepth = (0...4).map { MatchingRules.occupationPoints(depth: $0, weights) }
            self.trainingPoints = MatchingRules.trainingPoints(trained: true, weights)
            self.distanceWeight = weights["distance_max"]
            self.vacancyCode = OccupationCode(vacancy.occupation)
            self.trainedGroup = self.vacancyCode.flatMap { $0.length >= 3 ? $0.group(3).raw : nil }
            let ages = MatchingRules.AgeRange(minAge: vacancy.minAge, maxAge: vacancy.maxAge, today: table.today)
            self.youngest = ages.youngestBirth.map { Int32($0.daysSinceEpoch) } ?? .max
            self.oldest = ages.oldestBirth.map { Int32($0.daysSinceEpoch) } ?? .min
            self.shift = order == .priorityFirst ? WorkerTable.priorityShift : 0
            self.distances = table.wardCodes.indices.map {
                MatchingRules.distanceKm(table.wardLat[$0], table.wardLon[$0], vacancy.lat, vacancy.lon)
            }
            self.depths = Array(repeating: 255, count: 1 << 14)
            // Ranking the priority group first, the other buckets wait until the priority ones are spent
            // (most lists never get there, and a list kept open holds half the buckets).
            self.waiting = order == .priorityFirst
            self.open(priority: order == .priorityFirst ? true : nil)
        }

        /// Puts the occupation groups of one priority group (nil: all) in the heap, each with a bound for
        /// this vacancy over all its buckets (the most fixed points, its occupation's points, training
        /// when any member has it, full distance points).
        private func open(priority: Bool?) {
            let table = self.table
            for g in table.groups.indices where table.groups[g].maxFixed > .min && (priority == nil || table.groups[g].priority == priority) {
                var add = self.occupationByDepth[self.depth(table.groups[g].code)] + max(0, self.distanceWeight)
                if let trainedGroup = self.trainedGroup, table.groups[g].trained.contains(trainedGroup) { add += max(0, self.trainingPoints) }
                add += table.groups[g].priority ? self.shift : 0
                self.heap.appendUnordered(
                    Open(
                        bucket: Int32(-1 - g),
                        cursor: 0,
                        add: add,
                        key: RankKey(major: Int(table.groups[g].maxFixed) + add, createdAt: .min, id: .min)
                    )
                )
            }
            self.heap.heapify()
        }

        /// Opens group g's buckets that can hold an eligible worker, each with the most its members can
        /// add to their fixed points.
        private func expand(group g: Int) {
            let table = self.table
            // The buckets' fields are read in place (a copy of a bucket would retain its arrays).
            for b in table.groups[g].buckets {
                let i = Int(b)
                guard !table.buckets[i].members.isEmpty else { continue }
                let first = Int(table.buckets[i].members[0])
                let ward = table.buckets[i].ward
                let distance = ward == WorkerTable.noWard ? nil : self.distances[Int(ward)]
                if let distance, !table.buckets[i].unlimited, distance > Double(table.buckets[i].maxCommute) { continue }
                var add = self.occupationByDepth[self.depth(table.buckets[i].code)]
                if let trainedGroup = self.trainedGroup, table.buckets[i].trained.contains(trainedGroup) { add += self.trainingPoints }
                add += MatchingRules.distancePoints(distance, radiusKm: table.buckets[i].maxRadius, weight: self.distanceWeight)
                add += table.buckets[i].priority ? self.shift : 0
                self.heap.push(
                    Open(
                        bucket: b,
                        cursor: 0,
                        add: add,
                        key: RankKey(major: Int(table.fixed[first]) + add, createdAt: table.createdAt[first], id: table.ids[first])
                    )
                )
            }
        }

        /// Opens the waiting buckets once no priority bucket can give a better worker than they might.
        private func openWaiting() {
            guard self.waiting, (self.heap.top?.key.major ?? .min) < self.shift else { return }
            self.waiting = false
            self.open(priority: false)
        }

        /// Levels shared with the vacancy's occupation, worked out once per code.
        @inline(__always) func depth(_ code: UInt16) -> Int {
            guard let vacancyCode = self.vacancyCode, code != 0 else { return 0 }
            let raw = Int(code)
            if self.depths[raw] == 255 { self.depths[raw] = UInt8(OccupationCode(raw: code).sharedLevels(vacancyCode)) }
            return Int(self.depths[raw])
        }

        /// Whether slot i was scored already from another of its buckets.
        @inline(__always) func alreadySeen(_ slot: Int32) -> Bool {
            self.table.flags[Int(slot)] & Flag.several != 0 && self.seen.contains(slot)
        }

        /// The next `count` eligible workers in rank order (fewer when there are no more).
        public func next(_ count: Int) -> [Ranked] {
            let table = self.table
            var list: [Ranked] = []
            list.reserveCapacity(min(count, 1024))
            while list.count < count {
                self.openWaiting()
                // The best bucket whose next member has not been looked at yet (opening groups on the way).
                while var open = self.heap.top {
                    if open.bucket < 0 {
                        _ = self.heap.pop()
                        self.expand(group: Int(-1 - open.bucket))
                        continue
                    }
                    let members = table.buckets[Int(open.bucket)].members
                    var cursor = Int(open.cursor)
                    while cursor < members.count, self.alreadySeen(members[cursor]) { cursor += 1 }
                    if cursor == Int(open.cursor) { break }
                    if cursor >= members.count {
                        _ = self.heap.pop()
                        continue
                    }
                    let next = Int(members[cursor])
                    open.cursor = Int32(cursor)
                    open.key = RankKey(major: Int(table.fixed[next]) + open.add, createdAt: table.createdAt[next], id: table.ids[next])
                    self.heap.replaceTop(open)
                }
                if let best = self.found.top, self.heap.top.map({ best.key.precedes($0.key) }) ?? true {
                    list.append(self.found.pop()!.ranked)
                    continue
                }
                guard var open = self.heap.top else { break }
                let members = table.buckets[Int(open.bucket)].members
                let slot = members[Int(open.cursor)]
                let i = Int(slot)
                open.cursor += 1
                if Int(open.cursor) < members.count {
                    let next = Int(members[Int(open.cursor)])
                    open.key = RankKey(major: Int(table.fixed[next]) + open.add, createdAt: table.createdAt[next], id: table.ids[next])
                    self.heap.replaceTop(open)
                } else {
                    _ = self.heap.pop()
                }
                let flags = table.flags[i]
                if flags & Flag.several != 0 { self.seen.insert(slot) }
                if let ranked = self.score(i, flags) {
                    self.found.push(
                        Found(
                            key: RankKey(major: ranked.points + (ranked.priority ? self.shift : 0), createdAt: table.createdAt[i], id: table.ids[i]),
                            ranked: ranked
                        )
                    )
                }
            }
            return list
        }

        /// For a ranking kept open between calls: the heaps give back the storage they no longer use.
        public func trim() {
            self.heap.trim()
            self.found.trim()
        }

        /// Slot i's exact points for the vacancy, or nil when a hard filter excludes the worker.
        @inline(__always) func score(_ i: Int, _ flags: UInt8) -> Ranked? {
            let table = self.table
            guard flags & Flag.alive != 0, table.birthDay[i] <= self.youngest, table.birthDay[i] > self.oldest,
                MatchingRules.abroadBoundAllows(leaving: flags & Flag.leaving != 0, vacancyOpenToAbroadBound: self.vacancy.openToAbroadBound)
            else { return nil }
            let distance = table.ward[i] == WorkerTable.noWard ? nil : self.distances[Int(table.ward[i])]
            let commute = table.commute[i] < 0 ? nil : Int(table.commute[i])
            guard MatchingRules.commuteAllows(distanceKm: distance, maxCommuteKm: commute), !self.excluded(table.ids[i]) else { return nil }
            var bestDepth = 0
            var trained = false
            let start = Int(table.codeStart[i])
            for k in start..<start + Int(table.codeCount[i]) {
                let code = table.codes[k]
                if code & WorkerTable.trainedFlag != 0 {
                    if MatchingRules.trainingCounts(depth: self.depth(code & ~WorkerTable.trainedFlag)) { trained = true }
                } else {
                    bestDepth = max(bestDepth, self.depth(code))
                }
            }
            let points =
                Int(table.fixed[i]) + self.occupationByDepth[bestDepth] + (trained ? self.trainingPoints : 0)
                + MatchingRules.distancePoints(distance, radiusKm: MatchingRules.radiusKm(maxCommuteKm: commute), weight: self.distanceWeight)
            return Ranked(slot: Int32(i), points: points, priority: flags & Flag.priority != 0, distanceKm: distance)
        }

        /// The most anything not listed yet could still have (nil when every eligible worker is listed).
        public var rest: Rest? {
            self.openWaiting()
            var restMajor: Int? = self.found.top?.key.major
            if let top = self.heap.top { restMajor = max(restMajor ?? .min, top.key.major) }
            return restMajor.map { major in
                self.order == .priorityFirst
                    ? Rest(
                        priority: major >= WorkerTable.priorityShift,
                        points: major >= WorkerTable.priorityShift ? major - WorkerTable.priorityShift : major
                    )
                    : Rest(priority: true, points: major)
            }
        }
    }
}
