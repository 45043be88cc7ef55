import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What a client writes is what it reads back: `eval_data`/`eval_input` as sent, its own timestamps,
/// and ids that differ in any byte kept apart. On SQLite (`local`) and memory (`scratch`).
@Suite struct DataFidelityTests {
    static let databases = ["local", "scratch"]

    /// Member order, spacing, `2.0`, `-0.0`, an integer past 64 bits, `\u` escapes (a surrogate pair too).
    static let evalData = #"{"score": 2.0, "zero": -0.0, "big": 12345678901234567890, "text": "caf\u00e9 \ud83d\ude80", "a": [1.50, {"y": null, "b": true}]}"#
    static let evalInput = #"{ "z":1 , "a":"2+2?" }"#

    @Test(arguments: databases)
    func evalDataAndInputComeBackAsSent(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let body = #"{"id":"j1","eval_type":"accuracy","eval_data":\#(Self.evalData),"eval_input":\#(Self.evalInput)}"#
            let created = try await client.send(.post, "/eval-runs?db_id=\(db)", json: body)
            #expect(created.status == .created)
            let expected = #""eval_data":\#(Self.evalData),"eval_input":\#(Self.evalInput),"#
            #expect(String(buffer: created.body).contains(expected), "create: \(String(buffer: created.body))")
            let fetched = try await client.send(.get, "/eval-runs/j1?db_id=\(db)")
            #expect(String(buffer: fetched.body).contains(expected), "get: \(String(buffer: fetched.body))")
            let listed = try await client.send(.get, "/eval-runs?db_id=\(db)")
            #expect(String(buffer: listed.body).contains(expected), "list: \(String(buffer: listed.body))")
            let renamed = try await client.send(.patch, "/eval-runs/j1?db_id=\(db)", json: #"{"name":"renamed"}"#)
            #expect(String(buffer: renamed.body).contains(expected), "rename: \(String(buffer: renamed.body))")
        }
    }

    @Test(arguments: databases)
    func evalDataThatIsNotJSONOrNotAnObjectIsRefused(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let cases: [(String, String)] = [
                (#"{"eval_type":"accuracy","eval_data":{"a":"\ud800"}}"#, "json_invalid"),
                (#"{"eval_type":"accuracy","eval_data":{"a":01}}"#, "json_invalid"),
                (#"{"eval_type":"accuracy","eval_data":"text"}"#, "dict_type"),
                (#"{"eval_type":"accuracy","eval_data":{},"eval_input":[1]}"#, "dict_type"),
            ]
            for (body, type) in cases {
                let response = try await client.send(.post, "/eval-runs?db_id=\(db)", json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect((response.object["errors"] as? [[String: Any]])?.first?["type"] as? String == type, "\(body): \(String(buffer: response.body))")
            }
            let list = try await client.send(.get, "/eval-runs?db_id=\(db)")
            #expect((list.object["meta"] as? [String: Any])?["total_count"] as? Int == 0)
        }
    }

    @Test(arguments: databases)
    func clientTimestampsAreKept(_ db: String) async throws {
        try await TestGateway.make().test { client in
            let epoch = try await client.send(
                .post, "/eval-runs?db_id=\(db)", json: #"{"id":"old","eval_type":"accuracy","eval_data":{},"created_at":1600000000,"updated_at":1600000060}"#
            )
            #expect(epoch.object["created_at"] as? String == "2020-09-13T12:26:40Z")
            #expect(epoch.object["updated_at"] as? String == "2020-09-13T12:27:40Z")
            let iso = try await client.send(
                .post, "/eval-runs?db_id=\(db)", json: #"{"id":"iso","eval_type":"accuracy","eval_data":{},"created_at":"2021-03-04T05:06:07Z"}"#
            )
            #expect(iso.object["created_at"] as? String == "2021-03-04T05:06:07Z")
            #expect((iso.object["updated_at"] as? String ?? "") > "2025", "updated_at not given: now")
            let fetched = try await client.send(.get, "/eval-runs/old?db_id=\(db)")
            #expect(fetched.object["created_at"] as? String == "2020-09-13T12:26:40Z")
            let oldestFirst = try await client.send(.get, "/eval-runs?db_id=\(db)&sort_by=created_at&sort_order=asc")
            #expect(((oldestFirst.object["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == ["old", "iso"])

            for bad in [#""last tuesday""#, "1.5", "true", #""2021-02-30T00:00:00Z""#, "99999999999999"] {
                let response = try await client.send(.post, "/eval-runs?db_id=\(db)", json: #"{"eval_type":"accuracy","eval_data":{},"created_at":\#(bad)}"#)
                #expect(response.status == .unprocessableContent, "\(bad)")
                let issue = (response.object["errors"] as? [[String: Any]])?.first
                #expect((issue?["loc"] as? [String]) == ["body", "created_at"], "\(bad)")
                #expect(issue?["type"] as? String == "datetime_parsing", "\(bad)")
            }
        }
    }

    @Test(arguments: databases)
    func idsThatDifferOnlyInNormalizationAreTwoRuns(_ db: String) async throws {
        let precomposed = "caf\u{E9}", combining = "cafe\u{301}"
        try await TestGateway.make().test { client in
            for id in [precomposed, combining] {
                let response = try await client.send(.post, "/eval-runs?db_id=\(db)", json: #"{"id":"\#(id)","eval_type":"accuracy","eval_data":{}}"#)
                #expect(response.status == .created, "\(Array(id.utf8))")
            }
            let deletion = try await client.send(
                .delete, "/eval-runs?db_id=\(db)", json: #"{"eval_run_ids":["\#(precomposed)","\#(precomposed)","\#(combining) "]}"#,
                headers: [.prefer: "return=representation"]
            )
            #expect(deletion.object["deleted"] as? Int == 1)
            #expect((deletion.object["not_found"] as? [String]).map { $0.map { Array($0.utf8) } } == [Array("\(combining) ".utf8)])
            let remaining = try await client.send(.get, "/eval-runs/\(combining.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)?db_id=\(db)")
            #expect(remaining.status == .ok)
            #expect((remaining.object["id"] as? String).map { Array($0.utf8) } == Array(combining.utf8))
        }
    }
}
