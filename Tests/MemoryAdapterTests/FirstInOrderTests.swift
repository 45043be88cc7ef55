@testable import MemoryAdapter
import Testing

/// The memory adapter's page selection keeps only the rows up to the page's end in order; it must give
/// exactly what sorting the whole table would.
struct FirstInOrderTests {
    /// Pairs with many equal first members, ordered by both: a strict total order, as a list's ordering
    /// (its column, then the id) is.
    private static func pairs(_ count: Int, seed: UInt64) -> [(Int, Int)] {
        var state = seed
        return (0..<count).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Int(state >> 59), index)
        }
    }

    private static func areInIncreasingOrder(_ lhs: (Int, Int), _ rhs: (Int, Int)) -> Bool {
        lhs.0 != rhs.0 ? lhs.0 > rhs.0 : lhs.1 < rhs.1
    }

    @Test(arguments: [0, 1, 2, 20, 999, 1000, 1001, 5000])
    func givesWhatAFullSortGives(count: Int) {
        let elements = Self.pairs(1000, seed: UInt64(count) + 7)
        let expected = elements.sorted(by: Self.areInIncreasingOrder).prefix(count)
        let (first, total) = elements.firstInOrder(count, by: Self.areInIncreasingOrder)
        #expect(total == 1000)
        #expect(first.map(\.1) == expected.map(\.1))
        // The same past the threshold, where it sorts everything.
        let (sorted, sortedTotal) = elements.firstInOrder(count, by: Self.areInIncreasingOrder, fullSortThreshold: 0)
        #expect(sortedTotal == 1000)
        #expect(sorted.map(\.1) == expected.map(\.1))
    }

    @Test func anEmptySequenceHasNothing() {
        let (first, total) = [(Int, Int)]().firstInOrder(20, by: Self.areInIncreasingOrder)
        #expect(first.isEmpty)
        #expect(total == 0)
    }
}
