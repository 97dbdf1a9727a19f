/// An element of a `BinaryHeap`: `comesBefore` says which must come out first.
protocol HeapElement {
    func comesBefore(_ other: Self) -> Bool
}
