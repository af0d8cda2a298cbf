import Foundation

/// The shapes of `Resources/Seed/demo/*.json` (written by scripts/demo/generate_demo.py).
/// Rows refer to each other by short keys (m001, n001 …) that become stable UUIDs.
enum DemoData {
    struct Member: Decodable {
        var key: String
        var name_ja: String
        var name_en: String?
        var kind: String
        var industry: String
        var domains: [String]
        var wards: [String]
        var tags: [String]
        var description: String
        var capacity: Int
        var joined_on: String
        var contact_name: String?
        var contact_email: String?
    }

    struct Need: Decodable {
        var key: String
        var ward: String
        var district: String?
        var domain: String
        var title: String
        var description: String
        var tags: [String]
        var severity: Int
        var source: String
        var wanted: Int
        var status: String
    }

    struct Proposal: Decodable {
        var key: String
        var member: String
        var title: String
        var summary: String
        var body: String
        var domains: [String]
        var wards: [String]
        var districts: [String]
        var tags: [String]
        var support_menu: [String]
        var resources_offered: [String]
        var track: String
        var status: String
        var review_comment: String?
        var submitted_on: String?
    }

    struct Application: Decodable {
        var member: String
        var statement: String
        var status: String
    }

    struct ThemeCall: Decodable {
        var key: String
        var title: String
        var genre: String
        var description: String
        var needs: [String]
        var wards: [String]
        var domains: [String]
        var deadline: String
        var status: String
        var applications: [Application]
    }

    struct StageChange: Decodable {
        var to: String
        var on: String
        var note: String?
    }

    struct Participant: Decodable {
        var member: String?
        var name: String?
        var role: String
    }

    struct Support: Decodable {
        var item: String
        var department: String
        var status: String
    }

    struct Activity: Decodable {
        var on: String
        var kind: String
        var title: String
        var body: String
        var links: [String]?
    }

    struct WorkingGroup: Decodable {
        var key: String
        var type: String
        var title: String
        var summary: String
        var domains: [String]
        var wards: [String]
        var origin_proposal: String?
        var origin_theme_call: String?
        var origin_needs: [String]?
        var stage: String
        var stage_history: [StageChange]
        var started_on: String
        var participants: [Participant]
        var support: [Support]
        var activities: [Activity]
    }

    struct Event: Decodable {
        var key: String
        var kind: String
        var title: String
        var starts_at: String
        var ends_at: String?
        var place: String
        var description: String
        var working_group: String?
    }

    struct Story: Decodable {
        var story: String
        var need: String
        var member: String
        var title_ja: String
    }

    static func load<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(problems: ["Demo seed file \(path) is missing"])
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ConfigurationError(problems: ["Demo seed file \(path) is not in the expected shape: \(error)"])
        }
    }

    static func id(_ key: String) -> UUID { StableID.make("demo", key) }

    /// Dates in the demo files are Japanese calendar days; noon JST keeps them on that day in UTC too.
    static func instant(_ day: String, hour: Int = 12) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return Date(timeIntervalSince1970: 0) }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour)) ?? Date()
    }

    static func timestamp(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }
}
