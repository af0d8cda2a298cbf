import Foundation

/// The subject and body of an outbox e-mail, rendered in the recipient's language when it is
/// sent (or shown to staff), from the notifications it carries.
enum MailText {
    struct Rendered: Sendable, Equatable {
        var subject: String
        var body: String
    }

    static func notification(_ item: NotificationItem, language: UILanguage, localizer: Localizer,
                             publicURL: String?) -> Rendered {
        let subject = localizer.text("notify_mail_prefix", language) + " "
            + NotificationText.subject(item, in: language, localizer: localizer)
        var body = NotificationText.text(item, in: language, localizer: localizer) + "\n\n"
        body += (publicURL ?? "") + NotificationText.link(item) + "\n"
        return Rendered(subject: subject, body: body + footer(language, localizer, publicURL))
    }

    /// One e-mail listing every notification of the digest, oldest first.
    static func digest(_ items: [NotificationItem], language: UILanguage, localizer: Localizer,
                       publicURL: String?) -> Rendered {
        let subject = localizer.text("notify_mail_prefix", language) + " "
            + NotificationText.fill(localizer.text("notify_digest_subject", language), ["count": String(items.count)])
        var body = localizer.text("notify_digest_intro", language) + "\n\n"
        for item in items {
            body += "・" + NotificationText.text(item, in: language, localizer: localizer) + "\n"
            body += "  " + (publicURL ?? "") + NotificationText.link(item) + "\n"
        }
        return Rendered(subject: subject, body: body + "\n" + footer(language, localizer, publicURL))
    }

    private static func footer(_ language: UILanguage, _ localizer: Localizer, _ publicURL: String?) -> String {
        "-- \n" + localizer.text("notify_mail_footer", language) + "\n" + (publicURL ?? "") + "/notifications\n"
    }
}
