/// A sparse vector of `Float` weights over `UInt32` feature indices: the representation of a text
/// for the classifier (`TextClassifier`) and the neighbour index (`NeighbourIndex`).
///
/// Invariant: `indices` are strictly ascending (sorted, unique) and `values` has the same count.
/// Kept compact on purpose (4 + 4 bytes per feature) since the neighbour index holds 100,000 of them.
public struct SparseVector: Sendable, Equatable, Codable {
    /// Feature indices, strictly ascending.
    public private(set) var indices: [UInt32]
    /// The weight of each index.
    public private(set) var values: [Float]

    /// The vector with no feature.
    public static let empty = SparseVector(uncheckedIndices: [], values: [])

    /// Builds a vector from `(index, value)` pairs in any order; duplicate indices add up and zero
    /// values are dropped. Not normalised.
    public init(pairs: [(index: UInt32, value: Float)]) {
        let sorted = pairs.sorted { $0.index < $1.index }
        var indices: [UInt32] = []
        var values: [Float] = []
        indices.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        for pair in sorted {
            if indices.last == pair.index {
                values[values.count - 1] += pair.value
            } else {
                indices.append(pair.index)
                values.append(pair.value)
            }
        }
        self.init(uncheckedIndices: indices, values: values)
        removeZeros()
    }

    /// A vector from indices that are already strictly ascending (checked in debug builds).
    public init(uncheckedIndices indices: [UInt32], values: [Float]) {
        precondition(indices.count == values.count, "indices and values differ in count")
        assert(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 }, "indices must be strictly ascending")
        self.indices = indices
        self.values = values
    }

    /// The number of stored features.
    public var count: Int { indices.count }

    /// Whether the vector has no feature.
    public var isEmpty: Bool { indices.isEmpty }

    /// The Euclidean length.
    public var norm: Float {
        var sum: Float = 0
        for value in values { sum += value * value }
        return sum.squareRoot()
    }

    /// The dot product: a merge of the two sorted index arrays.
    public func dot(_ other: SparseVector) -> Float {
        indices.withUnsafeBufferPointer { a in
            other.indices.withUnsafeBufferPointer { b in
                values.withUnsafeBufferPointer { av in
                    other.values.withUnsafeBufferPointer { bv in
                        var i = 0
                        var j = 0
                        var sum: Float = 0
                        while i < a.count && j < b.count {
                            let x = a[i]
                            let y = b[j]
                            if x == y {
                                sum += av[i] * bv[j]
                                i += 1
                                j += 1
                            } else if x < y {
                                i += 1
                            } else {
                                j += 1
                            }
                        }
                        return sum
                    }
                }
            }
        }
    }

    /// The cosine of the angle between the vectors, 0 when either is empty or zero.
    public func cosine(_ other: SparseVector) -> Float {
        let denominator = norm * other.norm
        return denominator > 0 ? dot(other) / denominator : 0
    }

    /// Scales the vector to length 1 (unchanged when it is zero).
    public mutating func normalise() {
        let length = norm
        guard length > 0 else { return }
        let scale = 1 / length
        for index in values.indices { values[index] *= scale }
    }

    /// The vector scaled to length 1.
    public func normalised() -> SparseVector {
        var copy = self
        copy.normalise()
        return copy
    }

    /// The `count` features of largest magnitude (all of them if there are fewer), still sorted by
    /// index; ties keep the lower index. Not renormalised.
    public func keepingLargest(_ count: Int) -> SparseVector {
        guard self.count > count else { return self }
        guard count > 0 else { return .empty }
        let order = values.indices.sorted {
            abs(values[$0]) != abs(values[$1]) ? abs(values[$0]) > abs(values[$1]) : $0 < $1
        }
        let kept = order.prefix(count).sorted()
        return SparseVector(uncheckedIndices: kept.map { indices[$0] }, values: kept.map { values[$0] })
    }

    /// Drops explicit zeros.
    mutating func removeZeros() {
        guard values.contains(0) else { return }
        let kept = values.indices.filter { values[$0] != 0 }
        indices = kept.map { indices[$0] }
        values = kept.map { values[$0] }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let indices = try container.decode([UInt32].self, forKey: .indices)
        let values = try container.decode([Float].self, forKey: .values)
        guard indices.count == values.count, zip(indices, indices.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .indices, in: container, debugDescription: "indices must be strictly ascending, one per value")
        }
        self.init(uncheckedIndices: indices, values: values)
    }

    enum CodingKeys: String, CodingKey {
        case indices, values
    }
}
