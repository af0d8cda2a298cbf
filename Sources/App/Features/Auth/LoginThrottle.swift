import Vapor
import PostgresNIO

/// At most 10 failed sign-ins per account and per address in 15 minutes. Counted in
/// PostgreSQL (login_attempts), so every app instance sees the same count.
enum LoginThrottle {
    static let maximumFailures = 10
    static let window: TimeInterval = 15 * 60

    /// Seconds until the next attempt is allowed, or nil when it is allowed now. The caller
    /// holds the account's advisory lock, so concurrent attempts cannot overshoot the limit.
    static func retryAfter(email: String, address: String?, on connection: PostgresConnection,
                           logger: Logger) async throws -> Int? {
        let rows = try await connection.query("""
            WITH recent AS (
              SELECT lower(email) = lower(\(email)) AS same_account, address = \(address)::inet AS same_address, at
              FROM login_attempts
              WHERE NOT succeeded AND at > now() - make_interval(secs => \(window))
                AND (lower(email) = lower(\(email)) OR address = \(address)::inet)
            ), ranked AS (
              SELECT at, row_number() OVER (PARTITION BY same_account ORDER BY at DESC) AS account_rank,
                     row_number() OVER (PARTITION BY same_address ORDER BY at DESC) AS address_rank,
                     same_account, same_address
              FROM recent
            )
            SELECT ceil(extract(epoch FROM max(at) + make_interval(secs => \(window)) - now()))::int
            FROM ranked
            WHERE (same_account AND account_rank = \(maximumFailures))
               OR (same_address IS TRUE AND address_rank = \(maximumFailures))
            """, logger: logger).collect()
        // The 10th most recent failure decides: once it leaves the window, one attempt is free again.
        guard let seconds = try rows.first?.decode(Int?.self), seconds > 0 else { return nil }
        return seconds
    }

    static func record(email: String, address: String?, succeeded: Bool, on connection: PostgresConnection,
                       logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO login_attempts (email, address, succeeded)
            VALUES (\(String(email.prefix(320))), \(address)::inet, \(succeeded))
            """, logger: logger)
    }

    static func tooMany(retryAfter seconds: Int) -> AppError {
        let minutes = max(1, (seconds + 59) / 60)
        var error = AppError(.tooManyRequests, code: "too_many_attempts",
                             ja: "ログインの失敗が続いたため、一時的にログインできません。約\(minutes)分後にもう一度お試しください。",
                             en: "Too many failed sign-ins. Please try again in about \(minutes) minute(s).")
        error.retryAfter = seconds
        return error
    }
}
