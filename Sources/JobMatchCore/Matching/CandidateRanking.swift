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
        excluded: (Int64) -> Bool = { _ in false }
    ) -> (list: [Ranked], rest: Rest?) {
        guard count > 0 else { return ([], self.aliveCount > 0 ? Rest(priority: true, points: Int.max / 4) : nil) }
        let weights = self.weights
        let occupationByDepth = (0...4).map { MatchingRules.occupationPoints(depth: $0, weights) }
        let trainingPoints = MatchingRules.trainingPoints(trained: true, weights)
        let distanceWeight = weights["distance_max"]
        let vacancyCode = OccupationCode(vacancy.occupation)
        let ages = MatchingRules.AgeRange(minAge: vacancy.minAge, maxAge: vacancy.maxAge, today: self.today)
        let youngest = ages.youngestBirth.map { Int32($0.daysSinceEpoch) } ?? .max
        let oldest = ages.oldestBirth.map { Int32($0.daysSinceEpoch) } ?? .min
        let shift = order == .priorityFirst ? Self.priorityShift : 0

        // Distances from the vacancy to every ward, once.
        let distances: [Double?] = self.wardCodes.indices.map {
            MatchingRules.distanceKm(self.wardLat[$0], self.wardLon[$0], vacancy.lat, vacancy.lon)
        }
        self.prepareVisits()
        let visit = self.visit
        /// Levels shared with the vacancy's occupation, worked out once per code in this ranking.
        func depth(_ code: UInt16) -> Int {
            guard let vacancyCode, code != 0 else { return 0 }
            let raw = Int(code)
            if self.codeStamp[raw] != visit {
                self.codeStamp[raw] = visit
                self.codeDepth[raw] = UInt8(OccupationCode(raw: code).sharedLevels(vacancyCode))
            }
            return Int(self.codeDepth[raw])
        }
        let trainedGroup: UInt16? = vacancyCode.flatMap { $0.length >= 3 ? $0.group(3).raw : nil }

        // Each bucket that can hold an eligible worker, with the most its members can add to their fixed points.
        struct Open: HeapElement {
            let bucket: Int32
            var cursor: Int32
            let add: Int
            var key: RankKey

            func comesBefore(_ other: Open) -> Bool { self.key.precedes(other.key) }
        }
        var heap = BinaryHeap<Open>()
        for (b, bucket) in self.buckets.enumerated() where !bucket.members.isEmpty {
            let distance = bucket.ward == Self.noWard ? nil : distances[Int(bucket.ward)]
            if let distance, !bucket.unlimited, distance > Double(bucket.maxCommute) { continue }
            var add = occupationByDepth[depth(bucket.code)]
            if let trainedGroup, bucket.trained.contains(trainedGroup) { add += trainingPoints }
            add += MatchingRules.distancePoints(distance, radiusKm: bucket.maxRadius, weight: distanceWeight)
            add += bucket.priority ? shift : 0
            let first = Int(bucket.members[0])
            heap.appendUnordered(
                Open(
                    bucket: Int32(b),
                    cursor: 0,
                    add: add,
                    key: RankKey(major: Int(self.fixed[first]) + add, createdAt: self.createdAt[first], id: self.ids[first])
                )
            )
        }
        heap.heapify()

        struct Found: HeapElement {
            let key: RankKey
            let ranked: Ranked

            func comesBefore(_ other: Found) -> Bool { self.key.precedes(other.key) }
        }
        var found = BinaryHeap<Found>()
        var list: [Ranked] = []
        list.reserveCapacity(min(count, 1024))
        while list.count < count {
            // The best bucket whose next member has not been looked at yet.
            while var open = heap.top {
                let members = self.buckets[Int(open.bucket)].members
                var cursor = Int(open.cursor)
                while cursor < members.count, self.visits[Int(members[cursor])] == visit { cursor += 1 }
                if cursor == Int(open.cursor) { break }
                if cursor >= members.count {
                    _ = heap.pop()
                    continue
                }
                let next = Int(members[cursor])
                open.cursor = Int32(cursor)
                open.key = RankKey(major: Int(self.fixed[next]) + open.add, createdAt: self.createdAt[next], id: self.ids[next])
                heap.replaceTop(open)
            }
            if let best = found.top, heap.top.map({ best.key.precedes($0.key) }) ?? true {
                list.append(found.pop()!.ranked)
                continue
            }
            guard var open = heap.top else { break }
            let members = self.buckets[Int(open.bucket)].members
            let slot = members[Int(open.cursor)]
            let i = Int(slot)
            self.visits[i] = visit
            open.cursor += 1
            if Int(open.cursor) < members.count {
                let next = Int(members[Int(open.cursor)])
                open.key = RankKey(major: Int(self.fixed[next]) + open.add, createdAt: self.createdAt[next], id: self.ids[next])
                heap.replaceTop(open)
            } else {
                _ = heap.pop()
            }
            // The exact points, or nothing when a hard filter excludes the worker.
            let flags = self.flags[i]
            guard flags & Flag.alive != 0, self.birthDay[i] <= youngest, self.birthDay[i] > oldest,
                MatchingRules.abroadBoundAllows(leaving: flags & Flag.leaving != 0, vacancyOpenToAbroadBound: vacancy.openToAbroadBound)
            else { continue }
            let distance = self.ward[i] == Self.noWard ? nil : distances[Int(self.ward[i])]
            let commute = self.commute[i] < 0 ? nil : Int(self.commute[i])
            guard MatchingRules.commuteAllows(distanceKm: distance, maxCommuteKm: commute), !excluded(self.ids[i]) else { continue }
            var bestDepth = 0
            var trained = false
            let start = Int(self.codeStart[i])
            for k in start..<start + Int(self.codeCount[i]) {
                let code = self.codes[k]
                if code & Self.trainedFlag != 0 {
                    if MatchingRules.trainingCounts(depth: depth(code & ~Self.trainedFlag)) { trained = true }
                } else {
                    bestDepth = max(bestDepth, depth(code))
                }
            }
            let points =
                Int(self.fixed[i]) + occupationByDepth[bestDepth] + (trained ? trainingPoints : 0)
                + MatchingRules.distancePoints(distance, radiusKm: MatchingRules.radiusKm(maxCommuteKm: commute), weight: distanceWeight)
            let priority = flags & Flag.priority != 0
            found.push(
                Found(
                    key: RankKey(major: points + (priority ? shift : 0), createdAt: self.createdAt[i], id: self.ids[i]),
                    ranked: Ranked(slot: slot, points: points, priority: priority, distanceKm: distance)
                )
            )
        }
        // The most anything not listed could still have.
        var restMajor: Int? = found.top?.key.major
        if let top = heap.top { restMajor = max(restMajor ?? .min, top.key.major) }
        let rest = restMajor.map { major in
            order == .priorityFirst
                ? Rest(priority: major >= Self.priorityShift, points: major >= Self.priorityShift ? major - Self.priorityShift : major)
                : Rest(priority: true, points: major)
        }
        return (list, rest)
    }

    private func prepareVisits() {
        if self.visits.count < self.ids.count { self.visits.append(contentsOf: repeatElement(0, count: self.ids.count - self.visits.count)) }
        if self.codeStamp.isEmpty {
            self.codeStamp = Array(repeating: 0, count: Int(UInt16.max) + 1)
            self.codeDepth = Array(repeating: 0, count: Int(UInt16.max) + 1)
        }
        self.visit &+= 1
        if self.visit == 0 {
            for i in self.visits.indices { self.visits[i] = 0 }
            for i in self.codeStamp.indices { self.codeStamp[i] = 0 }
            self.visit = 1
        }
    }
}
