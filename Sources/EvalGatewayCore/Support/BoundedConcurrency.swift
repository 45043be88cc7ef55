extension Collection where Element: Sendable {
    /// `transform` applied to every element, with at most `maxParallel` running at once; the results in
    /// the collection's order.
    public func concurrentMap<T: Sendable>(maxParallel: Int, _ transform: @escaping @Sendable (Element) async -> T) async -> [T] {
        let elements = Array(self)
        guard !elements.isEmpty else { return [] }
        // One element (a request naming one database): run it in this task, without a child task to start and join.
        if elements.count == 1 { return [await transform(elements[0])] }
        return await withTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: elements.count)
            var next = 0
            for _ in 0..<Swift.min(Swift.max(1, maxParallel), elements.count) {
                let index = next
                group.addTask { (index, await transform(elements[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < elements.count {
                    let started = next
                    group.addTask { (started, await transform(elements[started])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
