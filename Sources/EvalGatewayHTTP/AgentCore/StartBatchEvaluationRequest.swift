import EvalGatewayCore

/// A StartBatchEvaluation body, read member by member from the JSON (unknown members are ignored, as AWS
/// services do) and checked against the constraints of the botocore model. Every field problem is
/// collected, then reported at once as a ValidationException with a `fieldList`.
struct StartBatchEvaluationRequest {
    var name: String
    var description: String?
    var evaluatorIDs: [String]
    var sessions: [BatchEvaluationSession]
    /// `dataSourceConfig` with its known members only, echoed by GetBatchEvaluation.
    var dataSourceConfig: JSONValue
    var clientToken: String?
    /// The parameters idempotency compares (everything but the token).
    var parameters: JSONValue

    /// Parses `body`; throws a ValidationException (reason `CannotParse` or `FieldValidationFailed`).
    init(body: [UInt8]) throws(AgentCoreError) {
        let root: JSONValue
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            root = .object([:])
        } else {
            do {
                root = try JSONValue(parsing: String(decoding: body, as: UTF8.self))
            } catch {
                throw .validation("Could not parse the request body as JSON", reason: "CannotParse")
            }
        }
        guard case .object = root else {
            throw .validation("The request body must be a JSON object", reason: "CannotParse")
        }
        var problems = Problems()

        // batchEvaluationName
        let name = problems.string(root["batchEvaluationName"], "batchEvaluationName", required: true) ?? ""
        if root["batchEvaluationName"] != nil, problems.isClean("batchEvaluationName"), !BatchEvaluationIdentifiers.isValidName(name) {
            problems.add("batchEvaluationName", "Value '\(name)' at 'batchEvaluationName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][a-zA-Z0-9_]{0,47}")
        }

        // description
        let description = problems.string(root["description"], "description", required: false)
        if let description, description.count > 200 {
            problems.add("description", "Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 200")
        }
        if let description, description.utf8.contains(0) {
            problems.add("description", "Value at 'description' failed to satisfy constraint: Member must not contain NUL characters")
        }

        // evaluators
        var evaluatorIDs: [String] = []
        if let evaluators = problems.list(root["evaluators"], "evaluators") {
            if evaluators.count > 10 {
                problems.add("evaluators", "Value at 'evaluators' failed to satisfy constraint: Member must have length less than or equal to 10")
            }
            for (index, evaluator) in evaluators.enumerated() {
                let path = "evaluators.\(index + 1).member.evaluatorId"
                guard case .object = evaluator else {
                    problems.add("evaluators.\(index + 1).member", "Value at 'evaluators.\(index + 1).member' failed to satisfy constraint: Member must be a structure")
                    continue
                }
                guard let id = problems.string(evaluator["evaluatorId"], path, required: true) else { continue }
                if !BatchEvaluationIdentifiers.isValidEvaluatorID(id) {
                    problems.add(path, "Value '\(id)' at '\(path)' failed to satisfy constraint: Member must satisfy regular expression pattern: (Builtin.[a-zA-Z0-9_-]+|[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10})")
                } else if !evaluatorIDs.contains(id) {
                    evaluatorIDs.append(id)
                }
            }
        }

        // dataSourceConfig
        var filterSessionIDs: [String] = []
        var dataSourceConfig = JSONValue.object([:])
        if let config = root["dataSourceConfig"], config != .null {
            if case .object = config {
                if let cloudWatch = config["cloudWatchLogs"], cloudWatch != .null {
                    let (sanitized, ids) = Self.cloudWatchLogs(cloudWatch, problems: &problems)
                    dataSourceConfig = .object(["cloudWatchLogs": sanitized])
                    filterSessionIDs = ids
                } else {
                    problems.add("dataSourceConfig", "Value at 'dataSourceConfig' failed to satisfy constraint: Exactly one member (cloudWatchLogs) must be set")
                }
            } else {
                problems.add("dataSourceConfig", "Value at 'dataSourceConfig' failed to satisfy constraint: Member must be a structure")
            }
        } else {
            problems.add("dataSourceConfig", "Value null at 'dataSourceConfig' failed to satisfy constraint: Member must not be null")
        }

