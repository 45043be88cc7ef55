import EvalGatewayCore
import Testing

/// The filters of a list and of a delete by filter are described once, as conditions, and rendered by
/// each SQL adapter in its own placeholder syntax.
@Suite struct EvalRunConditionTests {
    /// Numbered placeholders with the value's kind, so that the test sees both the numbering and the
    /// values handed to the dialect.
    struct NumberedDialect: SQLDialect {
        func placeholder(_ number: Int, for value: SQLParameterValue) -> String {
            switch value {
            case .text: ":\(number)"
            case .integer: ":\(number)i"
            case .textList: ":\(number)[]"
            }
        }

        func isOneOf(_ column: String, list placeholder: String) -> String { "\(column) IN \(placeholder)" }
    }

    @Test func aListsFiltersBecomeConditions() {
        let query = EvalRunQuery(agentID: "a", modelID: "m", componentType: .team, evalTypes: [.accuracy, .reliability])
        #expect(query.conditions == [.equals(.agentID, "a"), .equals(.modelID, "m"), .isSet(.teamID), .evalTypeIsOneOf([.accuracy, .reliability])])
        let (sql, values) = query.conditions.sql(NumberedDialect())
        #expect(sql == "agent_id = :1 AND model_id = :2 AND team_id IS NOT NULL AND eval_type IN :3[]")
        #expect(values == [.text("a"), .text("m"), .textList(["accuracy", "reliability"])])
        #expect(EvalRunQuery().conditions.sql(NumberedDialect()).sql.isEmpty, "no filter, no condition")
    }

    @Test func aDeleteFiltersConditionsNumberFromTheGivenParameter() {
        let filter = EvalRunFilter(userID: "u", evalTypes: [.performance], createdBefore: 200, createdAfter: 100)
        let (sql, values) = filter.conditions.sql(NumberedDialect(), firstParameter: 3)
        #expect(sql == "user_id = :3 AND eval_type IN :4[] AND created_at < :5i AND created_at >= :6i")
        #expect(values == [.text("u"), .textList(["performance"]), .integer(200), .integer(100)])
        #expect(EvalRunFilter().conditions.isEmpty)
    }
}
