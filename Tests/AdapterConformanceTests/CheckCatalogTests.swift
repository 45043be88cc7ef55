import AdapterConformance
import Testing

/// The suite's catalogue: how many checks there are (the README gives the count), unique names, and
/// which of them need a job store.
@Suite struct CheckCatalogTests {
    @Test func theSuiteHas48UniquelyNamedChecks() {
        let names = ConformanceSuite.checkNames
        #expect(names.count == 48)
        #expect(Set(names).count == names.count, "duplicate check names")
        #expect(names.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } }, "a name is not kebab-case")
    }

    @Test func everyJobCheckIsNamedAndMarkedAsNeedingAJobStore() {
        let jobChecks = ConformanceSuite.checks.filter(\.needsJobStore)
        #expect(jobChecks.count == 12)
        #expect(jobChecks.allSatisfy { $0.name.hasPrefix("job-") })
        #expect(ConformanceSuite.checks.filter { $0.name.hasPrefix("job-") }.count == jobChecks.count)
    }
}