        // clientToken
        let clientToken = problems.string(root["clientToken"], "clientToken", required: false)
        if let clientToken, !BatchEvaluationIdentifiers.isValidClientToken(clientToken) {
            problems.add("clientToken", "Value '\(clientToken)' at 'clientToken' failed to satisfy constraint: Member must have length between 33 and 256 and satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,256}")
        }

        // evaluationMetadata
        var sessions: [BatchEvaluationSession] = []
        var seen: Set<String> = []
        var evaluationMetadata = JSONValue.null
        if let metadata = root["evaluationMetadata"], metadata != .null {
            if case .object = metadata, let list = problems.list(metadata["sessionMetadata"], "evaluationMetadata.sessionMetadata") {
                if list.count > 500 {
                    problems.add("evaluationMetadata.sessionMetadata", "Value at 'evaluationMetadata.sessionMetadata' failed to satisfy constraint: Member must have length less than or equal to 500")
                }
                var kept: [JSONValue] = []
                for (index, item) in list.enumerated() {
                    let path = "evaluationMetadata.sessionMetadata.\(index + 1).member"
                    guard let session = Self.session(item, path: path, problems: &problems) else { continue }
                    kept.append(Self.sessionJSON(session))
                    if seen.insert(session.sessionID).inserted { sessions.append(session) }
                }
                evaluationMetadata = .object(["sessionMetadata": .array(kept)])
            } else if case .object = metadata {
                // No known member: nothing to read.
            } else {
                problems.add("evaluationMetadata", "Value at 'evaluationMetadata' failed to satisfy constraint: Member must be a structure")
            }
        }
        for id in filterSessionIDs where seen.insert(id).inserted {
            sessions.append(BatchEvaluationSession(sessionID: id))
        }

