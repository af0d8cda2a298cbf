import Vapor

/// At least 10 characters and at most 72 UTF-8 bytes: bcrypt silently ignores every byte
/// past the 72nd, so a longer password would be weaker than it looks.
enum PasswordPolicy {
    static let minimumCharacters = 10
    static let maximumBytes = 72
    static let bcryptCost = 12

    static func check(_ password: String, field: String = "password") throws {
        if password.count < minimumCharacters {
            throw AppError(.unprocessableEntity, code: "password_too_short", field: field,
                           ja: "パスワードは\(minimumCharacters)文字以上にしてください。",
                           en: "The password must be at least \(minimumCharacters) characters long.")
        }
        if password.utf8.count > maximumBytes {
            throw AppError(.unprocessableEntity, code: "password_too_long", field: field,
                           ja: "パスワードが長すぎます（UTF-8で\(maximumBytes)バイトまで。全角文字は1文字3バイトです）。",
                           en: "The password is too long: at most \(maximumBytes) bytes in UTF-8 (bcrypt ignores the rest).")
        }
    }

    static func hash(_ password: String) throws -> String {
        try check(password)
        return try Bcrypt.hash(password, cost: bcryptCost)
    }
}
