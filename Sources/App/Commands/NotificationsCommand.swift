import Vapor

/// `tsunagu notifications digest`: composes the daily digests now (the server also does it once a
/// day at NOTIFICATIONS_DIGEST_HOUR). `tsunagu notifications deliver`: sends due outbox e-mails now.
struct NotificationsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "digest or deliver") var action: String
    }
    var help: String { "Composes the daily notification digests now (digest), or sends due outbox e-mails (deliver)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.action {
        case "digest":
            let queued = try await NotificationDigest.composeAll(on: app.database)
            context.console.print("\(queued) digest e-mails queued")
        case "deliver":
            guard let smtp = app.config.smtp else {
                context.console.print("SMTP_HOST is not set: e-mails stay in the outbox (/staff/outbox)")
                return
            }
            let summary = try await OutboxDelivery.deliverDue(settings: smtp, localizer: app.localizer,
                                                              publicURL: app.config.publicURL, on: app.database)
            context.console.print("\(summary.sent) sent, \(summary.retrying) to retry, \(summary.failed) failed")
        default:
            throw AppError(.badRequest, code: "usage", ja: "digest か deliver を指定してください",
                           en: "say digest or deliver")
        }
    }
}
