/// One-vs-rest linear SVMs with squared hinge loss and L2 regularisation (liblinear's default
/// solver, "L2R_L2LOSS_SVC_DUAL"), trained by dual coordinate descent for all classes at once.
///
/// For each training vector in turn, the margins of every class are computed in one pass over its
/// features, each class's dual variable takes its exact coordinate step, and the weights of all
/// classes move in a second pass. Weights are stored feature-major (`weights[slot * classes + c]`),
/// so both passes run over contiguous memory, and the bias is an extra feature of value 1. Positives
/// of class `c` have cost `cost · w_c`, `w_c = (n / (k · n_c))^classBalance`, for macro-F1.
nonisolated(unsafe) var debugEpochs = false
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
        var margins = [Float](repeating: 0, count: k)
        var moved: [(Int, Float)] = []
        var epochsRun = 0
        var order = Array(0..<rows.count)
        var generator = SplitMix64(seed: options.seed)
        let biasRow = features * k
        for _ in 0..<max(options.epochs, 1) {
            order.shuffle(using: &generator)
            var largestViolation: Float = 0
            weights.withUnsafeMutableBufferPointer { w in
                for position in order {
                    let row = rows[position]
                    let range = rowStart[row]..<rowStart[row + 1]
                    for c in 0..<k { margins[c] = w[biasRow + c] }
                    margins.withUnsafeMutableBufferPointer { m in
                        for entry in range {
                            let value = rowValues[entry]
                            let base = Int(rowSlots[entry]) * k
                            for c in 0..<k { m[c] += value * w[base + c] }
                        }
                    }
                    moved.removeAll(keepingCapacity: true)
                    let label = labels[row]
                    for c in 0..<k {
                        let y: Float = c == label ? 1 : -1
                        let diagonal = c == label ? positiveDiagonal[c] : negativeDiagonal
                        let a = alpha[position * k + c]
                        let gradient = y * margins[c] - 1 + diagonal * a
                        let projected = a == 0 ? min(gradient, 0) : gradient
                        guard projected != 0 else { continue }
                        largestViolation = max(largestViolation, abs(projected))
                        let updated = max(a - gradient / (squaredNorms[position] + diagonal), 0)
                        guard updated != a else { continue }
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
            epochsRun += 1
            if largestViolation < Float(options.tolerance) { break }
        }
        if debugEpochs { print("epochs run", epochsRun) }
        return weights
    }
}

/// A small, fast, seedable generator (SplitMix64), for deterministic shuffles.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
