#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Epoch-second timestamps, as Agno stores them, and their wire rendering.
public enum Timestamp {
    /// The current time in whole epoch seconds.
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// Renders epoch seconds as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    public static func iso8601(_ seconds: Int64) -> String {
        let (year, month, day, hour, minute, second) = civil(seconds)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))Z"
    }

    /// Renders epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), as AWS APIs do.
    public static func iso8601(milliseconds: Int64) -> String {
        let seconds = milliseconds.floorDivided(by: 1000)
        let millis = milliseconds - seconds * 1000
        var text = iso8601(seconds)
        text.removeLast()
        return text + "." + pad(Int(millis), 3) + "Z"
    }

    /// Splits epoch seconds into a proleptic Gregorian UTC date and time (Howard Hinnant's algorithm).
    static func civil(_ epochSeconds: Int64) -> (Int, Int, Int, Int, Int, Int) {
        let days = epochSeconds.floorDivided(by: 86_400)
        let secondOfDay = Int(epochSeconds - days * 86_400)
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
