extension Sequence {
    /// The first `count` elements in the order `areInIncreasingOrder` gives — what
    /// `sorted(by:).prefix(count)` returns for a strict total order — and how many elements the sequence
    /// has, in one pass that keeps only those `count` elements sorted, instead of sorting all of them.
    ///
    /// A page of a list wants the first `offset + limit` rows of the whole table: a few dozen out of
    /// hundreds of thousands. Past `fullSortThreshold` wanted elements (a deep page) it sorts everything.
    func firstInOrder(_ count: Int, by areInIncreasingOrder: (Element, Element) -> Bool, fullSortThreshold: Int = 1024) -> (elements: [Element], total: Int) {
        guard count <= fullSortThreshold else {
            let all = sorted(by: areInIncreasingOrder)
            return (Array(all.prefix(count)), all.count)
        }
        var best: [Element] = []
        best.reserveCapacity(count)
        var total = 0
        for element in self {
            total += 1
            if best.count == count {
                guard count > 0, areInIncreasingOrder(element, best[count - 1]) else { continue }
                best.removeLast()
            }
            // Binary search for the first kept element that comes after `element`.
            var low = 0
            var high = best.count
            while low < high {
                let middle = (low + high) / 2
                if areInIncreasingOrder(element, best[middle]) { high = middle } else { low = middle + 1 }
            }
            best.insert(element, at: low)
        }
        return (best, total)
    }
}
