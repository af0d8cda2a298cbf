import Vapor

/// Staff pages of the CSV import: choose a kind and upload (`/staff/imports`), the preview with
/// every problem by row and column (`/staff/imports/{id}`), and the confirm step.
enum ImportPages {
    static let uploadPath = "/staff/imports"
    /// The whole multipart request: the file plus the form's few fields and boundaries.
    static let maxRequestBytes = ImportBatches.maxBytes + 64 * 1024

    struct KindOption: Encodable {
        var value: String; var label: String; var hint: String; var template: String; var checked: Bool
    }
    struct RecentRow: Encodable {
        var link: String; var kind: String; var filename: String; var uploadedAt: String; var status: String
        var rows: Int; var problems: Int
    }
    struct IndexModel: Encodable {
        var layout: Layout
        var csrfToken: String
        var kinds: [KindOption]
        var recent: [RecentRow]
        var maxMB: Int
        var error: String?
    }

    static func index(req: Request) async throws -> View {
        let user = try req.requireUser(.staff, .admin)
        return try await renderIndex(req, user: user, error: nil, kind: nil)
    }

    static func renderIndex(_ req: Request, user: SignedInUser, error: AppError?, kind: ImportKind?) async throws -> View {
        let recent = try await ImportBatches.recent(for: user, on: req.database)
        let model = IndexModel(
            layout: req.layout(titleKey: "import_title"), csrfToken: req.csrfToken ?? "",
            kinds: ImportKind.allCases.map { k in
                KindOption(value: k.rawValue, label: req.text(k.titleKey), hint: req.text(k.titleKey + "_hint"),
                           template: "/staff/imports/templates/\(k.slug).csv", checked: k == (kind ?? .needs))
            },
            recent: recent.map { b in
                RecentRow(link: "/staff/imports/\(b.id.uuidString.lowercased())", kind: req.text(b.kind.titleKey),
                          filename: b.filename, uploadedAt: DisplayDate.dateTime(b.createdAt, req),
                          status: req.text(b.imported ? "import_status_imported" : b.problemCount > 0 ? "import_status_invalid"
                                           : b.isExpired ? "import_status_expired" : "import_status_pending"),
                          rows: b.rowCount, problems: b.problemCount)
            },
            maxMB: ImportBatches.maxBytes / 1_048_576, error: error.map { $0.message(in: req.language) })
        return try await req.view.render("imports", model)
    }

    struct UploadForm: Content {
        var kind: String?
        var file: File?
    }

    static func upload(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        let form = try? req.content.decode(UploadForm.self)
        let kind = form?.kind.flatMap(ImportKind.init(rawValue:))
        do {
            guard let kind else { throw ImportErrors.unknownKind }
            guard let file = form?.file else { throw ImportErrors.emptyFile }
            let id = try await ImportBatches.store(kind: kind, filename: file.filename, data: Data(buffer: file.data),
                                                   by: user, actor: req.auditActor, localizer: req.application.localizer,
                                                   on: req.database)
            return req.redirect(to: "/staff/imports/\(id.uuidString.lowercased())", redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .payloadTooLarge].contains(error.status) {
            // The upload form again, with the reason next to it; nothing was kept.
            let response = try await renderIndex(req, user: user, error: error, kind: kind).encodeResponse(for: req)
            response.status = error.status
            return response
        }
    }

    struct ProblemRow: Encodable { var row: String; var column: String; var message: String }
    struct PreviewModel: Encodable {
        var layout: Layout
        var csrfToken: String
        var confirmAction: String
        var kind: String
        var filename: String
        var encoding: String
        var size: String
        var rowCount: Int
        var problemCount: Int
        var problems: [ProblemRow]
        var moreProblems: Int
        var columns: [String]
        var rows: [[String]]
        var moreRows: Int
        var canConfirm: Bool
        var imported: Bool
        var expired: Bool
        var importedAt: String?
        var created: Int
        var updated: Int
        var expiresAt: String
        var listLink: String
    }

    static let previewRows = 20

    static func show(req: Request) async throws -> View {
        let user = try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("import") }
        let batch = try await ImportBatches.find(id, for: user, on: req.database)
        let localizer = req.application.localizer
        var checked: CheckedImport? = nil
        if !batch.imported {
            // Checked again against today's vocabularies: what confirm would find.
            let vocabulary = try await req.database.withConnection { connection in
                try await ImportVocabulary.load(on: connection, localizer: localizer, logger: req.logger)
            }
            checked = CheckedImport.check(batch.content, kind: batch.kind, vocabulary: vocabulary)
        }
        let problems = checked?.problems.items ?? []
        let columns = batch.kind.columns
        let rows = checked?.records.preview(localizer, req.language, first: previewRows) ?? []
        let model = PreviewModel(
            layout: req.layout(titleKey: "import_preview_title"), csrfToken: req.csrfToken ?? "",
            confirmAction: "/staff/imports/\(id.uuidString.lowercased())/confirm",
            kind: req.text(batch.kind.titleKey), filename: batch.filename,
            encoding: batch.encoding.label(req.language),
            size: String(format: "%.1f KB", Double(batch.byteCount) / 1024), rowCount: batch.rowCount,
            problemCount: checked?.problems.count ?? 0,
            problems: problems.map { p in
                ProblemRow(row: p.row.map(String.init) ?? "—",
                           column: p.field.flatMap { f in columns.first { $0.field == f } }.map { req.text($0.labelKey) } ?? "—",
                           message: p.message(req.language))
            },
            moreProblems: max(0, (checked?.problems.count ?? 0) - problems.count),
            columns: batch.kind.previewKeys.map(req.text), rows: rows,
            moreRows: max(0, (checked?.records.count ?? 0) - rows.count),
            canConfirm: checked?.isValid == true && !batch.isExpired, imported: batch.imported, expired: batch.isExpired,
            importedAt: batch.importedAt.map { DisplayDate.dateTime($0, req) },
            created: batch.result?.created ?? 0, updated: batch.result?.updated ?? 0,
            expiresAt: DisplayDate.dateTime(batch.expiresAt, req),
            listLink: batch.kind == .needs ? "/needs" : "/api/v1/districts")
        return try await req.view.render("import-preview", model)
    }

    static func confirm(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("import") }
        // Imported now or before (a double click): either way the result page, and one import.
        _ = try await ImportBatches.confirm(id, by: user, actor: req.auditActor, localizer: req.application.localizer,
                                            on: req.database)
        return req.redirect(to: "/staff/imports/\(id.uuidString.lowercased())", redirectType: .normal)
    }
}
