/// A database entry as written — in the file's flat form (`{id, adapter, tables, <options>…, rate,
/// retention}`) or the admin API's (`{adapter, options: {…}, tables, rate, retention}`) — before it is
/// checked against the adapter kinds the gateway knows. ``validate(id:registry:)`` is the one check
/// both go through, so a `PUT` fails exactly as the same entry in the file would.
public struct DatabaseDefinition: Sendable {
    /// The `db_id`, when the entry names it (the file does; the API takes it from the path).
    public var id: String?
    /// The adapter kind.
    public var adapter: String
    /// The tables; `nil` when not given (the default `agno_eval_runs`).
    public var tables: [String]?
    /// The adapter options, with their key paths and positions.
    public var options: AdapterOptions
    /// The rate limit.
    public var rate: RateLimit?
    /// The retention policy.
    public var retention: RetentionPolicy?

    // Where things were written, for messages after decoding.
    private var adapterProblem: @Sendable (String) -> ConfigurationError
    private var idProblem: @Sendable (String) -> ConfigurationError
    private var tableProblem: @Sendable (Int?, String) -> ConfigurationError

    /// A problem with the entry's `id`, located where it was written.
    public func problemWithID(_ problem: String) -> ConfigurationError { idProblem(problem) }

    /// Checks the entry with the adapter kinds of `registry` and returns the database it describes:
    /// the id's rules, a known adapter, only the option keys that adapter accepts, the tables, and the
    /// adapter's own checks. Opens nothing.
    public func validate(id providedID: String? = nil, registry: AdapterRegistry) throws(ConfigurationError) -> DatabaseConfiguration {
        guard let id = providedID ?? id else { throw idProblem("is required") }
        if let problem = DatabaseID.problem(with: id) { throw idProblem(problem) }
        guard let kind = registry.adapter(kind: adapter) else {
            throw adapterProblem("unknown adapter '\(adapter)' (registered: \(registry.kinds.joined(separator: ", ")))")
        }
        for key in options.values.keys.sorted() where !kind.optionKeys.contains(key) {
            let accepted = (Self.commonKeys(flat: self.id != nil) + kind.optionKeys.sorted()).joined(separator: ", ")
            throw options.problem(key, "is not a key of a '\(adapter)' database (accepted: \(accepted))")
        }
        let tables = self.tables ?? ["agno_eval_runs"]
        guard !tables.isEmpty else { throw tableProblem(nil, "must list at least one table") }
        for (index, name) in tables.enumerated() {
            if name.isEmpty { throw tableProblem(index, "must not be empty") }
            if tables[..<index].contains(name) { throw tableProblem(index, "'\(name)' is listed twice") }
            if name.unicodeScalars.count > 128 || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw tableProblem(index, "'\(DatabaseID.printable(name))' is not a table name (at most 128 characters, no control characters)")
            }
        }
        let configuration = DatabaseConfiguration(id: id, adapter: adapter, tables: tables, options: options, rate: rate, retention: retention)
        try kind.validate(configuration)
        return configuration
    }

    static func commonKeys(flat: Bool) -> [String] {
        flat ? ["id", "adapter", "tables", "rate", "retention"] : ["adapter", "options", "tables", "rate", "retention"]
    }
}

extension DatabaseDefinition: Decodable {
    private enum Key: String, CodingKey {
        case id, adapter, options, tables, rate, retention
    }

    /// Decodes the file's form: the options beside the other keys, `id` required.
    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, nested: false)
    }

    /// Decodes the file's form, or with `nested` the admin API's: an `options` mapping and no `id`.
    init(from decoder: any Decoder, nested: Bool) throws {
        let container = try decoder.container(keyedBy: AnyConfigKey.self)
        if nested {
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where Key(rawValue: key.stringValue) == nil || key.stringValue == "id" {
                throw container.problem(key, "is not a known key (known: \(Self.commonKeys(flat: false).sorted().joined(separator: ", ")))")
            }
        }
        let idKey = AnyConfigKey("id"), adapterKey = AnyConfigKey("adapter"), tablesKey = AnyConfigKey("tables")
        id = nested ? nil : try container.decode(String.self, forKey: idKey)
        adapter = try container.decode(String.self, forKey: adapterKey)
        tables = try container.decodeIfPresent([String].self, forKey: tablesKey)
        rate = try container.decodeIfPresent(RateLimit.self, forKey: AnyConfigKey("rate"))
        retention = try container.decodeIfPresent(RetentionPolicy.self, forKey: AnyConfigKey("retention"))

        let context = ConfigDecodingContext.current
        let base = container.codingPath
        func locate(_ path: [any CodingKey]) -> ConfigNode.Location? { context?.location(path) }
        func keyPath(_ path: [any CodingKey]) -> String { context?.keyPath(path) ?? path.map(\.stringValue).joined(separator: ".") }

        var values: [String: ConfigValue] = [:]
        var locations: [String: ConfigNode.Location] = [:]
        let optionsPath: [any CodingKey]
        if nested {
            optionsPath = base + [AnyConfigKey("options")]
            if container.contains(AnyConfigKey("options")) {
                let options = try container.nestedContainer(keyedBy: AnyConfigKey.self, forKey: AnyConfigKey("options"))
                for key in options.allKeys {
                    values[key.stringValue] = try options.decode(ConfigValue.self, forKey: key)
                    locations[key.stringValue] = locate(optionsPath + [key])
                }
            }
        } else {
            optionsPath = base
            for key in container.allKeys where Key(rawValue: key.stringValue) == nil || key.stringValue == "options" {
                values[key.stringValue] = try container.decode(ConfigValue.self, forKey: key)
                locations[key.stringValue] = locate(base + [key])
            }
        }
        options = AdapterOptions(values, path: keyPath(optionsPath), locations: locations)

        let idPath = base + [idKey], adapterPath = base + [adapterKey], tablesPath = base + [tablesKey]
        let idLocation = locate(idPath), adapterLocation = locate(adapterPath)
        let idText = keyPath(idPath), adapterText = keyPath(adapterPath), tablesText = keyPath(tablesPath)
        let tableLocations = Dictionary(uniqueKeysWithValues: (tables ?? []).indices.map { ($0, locate(tablesPath + [ConfigIndexKey($0)])) })
        let tablesLocation = locate(tablesPath)
        idProblem = { ConfigurationError(location: idLocation, key: idText, problem: $0) }
        adapterProblem = { ConfigurationError(location: adapterLocation, key: adapterText, problem: $0) }
        tableProblem = { index, problem in
            guard let index else { return ConfigurationError(location: tablesLocation, key: tablesText, problem: problem) }
            return ConfigurationError(location: tableLocations[index] ?? nil, key: "\(tablesText)[\(index)]", problem: problem)
        }
    }
}

/// The body of `PUT /admin/databases/{db_id}`: a ``DatabaseDefinition`` in the API's form
/// (`{adapter, options: {…}, tables, rate, retention}`; the id is the path's).
public struct DatabaseDefinitionBody: Decodable, Sendable {
    /// The entry.
    public let definition: DatabaseDefinition

    public init(from decoder: any Decoder) throws {
        definition = try DatabaseDefinition(from: decoder, nested: true)
    }
}
