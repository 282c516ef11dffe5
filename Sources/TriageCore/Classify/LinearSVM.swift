/// One-vs-rest linear SVMs with squared hinge loss and L2 regularisation (liblinear's default
/// solver, "L2R_L2LOSS_SVC_DUAL"), trained by dual coordinate descent for all classes at once.
///
/// For each training vector in turn, the margins of every class are computed in one pass over its
/// features, each class's dual variable takes its exact coordinate step, and the weights of all
/// classes move in a second pass. Weights are stored feature-major (`weights[slot * classes + c]`),
/// so both passes run over contiguous memory, and the bias is an extra feature of value 1. Positives
/// of class `c` have cost `cost · w_c`, `w_c = (n / (k · n_c))^classBalance`, for macro-F1.
struct LinearSVM {
    /// Rows in CSR form: row `r`'s slots and values are at `rowStart[r] ..< rowStart[r + 1]`.
    let rowStart: [Int]
    let rowSlots: [Int32]
    let rowValues: [Float]
    let labels: [Int]
    let classes: Int
    let features: Int
    let options: TextClassifier.Options

    init(vectors: [SparseVector], labels: [Int], classes: Int, slots: [Int32], features: Int, options: TextClassifier.Options) {
        var rowStart = [0]
        var rowSlots: [Int32] = []
        var rowValues: [Float] = []
        for vector in vectors {
            for (index, value) in zip(vector.indices, vector.values) {
                rowSlots.append(slots[Int(index)])
                rowValues.append(value)
            }
            rowStart.append(rowSlots.count)
        }
        self.rowStart = rowStart
        self.rowSlots = rowSlots
        self.rowValues = rowValues
        self.labels = labels
        self.classes = classes
        self.features = features
        self.options = options
    }

    /// Trains on the given rows; returns `(features + 1) × classes` weights, the bias row last.
    func solve(rows: [Int]) -> [Float] {
        let k = classes
        var weights = [Float](repeating: 0, count: (features + 1) * k)
        var counts = [Int](repeating: 0, count: k)
        for row in rows { counts[labels[row]] += 1 }
        let present = Double(counts.filter { $0 > 0 }.count)
        let n = Double(rows.count)
        let cost = max(options.cost, 1e-6)
        let negativeDiagonal = Float(0.5 / cost)
        let positiveDiagonal = counts.map { count -> Float in
            let weight = count > 0 ? ClassifierMath.exp(options.classBalance * ClassifierMath.log(n / (present * Double(count)))) : 1
            return Float(0.5 / (cost * weight))
        }
        var squaredNorms = [Float](repeating: 1, count: rows.count)  // the bias feature's 1
        for (position, row) in rows.enumerated() {
            for entry in rowStart[row]..<rowStart[row + 1] { squaredNorms[position] += rowValues[entry] * rowValues[entry] }
        }
        var alpha = [Float](repeating: 0, count: rows.count * k)
        // Shrinking (as liblinear): a pair (text, class) whose dual variable is 0 and whose gradient
        // exceeds the previous pass's largest projected gradient leaves the active set; when the
        // active set has converged, everything is reactivated for a final check.
        var active = [Bool](repeating: true, count: rows.count * k)
        var oldMax = [Float](repeating: .infinity, count: k)
        var oldMin = [Float](repeating: -.infinity, count: k)
        var newMax = [Float](repeating: 0, count: k)
        var newMin = [Float](repeating: 0, count: k)
        var margins = [Float](repeating: 0, count: k)
        var activeClasses: [Int] = []
        var moved: [(Int, Float)] = []
        var shrunk = false
        var order = Array(0..<rows.count)
        var generator = SplitMix64(seed: options.seed)
        let biasRow = features * k
        let tolerance = Float(options.tolerance)
        for _ in 0..<max(options.epochs, 1) {
            order.shuffle(using: &generator)
            for c in 0..<k { newMax[c] = -.infinity; newMin[c] = .infinity }
            weights.withUnsafeMutableBufferPointer { w in
                for position in order {
                    let row = rows[position]
                    let range = rowStart[row]..<rowStart[row + 1]
                    activeClasses.removeAll(keepingCapacity: true)
                    for c in 0..<k where active[position * k + c] { activeClasses.append(c) }
                    guard !activeClasses.isEmpty else { continue }
                    margins.withUnsafeMutableBufferPointer { m in
                        if activeClasses.count * 4 >= k {
                            for c in 0..<k { m[c] = w[biasRow + c] }
                            for entry in range {
                                let value = rowValues[entry]
                                let base = Int(rowSlots[entry]) * k
                                for c in 0..<k { m[c] += value * w[base + c] }
                            }
                        } else {
                            for c in activeClasses {
                                var sum = w[biasRow + c]
                                for entry in range { sum += rowValues[entry] * w[Int(rowSlots[entry]) * k + c] }
                                m[c] = sum
                            }
                        }
                    }
                    moved.removeAll(keepingCapacity: true)
                    let label = labels[row]
                    for c in activeClasses {
                        let y: Float = c == label ? 1 : -1
                        let diagonal = c == label ? positiveDiagonal[c] : negativeDiagonal
                        let a = alpha[position * k + c]
                        let gradient = y * margins[c] - 1 + diagonal * a
                        var projected = gradient
                        if a == 0 {
                            if gradient > oldMax[c] {
                                active[position * k + c] = false
                                shrunk = true
                                continue
                            }
                            projected = min(gradient, 0)
                        }
                        newMax[c] = max(newMax[c], projected)
                        newMin[c] = min(newMin[c], projected)
                        guard abs(projected) > 1e-12 else { continue }
                        let updated = max(a - gradient / (squaredNorms[position] + diagonal), 0)
                        alpha[position * k + c] = updated
                        moved.append((c, (updated - a) * y))
                    }
                    // Usually one to three classes move: update those columns only.
                    for (c, step) in moved {
                        for entry in range { w[Int(rowSlots[entry]) * k + c] += step * rowValues[entry] }
                        w[biasRow + c] += step
                    }
                }
            }
            var converged = true
            for c in 0..<k {
                if newMax[c] - newMin[c] > tolerance { converged = false }
                oldMax[c] = newMax[c] <= 0 ? .infinity : newMax[c]
                oldMin[c] = newMin[c] >= 0 ? -.infinity : newMin[c]
            }
            if converged {
                guard shrunk else { break }
                for index in active.indices { active[index] = true }
                for c in 0..<k { oldMax[c] = .infinity; oldMin[c] = -.infinity }
                shrunk = false
            }
        }
        return weights
    }
}

/// A small, fast, seedable generator (SplitMix64), for deterministic shuffles, benchmarks and
/// tests that need the same "random" data on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
