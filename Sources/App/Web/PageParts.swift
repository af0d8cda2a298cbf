import Vapor

/// One choice of a filter's <select>.
struct SelectOption: Encodable, Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// Links of a paginated list; filters are kept in every link.
struct Pager: Encodable, Sendable {
    var page: Int
    var pageCount: Int
    var total: Int
    var firstItem: Int
    var lastItem: Int
    var previousURL: String?
    var nextURL: String?

    init(path: String, filters: [(String, String?)], page: PageRequest, total: Int) {
        self.page = page.page
        self.total = total
        pageCount = max(1, (total + page.perPage - 1) / page.perPage)
        firstItem = total == 0 ? 0 : min(total, page.offset + 1)
        lastItem = min(total, page.offset + page.perPage)
        func link(_ number: Int) -> String {
            var components = URLComponents()
            components.path = path
            var items = filters.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            if page.perPage != 50 { items.append(URLQueryItem(name: "per_page", value: String(page.perPage))) }
            if number > 1 { items.append(URLQueryItem(name: "page", value: String(number))) }
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? path
        }
        previousURL = page.page > 1 ? link(min(page.page - 1, pageCount)) : nil
        nextURL = page.page < pageCount ? link(page.page + 1) : nil
    }
}

extension Request {
    /// Options for a code list, labelled from the localisation table under `prefix`.
    func options(_ codes: [String], prefix: String, selected: String?) -> [SelectOption] {
        codes.map { SelectOption(value: $0, label: text(prefix + $0), selected: $0 == selected) }
    }

    func wardOptions(_ wards: [WardDTO], selectedCode: String?) -> [SelectOption] {
        wards.map { ward in
            SelectOption(value: ward.nameJa, label: language == .ja ? ward.nameJa : ward.nameEn,
                         selected: ward.code == selectedCode)
        }
    }

    func wardLabel(_ ward: WardDTO) -> String { language == .ja ? ward.nameJa : ward.nameEn }
}
