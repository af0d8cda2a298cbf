/// A candidate as the engine sees it: a member organisation or a submitted proposal.
/// The App fills it from its rows; the engine never reads the database itself.
public struct CandidateInput: Sendable, Codable, Equatable {
    /// Stable id (ties between equal scores are broken by this id, ascending).
    public var id: String
    /// Display name used in the runner-up sentences; the id is used when nil.
    public var name: String?
    /// Domain codes (`prevention`, `participation`, `daily_life`).
    public var domains: [String]
    /// Ward codes served. Any stable string works (e.g. `"tama"` or `"多摩区"`).
    public var wardCodes: [String]
    /// Serves the whole city.
    public var cityWide: Bool
    /// District ids served (in addition to whole wards).
    public var districtIds: [String]
    /// Capability tags.
    public var tags: [String]
    /// Free text: the description and the text of the candidate's proposals, joined.
    /// Tags are added to the text document by the engine.
    public var text: String
    /// How many active collaborations the candidate can take in total.
    public var capacity: Int
    /// Collaborations already running; `capacity - activeCollaborations` is what the round may use.
    public var activeCollaborations: Int
    /// Active or completed working groups per domain code.
    public var workingGroupsByDomain: [String: Int]

    public init(id: String, name: String? = nil, domains: [String], wardCodes: [String] = [],
                cityWide: Bool = false, districtIds: [String] = [], tags: [String] = [],
                text: String = "", capacity: Int, activeCollaborations: Int = 0,
                workingGroupsByDomain: [String: Int] = [:]) {
        self.id = id
        self.name = name
        self.domains = domains
        self.wardCodes = wardCodes
        self.cityWide = cityWide
        self.districtIds = districtIds
        self.tags = tags
        self.text = text
        self.capacity = capacity
        self.activeCollaborations = activeCollaborations
        self.workingGroupsByDomain = workingGroupsByDomain
    }
}

/// An open regional need (地域ニーズ).
public struct NeedInput: Sendable, Codable, Equatable {
    public var id: String
    /// One domain code.
    public var domain: String
    /// Ward code, nil for a city-wide need.
    public var wardCode: String?
    /// Ward display name for explanations (e.g. `多摩区`); the code is shown when nil.
    public var wardName: String?
    public var districtId: String?
    /// District display name for explanations; the id is shown when nil.
    public var districtName: String?
    public var title: String
    public var description: String
    public var tags: [String]
    /// How many partners the need wants (≥ 1).
    public var wanted: Int
    /// Weight of covering this need (e.g. severity 1–5); multiplies the coverage bonus.
    public var priority: Int

    public init(id: String, domain: String, wardCode: String? = nil, wardName: String? = nil,
                districtId: String? = nil, districtName: String? = nil, title: String,
                description: String = "", tags: [String] = [], wanted: Int = 1, priority: Int = 1) {
        self.id = id
        self.domain = domain
        self.wardCode = wardCode
        self.wardName = wardName
        self.districtId = districtId
        self.districtName = districtName
        self.title = title
        self.description = description
        self.tags = tags
        self.wanted = wanted
        self.priority = priority
    }
}

/// A (candidate, need) pair named by ids: staff decisions fed back into `resolve`.
public struct PairKey: Sendable, Codable, Hashable, Comparable {
    public var candidateId: String
    public var needId: String

    public init(candidateId: String, needId: String) {
        self.candidateId = candidateId
        self.needId = needId
    }

    public static func < (a: PairKey, b: PairKey) -> Bool {
        (a.needId, a.candidateId) < (b.needId, b.candidateId)
    }
}
