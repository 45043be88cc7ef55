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

    /// Reads an ISO 8601 date and time as epoch seconds: `YYYY-MM-DD`, optionally followed by `T` (or a
    /// space) and `HH:MM[:SS[.fraction]]`, optionally followed by `Z` or an offset `±HH[:]MM`. Without
    /// an offset the time is UTC. A fraction of a second is dropped (the column keeps whole seconds).
    /// `nil` for anything else, or a date outside the years 1–9999.
    public static func epochSeconds(iso8601 text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        func number(_ width: Int) -> Int? {
            guard bytes.count >= width else { return nil }
            var value = 0
            for byte in bytes.prefix(width) {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            bytes = bytes.dropFirst(width)
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard bytes.first == byte else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        guard let year = number(4), year >= 1, take(UInt8(ascii: "-")), let month = number(2), (1...12).contains(month),
              take(UInt8(ascii: "-")), let day = number(2), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        if take(UInt8(ascii: "T")) || take(UInt8(ascii: "t")) || take(UInt8(ascii: " ")) {
            guard let hour = number(2), hour < 24, take(UInt8(ascii: ":")), let minute = number(2), minute < 60 else { return nil }
            var second = 0
            if take(UInt8(ascii: ":")) {
                guard let value = number(2), value < 60 else { return nil }
                second = value
                if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
                    guard let first = bytes.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
                    while let next = bytes.first, next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") { bytes = bytes.dropFirst() }
                }
            }
            seconds += Int64(hour * 3600 + minute * 60 + second)
            if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) {
                // UTC.
            } else if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                bytes = bytes.dropFirst()
                guard let hours = number(2), hours < 24 else { return nil }
                _ = take(UInt8(ascii: ":"))
                guard let minutes = number(2), minutes < 60 else { return nil }
                let offset = Int64(hours * 3600 + minutes * 60)
                seconds += sign == UInt8(ascii: "+") ? -offset : offset
            }
        }
        return bytes.isEmpty ? seconds : nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
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
