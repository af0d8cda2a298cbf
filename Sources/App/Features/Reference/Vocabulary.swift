/// The fixed vocabularies of domain.md. The database holds the same codes in CHECK constraints.

public enum DomainCode: String, CaseIterable, Codable, Sendable {
    case prevention, participation, dailyLife = "daily_life"
}

public enum SupportMenuCode: String, CaseIterable, Codable, Sendable {
    case needsSharing = "needs_sharing"
    case administrativeData = "administrative_data"
    case stakeholderCoordination = "stakeholder_coordination"
    case partnerMatching = "partner_matching"
    case prSupport = "pr_support"
    case eventSponsorship = "event_sponsorship"
}

public enum MemberKind: String, CaseIterable, Codable, Sendable {
    case company, association, npo, university
    case medicalWelfare = "medical_welfare"
    case financial, transport, community, `public`
}

public enum NeedStatus: String, CaseIterable, Codable, Sendable {
    case open, matching
    case inProgress = "in_progress"
    case met, closed
}

public enum NeedSource: String, CaseIterable, Codable, Sendable {
    case careMeeting = "care_meeting"
    case districtKarte = "district_karte"
    case workshop, survey
    case wardOffice = "ward_office"
}

public enum ProposalStatus: String, CaseIterable, Codable, Sendable {
    case draft, submitted
    case inReview = "in_review"
    case accepted, returned, declined, withdrawn
}

public enum WorkingGroupType: String, CaseIterable, Codable, Sendable {
    case open, theme
}

public enum WorkingGroupStage: String, CaseIterable, Codable, Sendable {
    case forming, active, piloting, reviewing, completed, dissolved
}

public enum ParticipantRole: String, CaseIterable, Codable, Sendable {
    case lead, member, coordinator, local
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    static var codes: [String] { allCases.map(\.rawValue) }
}
