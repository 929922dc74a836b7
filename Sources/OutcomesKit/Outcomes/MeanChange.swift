/// The mean of integer changes with its sample standard deviation, 95 %
/// t-interval and within-patient effect size d_z (DATA-CONTRACT §6b), from
/// exact integer sums.
public struct MeanChange: Hashable, Sendable {
    public let n: Int
    public let mean: Double?
    /// Sample standard deviation (divisor n − 1); nil when n < 2.
    public let sd: Double?
    /// `mean ± t · sd / √n`, t the 0.975 quantile of Student's t with n − 1 degrees of freedom.
    public let low: Double?
    public let high: Double?
    /// mean / sd; nil when n < 2 or sd = 0.
    public let effectSize: Double?

    /// From n changes' sum and sum of squares.
    public init(n: Int, sum: Int, sumOfSquares: Int) {
        self.n = n
        mean = n > 0 ? Double(sum) / Double(n) : nil
        guard n >= 2, let mean else {
            sd = nil; low = nil; high = nil; effectSize = nil
            return
        }
        // (n Σc² − (Σc)²) / (n (n − 1)): exact integers, then one division.
        let sd = (Double(n * sumOfSquares - sum * sum) / Double(n * (n - 1))).squareRoot()
        let half = StudentT.quantile(0.975, degreesOfFreedom: Double(n - 1)) * sd / Double(n).squareRoot()
        self.sd = sd
        low = mean - half
        high = mean + half
        effectSize = sd > 0 ? mean / sd : nil
    }

    /// From the changes themselves.
    public init(_ changes: [Int]) {
        self.init(n: changes.count, sum: changes.reduce(0, +), sumOfSquares: changes.reduce(0) { $0 + $1 * $1 })
    }
}
