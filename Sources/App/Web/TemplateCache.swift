import Leaf
import LeafKit
import NIOCore

/// Leaf's parsed templates, kept whatever the environment.
///
/// Leaf turns its cache off in the development environment, on the shared cache object, each time it
/// makes a renderer (`Application.Leaf.renderer`) — and `make run`, the Dockerfile and `make load` run
/// in that environment — so every page read and lexed its templates again: a quarter of the board
/// page's CPU in a profile. The templates ship with the build and do not change while it runs, so
/// this cache cannot be switched off; restart the server to see an edited template.
final class TemplateCache: LeafCache, @unchecked Sendable {
    // DefaultLeafCache locks its own dictionary; this class only forwards to it.
    private let base = DefaultLeafCache()

    var isEnabled: Bool {
        get { true }
        set {} // Leaf's development override (see above)
    }

    var count: Int { base.count }

    func insert(_ document: LeafAST, on loop: any EventLoop, replace: Bool) -> EventLoopFuture<LeafAST> {
        base.insert(document, on: loop, replace: replace)
    }

    func retrieve(documentName: String, on loop: any EventLoop) -> EventLoopFuture<LeafAST?> {
        base.retrieve(documentName: documentName, on: loop)
    }

    func remove(_ documentName: String, on loop: any EventLoop) -> EventLoopFuture<Bool?> {
        base.remove(documentName, on: loop)
    }
}
