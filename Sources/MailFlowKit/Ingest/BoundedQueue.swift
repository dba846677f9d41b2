import Foundation

/// A blocking first-in first-out queue of fixed capacity between two threads.
///
/// The parser thread blocks when the writer is behind, which is what keeps memory flat: at most
/// `capacity` batches exist at once, whatever the input size.
///
/// `@unchecked Sendable` is true because every stored property that changes (`items`,
/// `isClosed`) is read and written only while `condition` is locked; an element pushed on one
/// thread is handed over whole to the thread that pops it.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var isClosed = false

    init(capacity: Int) {
        precondition(capacity > 0, "capacity (\(capacity)) must be greater than zero")
        self.capacity = capacity
    }

    /// Waits for room and appends; returns false when the queue was closed by the consumer.
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !isClosed { condition.wait() }
        if isClosed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits for an item; `nil` once the queue is closed and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !isClosed { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// No more pushes; pending items are still delivered.
    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops everything and refuses further pushes (the consumer failed).
    func abandon() {
        condition.lock()
        isClosed = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
