/// Deterministic text comparison for the built-in evaluators: case- and punctuation-insensitive tokens.
enum TextMatching {
    /// Lower-cased alphanumeric tokens.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                tokens.append(current)
                current = ""
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The text as normalized tokens joined by single spaces.
    static func normalized(_ text: String) -> String { tokens(text).joined(separator: " ") }

    /// Token-overlap F1 between `expected` and `actual` (1 for the same normalized text), as in SQuAD.
    static func f1(expected: String, actual: String) -> Double {
        let expectedTokens = tokens(expected)
        let actualTokens = tokens(actual)
        if expectedTokens == actualTokens { return 1 }
        guard !expectedTokens.isEmpty, !actualTokens.isEmpty else { return 0 }
        var counts: [String: Int] = [:]
        for token in expectedTokens { counts[token, default: 0] += 1 }
        var common = 0
        for token in actualTokens where (counts[token] ?? 0) > 0 {
            counts[token]! -= 1
            common += 1
        }
        guard common > 0 else { return 0 }
        let precision = Double(common) / Double(actualTokens.count)
        let recall = Double(common) / Double(expectedTokens.count)
        return 2 * precision * recall / (precision + recall)
    }

    /// Words too common to carry an assertion's meaning.
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "was", "were", "be", "been",
        "it", "its", "that", "this", "as", "at", "by", "from", "should", "must", "agent", "response", "user", "has", "have",
    ]

    /// Whether `text` supports `assertion`: it contains the assertion's normalized text, or every one of
    /// the assertion's content words.
    static func supports(_ text: String, assertion: String) -> Bool {
        let haystack = " " + normalized(text) + " "
        let needle = normalized(assertion)
        if needle.isEmpty { return false }
        if haystack.contains(" " + needle + " ") { return true }
        let words = Set(tokens(text))
        let content = tokens(assertion).filter { !stopWords.contains($0) }
        return !content.isEmpty && content.allSatisfy(words.contains)
    }
}
