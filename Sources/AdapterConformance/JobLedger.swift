/// The ids of the batch-evaluation jobs one check created, in creation order, so the suite can retire
/// them after the check, whether it passed or not.
actor JobLedger {
    private(set) var ids: [String] = []

    /// Records a created job.
    func record(_ id: String) {
        ids.append(id)
    }
}
