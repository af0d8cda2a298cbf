import Vapor

/// What every page's frame needs: language, strings, title, and the language switch.
public struct Layout: Encodable, Sendable {
    public var lang: String
    public var t: PageStrings
    public var title: String
    public var path: String
    public var switchTo: String
    public var switchLabel: String
    public var year: Int
    /// For every form that changes state (see Web/CSRF.swift).
    public var csrfToken: String
    /// Who is signed in, for the header; nil when nobody is.
    public var user: LayoutUser?
}

public struct LayoutUser: Encodable, Sendable {
    public var name: String
    public var isMember: Bool
    public var isStaff: Bool
    public var isAdmin: Bool
    /// Unread notifications, for the header's link (see UnreadNotificationsMiddleware).
    public var unreadNotifications: Int = 0
    /// "未読 3件" / "3 unread", written out so the count never relies on colour.
    public var unreadLabel: String = ""
}

extension Request {
    func layout(titleKey: String) -> Layout {
        layout(title: text(titleKey))
    }

    func layout(title: String) -> Layout {
        let language = self.language
        let other: UILanguage = language == .ja ? .en : .ja
        let strings = application.localizer.strings(language)
        return Layout(lang: language.rawValue, t: strings, title: title,
                      path: url.path, switchTo: other.rawValue,
                      switchLabel: other == .en ? "English" : "日本語",
                      year: Calendar(identifier: .gregorian).component(.year, from: Date()),
                      csrfToken: formCSRFToken,
                      user: signedInUser.map { user in
                          LayoutUser(name: user.displayName.isEmpty ? user.email : user.displayName,
                                     isMember: user.role == .member, isStaff: user.isStaff, isAdmin: user.role == .admin,
                                     unreadNotifications: storage[UnreadNotificationsKey.self] ?? 0,
                                     unreadLabel: unreadLabel(storage[UnreadNotificationsKey.self] ?? 0))
                      })
    }
}
