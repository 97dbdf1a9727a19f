/// A binary heap whose top is the element that comes before all others (the comparison is the
/// element type's own, so the compiler inlines it: no closure call per comparison).
struct BinaryHeap<Element: HeapElement> {
    private(set) var items: [Element] = []

    init() {}

    @inline(__always) private func before(_ a: Element, _ b: Element) -> Bool { a.comesBefore(b) }

    var isEmpty: Bool { self.items.isEmpty }
    var top: Element? { self.items.first }

    mutating func removeAll() { self.items.removeAll(keepingCapacity: true) }

    /// Gives back the storage beyond twice what is held (a heap kept open after shrinking a lot).
    mutating func trim() {
        guard self.items.capacity > 2 * self.items.count + 16 else { return }
        var kept: [Element] = []
        kept.reserveCapacity(self.items.count)
        kept.append(contentsOf: self.items)
        self.items = kept
    }

    mutating func push(_ item: Element) {
        self.items.append(item)
        var i = self.items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard self.before(self.items[i], self.items[parent]) else { break }
            self.items.swapAt(i, parent)
            i = parent
        }
    }

    /// Appends without ordering; call `heapify()` before the next `pop`.
    mutating func appendUnordered(_ item: Element) { self.items.append(item) }

    mutating func heapify() {
        var i = self.items.count / 2 - 1
        while i >= 0 {
            self.siftDown(i)
            i -= 1
        }
    }

    mutating func pop() -> Element? {
        guard let first = self.items.first else { return nil }
        let last = self.items.removeLast()
        if !self.items.isEmpty {
            self.items[0] = last
            self.siftDown(0)
        }
        return first
    }

    /// Replaces the top (cheaper than pop then push).
    mutating func replaceTop(_ item: Element) {
        self.items[0] = item
        self.siftDown(0)
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let count = self.items.count
        while true {
            let (l, r) = (2 * i + 1, 2 * i + 2)
            var first = i
            if l < count, self.before(self.items[l], self.items[first]) { first = l }
            if r < count, self.before(self.items[r], self.items[first]) { first = r }
            guard first != i else { return }
            self.items.swapAt(i, first)
            i = first
        }
    }
}
