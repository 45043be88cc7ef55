import EvalGatewayCore
import Yams

extension ConfigNode {
    /// Parses YAML text, keeping each value's line and column (Yams' `Node` marks).
    init(yaml text: String) throws(ConfigurationError) {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(location: error.location, key: "(document)", problem: "is not valid YAML: \(error.problem)")
        } catch {
            throw ConfigurationError(key: "(document)", problem: "is not valid YAML: \(error)")
        }
        guard let root else {
            self = ConfigNode(.mapping([]))
            return
        }
        self = try ConfigNode(root)
    }

    private init(_ node: Yams.Node) throws(ConfigurationError) {
        let location = node.mark.map { ConfigNode.Location(line: $0.line, column: $0.column) }
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style != .plain && scalar.style != .any
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                self = ConfigNode(.null, location: location)
            } else {
                self = ConfigNode(.scalar(scalar.string, quoted: quoted), location: location)
            }
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence { items.append(try ConfigNode(item)) }
            self = ConfigNode(.sequence(items), location: location)
        case .mapping(let mapping):
            var members: [(key: String, value: ConfigNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let name) = key else {
                    throw ConfigurationError(location: location, key: "(document)", problem: "mapping keys must be strings")
                }
                if members.contains(where: { $0.key == name.string }) {
                    throw ConfigurationError(
                        location: key.mark.map { ConfigNode.Location(line: $0.line, column: $0.column) },
                        key: name.string,
                        problem: "is given twice"
                    )
                }
                members.append((name.string, try ConfigNode(value)))
            }
            self = ConfigNode(.mapping(members), location: location)
        case .alias:
            throw ConfigurationError(location: location, key: "(document)", problem: "YAML aliases are not supported")
        }
    }
}

extension YamlError {
    /// Where libyaml stopped, if it said.
    var location: ConfigNode.Location? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            ConfigNode.Location(line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            ConfigNode.Location(line: context.mark.line, column: context.mark.column)
        default:
            nil
        }
    }

    /// What libyaml said, without the echo of the document.
    var problem: String {
        switch self {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ": ")
        case .duplicatedKeysInMapping(let duplicates, _):
            "keys given twice: \(duplicates.joined(separator: ", "))"
        default:
            "\(self)"
        }
    }
}