        if !problems.fields.isEmpty { throw .fieldValidation(problems.fields) }
        self.name = name
        self.description = description
        self.evaluatorIDs = evaluatorIDs
        self.sessions = sessions
        self.dataSourceConfig = dataSourceConfig
        self.clientToken = clientToken
        var parameters: [String: JSONValue] = [
            "batchEvaluationName": .string(name),
            "evaluators": .array(evaluatorIDs.map { .string($0) }),
            "dataSourceConfig": dataSourceConfig,
            "evaluationMetadata": evaluationMetadata,
        ]
        if let description { parameters["description"] = .string(description) }
        self.parameters = .object(parameters)
    }

    // MARK: - Members

    private static func cloudWatchLogs(_ value: JSONValue, problems: inout Problems) -> (JSONValue, [String]) {
        let base = "dataSourceConfig.cloudWatchLogs"
        guard case .object = value else {
            problems.add(base, "Value at '\(base)' failed to satisfy constraint: Member must be a structure")
            return (.object([:]), [])
        }
        var sanitized: [String: JSONValue] = [:]
        for (member, range) in [("serviceNames", 1...1), ("logGroupNames", 1...5)] {
            let path = "\(base).\(member)"
            guard value[member] != nil, value[member] != .null else {
                problems.add(path, "Value null at '\(path)' failed to satisfy constraint: Member must not be null")
                continue
            }
            guard let names = problems.list(value[member], path) else { continue }
            if !range.contains(names.count) {
                problems.add(path, "Value at '\(path)' failed to satisfy constraint: Member must have length between \(range.lowerBound) and \(range.upperBound)")
            }
            var strings: [JSONValue] = []
            for (index, name) in names.enumerated() {
                if let text = problems.string(name, "\(path).\(index + 1).member", required: true) { strings.append(.string(text)) }
            }
            sanitized[member] = .array(strings)
        }
        var sessionIDs: [String] = []
        if let filter = value["filterConfig"], filter != .null {
            let path = "\(base).filterConfig"
            if case .object = filter {
                var filterOut: [String: JSONValue] = [:]
                if let ids = problems.list(filter["sessionIds"], "\(path).sessionIds") {
                    if ids.count > 500 {
                        problems.add("\(path).sessionIds", "Value at '\(path).sessionIds' failed to satisfy constraint: Member must have length less than or equal to 500")
                    }
                    for (index, id) in ids.enumerated() {
                        guard let text = problems.string(id, "\(path).sessionIds.\(index + 1).member", required: true) else { continue }
                        if text.isEmpty || text.utf8.contains(0) {
                            problems.add("\(path).sessionIds.\(index + 1).member", "Value at '\(path).sessionIds.\(index + 1).member' failed to satisfy constraint: Member must be a non-empty string")
                        } else {
                            sessionIDs.append(text)
                        }
                    }
                    filterOut["sessionIds"] = .array(sessionIDs.map { .string($0) })
                }
                if let range = filter["timeRange"], range != .null {
                    if case .object = range {
                        var rangeOut: [String: JSONValue] = [:]
                        for member in ["startTime", "endTime"] {
                            switch range[member] {
                            case .string(let text)?: rangeOut[member] = .string(text)
                            case .integer(let number)?: rangeOut[member] = .integer(number)
                            case .number(let number)?: rangeOut[member] = .number(number)
                            case nil, .null?: break
                            default:
                                problems.add("\(path).timeRange.\(member)", "Value at '\(path).timeRange.\(member)' failed to satisfy constraint: Member must be a timestamp")
                            }
                        }
                        filterOut["timeRange"] = .object(rangeOut)
                    } else {
                        problems.add("\(path).timeRange", "Value at '\(path).timeRange' failed to satisfy constraint: Member must be a structure")
                    }
                }
                sanitized["filterConfig"] = .object(filterOut)
            } else {
                problems.add(path, "Value at '\(path)' failed to satisfy constraint: Member must be a structure")
            }
        }
        return (.object(sanitized), sessionIDs)
    }

    private static func session(_ item: JSONValue, path: String, problems: inout Problems) -> BatchEvaluationSession? {
        guard case .object = item else {
            problems.add(path, "Value at '\(path)' failed to satisfy constraint: Member must be a structure")
            return nil
        }
        guard let id = problems.string(item["sessionId"], "\(path).sessionId", required: true) else { return nil }
        if id.isEmpty || id.utf8.contains(0) {
            problems.add("\(path).sessionId", "Value at '\(path).sessionId' failed to satisfy constraint: Member must be a non-empty string")
            return nil
        }
        let scenario = problems.string(item["testScenarioId"], "\(path).testScenarioId", required: false)
        var metadata: [String: String] = [:]
        if let map = item["metadata"], map != .null {
            if case .object(let members) = map {
                for (key, value) in members {
                    if case .string(let text) = value { metadata[key] = text } else {
                        problems.add("\(path).metadata.\(key)", "Value at '\(path).metadata.\(key)' failed to satisfy constraint: Member must be a string")
                    }
                }
            } else {
                problems.add("\(path).metadata", "Value at '\(path).metadata' failed to satisfy constraint: Member must be a map of strings")
            }
        }
        var groundTruth: JSONValue?
        if let truth = item["groundTruth"], truth != .null {
            groundTruth = Self.groundTruth(truth, path: "\(path).groundTruth", problems: &problems)
        }
        return BatchEvaluationSession(sessionID: id, testScenarioID: scenario, groundTruth: groundTruth, metadata: metadata)
    }

    /// Keeps the known members of `groundTruth.inline` and checks their constraints.
    private static func groundTruth(_ value: JSONValue, path: String, problems: inout Problems) -> JSONValue? {
        guard case .object = value, let inline = value["inline"], case .object = inline else {
            problems.add(path, "Value at '\(path)' failed to satisfy constraint: Exactly one member (inline) must be set")
            return nil
        }
        let base = "\(path).inline"
        var out: [String: JSONValue] = [:]
        if let assertions = problems.list(inline["assertions"], "\(base).assertions") {
            if !(1...100).contains(assertions.count) {
                problems.add("\(base).assertions", "Value at '\(base).assertions' failed to satisfy constraint: Member must have length between 1 and 100")
            }
            var kept: [JSONValue] = []
            for (index, assertion) in assertions.enumerated() {
                if let text = Self.content(assertion, path: "\(base).assertions.\(index + 1).member", problems: &problems) {
                    kept.append(.object(["text": .string(text)]))
                }
            }
            out["assertions"] = .array(kept)
        }
        if let trajectory = inline["expectedTrajectory"], trajectory != .null {
            let tpath = "\(base).expectedTrajectory"
            if case .object = trajectory {
                var names: [JSONValue] = []
                if let list = problems.list(trajectory["toolNames"], "\(tpath).toolNames") {
                    if list.count > 1000 {
                        problems.add("\(tpath).toolNames", "Value at '\(tpath).toolNames' failed to satisfy constraint: Member must have length less than or equal to 1000")
                    }
                    for (index, name) in list.enumerated() {
                        let npath = "\(tpath).toolNames.\(index + 1).member"
                        guard let text = problems.string(name, npath, required: true) else { continue }
                        if !(1...500).contains(text.count) {
                            problems.add(npath, "Value at '\(npath)' failed to satisfy constraint: Member must have length between 1 and 500")
                        }
                        names.append(.string(text))
                    }
                }
                out["expectedTrajectory"] = .object(["toolNames": .array(names)])
            } else {
                problems.add(tpath, "Value at '\(tpath)' failed to satisfy constraint: Member must be a structure")
            }
        }
        if let turns = problems.list(inline["turns"], "\(base).turns") {
            if turns.isEmpty {
                problems.add("\(base).turns", "Value at '\(base).turns' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            var kept: [JSONValue] = []
            for (index, turn) in turns.enumerated() {
                let tpath = "\(base).turns.\(index + 1).member"
                guard case .object = turn else {
                    problems.add(tpath, "Value at '\(tpath)' failed to satisfy constraint: Member must be a structure")
                    continue
                }
                var turnOut: [String: JSONValue] = [:]
                if let input = turn["input"], input != .null {
                    if let prompt = problems.string(input["prompt"], "\(tpath).input.prompt", required: false) {
                        if prompt.count > 4000 {
                            problems.add("\(tpath).input.prompt", "Value at '\(tpath).input.prompt' failed to satisfy constraint: Member must have length less than or equal to 4000")
                        }
                        turnOut["input"] = .object(["prompt": .string(prompt)])
                    }
                }
                if let expected = turn["expectedResponse"], expected != .null,
                   let text = Self.content(expected, path: "\(tpath).expectedResponse", problems: &problems) {
                    turnOut["expectedResponse"] = .object(["text": .string(text)])
                }
                kept.append(.object(turnOut))
            }
            out["turns"] = .array(kept)
        }
        return .object(["inline": .object(out)])
    }

    /// An `EvaluationContent` union: `{"text": 1–100000 characters}`.
    private static func content(_ value: JSONValue, path: String, problems: inout Problems) -> String? {
        guard case .object = value else {
            problems.add(path, "Value at '\(path)' failed to satisfy constraint: Member must be a structure")
            return nil
        }
        guard let text = problems.string(value["text"], "\(path).text", required: true) else { return nil }
        if !(1...100_000).contains(text.count) {
            problems.add("\(path).text", "Value at '\(path).text' failed to satisfy constraint: Member must have length between 1 and 100000")
            return nil
        }
        return text
    }

    private static func sessionJSON(_ session: BatchEvaluationSession) -> JSONValue {
        var members: [String: JSONValue] = ["sessionId": .string(session.sessionID)]
        if let scenario = session.testScenarioID { members["testScenarioId"] = .string(scenario) }
        if let truth = session.groundTruth { members["groundTruth"] = truth }
        if !session.metadata.isEmpty { members["metadata"] = .object(session.metadata.mapValues { .string($0) }) }
        return .object(members)
    }
}

/// The field problems found so far.
private struct Problems {
    var fields: [AgentCoreError.Field] = []

    mutating func add(_ name: String, _ message: String) {
        fields.append(AgentCoreError.Field(name: name, message: message))
    }

    func isClean(_ name: String) -> Bool { !fields.contains { $0.name == name } }

    /// A string member, or `nil` (absent, null, or not a string — the latter two recorded).
    mutating func string(_ value: JSONValue?, _ path: String, required: Bool) -> String? {
        switch value {
        case .string(let text)?: return text
        case nil, .null?:
            if required { add(path, "Value null at '\(path)' failed to satisfy constraint: Member must not be null") }
            return nil
        default:
            add(path, "Value at '\(path)' failed to satisfy constraint: Member must be a string")
            return nil
        }
    }

    /// A list member, or `nil` (absent or null; not a list is recorded).
    mutating func list(_ value: JSONValue?, _ path: String) -> [JSONValue]? {
        switch value {
        case .array(let items)?: return items
        case nil, .null?: return nil
        default:
            add(path, "Value at '\(path)' failed to satisfy constraint: Member must be a list")
            return nil
        }
    }
}
