/// One number per feature. Encodes as a JSON object keyed by feature code
/// (`{"domain": 0.2, "area": 0.15, …}`), like a dictionary, but costs no hashing per pair.
public struct FeatureValues: Sendable, Codable, Equatable {
    public var domain = 0.0
    public var area = 0.0
    public var tags = 0.0
    public var text = 0.0
    public var capacity = 0.0
    public var experience = 0.0

    public init() {}

    public subscript(feature: Feature) -> Double {
        get {
            switch feature {
            case .domain: domain
            case .area: area
            case .tags: tags
            case .text: text
            case .capacity: capacity
            case .experience: experience
            }
        }
        set {
            switch feature {
            case .domain: domain = newValue
            case .area: area = newValue
            case .tags: tags = newValue
            case .text: text = newValue
            case .capacity: capacity = newValue
            case .experience: experience = newValue
            }
        }
    }

    public var asDictionary: [String: Double] {
        Dictionary(uniqueKeysWithValues: Feature.allCases.map { ($0.rawValue, self[$0]) })
    }
}

/// One Japanese sentence per feature, shown to staff next to the contribution.
public struct FeatureExplanations: Sendable, Codable, Equatable {
    public var domain = ""
    public var area = ""
    public var tags = ""
    public var text = ""
    public var capacity = ""
    public var experience = ""

    public init() {}

    public subscript(feature: Feature) -> String {
        switch feature {
        case .domain: domain
        case .area: area
        case .tags: tags
        case .text: text
        case .capacity: capacity
        case .experience: experience
        }
    }

    public var asDictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: Feature.allCases.map { ($0.rawValue, self[$0]) })
    }
}
