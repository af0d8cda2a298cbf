import Vapor

/// Runs while the server runs (started by `serve`, stopped at shutdown): sends due outbox
/// e-mails when SMTP is configured, and composes the daily digest once a day at the configured
/// Asia/Tokyo hour. Without SMTP the e-mails simply stay in the outbox (/staff/outbox).
struct NotificationWorker: LifecycleHandler {
    let task: Task<Void, Never>

    init(application app: Application, interval: Duration = .seconds(15)) {
        let db = app.database
        let config = app.config
        let localizer = app.localizer
        task = Task {
            while !Task.isCancelled {
                do {
                    if let queued = try await NotificationDigest.runIfDue(hour: config.digestHour, on: db) {
                        db.logger.info("Daily digest: \(queued) e-mails queued")
                    }
                    if let smtp = config.smtp {
                        let summary = try await OutboxDelivery.deliverDue(settings: smtp, localizer: localizer,
                                                                          publicURL: config.publicURL, on: db)
                        if summary != OutboxDelivery.Summary() {
                            db.logger.info("E-mail: \(summary.sent) sent, \(summary.retrying) to retry, \(summary.failed) failed")
                        }
                    }
                } catch {
                    db.logger.warning("Notification worker: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func shutdownAsync(_ application: Application) async { task.cancel() }
}
