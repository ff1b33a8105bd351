import { describe, expect, it } from 'vitest';
import { T, arg, call, kw, resolveError } from './helpers/function-harness.js';

const S = arg(T.STRING);
const TS = arg(T.TIMESTAMP);

describe('timestamp formatting', () => {
  it('formats in a zone with zone names and offsets', () => {
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'])).toBe('2018-05-11 14:58:33 PDT');
    expect(call('FORMAT_TIMESTAMP', [TS, S], [1000, "yyyy-MM-dd'T'HH:mm:ss.SSSX"])).toBe('1970-01-01T00:00:01.000Z');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [0, 'yyyy-MM-dd HH:mm XXX', '+05:30'])).toBe('1970-01-01 05:30 +05:30');
    expect(call('TIMESTAMPTOSTRING', [arg(T.BIGINT), S], [1589234313123, 'dd MMM yyyy, EEE hh:mm:ss.SS a'])).toBe('11 May 2020, Mon 09:58:33.12 PM');
  });
  it('parses with literal text, offsets and zone abbreviations', () => {
    expect(call('STRINGTOTIMESTAMP', [S, S], ['2018-05-11T21:58:33Z', "yyyy-MM-dd'T'HH:mm:ssX"])).toBe(1526075913000);
    expect(call('STRINGTOTIMESTAMP', [S, S], ['2020-05-11T21:58:33z', "yyyy-MM-dd'T'HH:mm:ssX"])).toBe(1589234313000);
    expect(call('STRINGTOTIMESTAMP', [S, S], ['2019-08-27T13:31:09.2+0000', "yyyy-MM-dd'T'HH:mm:ss.SX"])).toBe(1566912669200);
    expect(call('PARSE_TIMESTAMP', [S, S], ['2018-05-11T21:58:33 PST', "yyyy-MM-dd'T'HH:mm:ss zzz"])).toBe(1526101113000);
    expect(call('PARSE_TIMESTAMP', [S, S, S], ['2018-05-11 14:58:33', 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles'])).toBe(1526075913000);
    expect(() => call('PARSE_TIMESTAMP', [S, S], ['nope', 'yyyy'])).toThrow("Text 'nope' could not be parsed at index 0");
  });
  it('converts between zones', () => {
    expect(call('CONVERT_TZ', [TS, S, S], [100, 'America/Los_Angeles', 'America/New_York'])).toBe(10800100);
    // Both offsets are read at the input taken as a UTC instant: 2021-03-14T02:30 is
    // still standard time in New York at 02:30Z, so it moves by 5 hours.
    expect(call('CONVERT_TZ', [TS, S, S], [Date.UTC(2021, 2, 14, 2, 30), 'America/New_York', 'UTC'])).toBe(Date.UTC(2021, 2, 14, 7, 30));
    expect(call('CONVERT_TZ', [TS, S, S], [Date.UTC(2021, 6, 1), 'UTC', 'Asia/Kolkata'])).toBe(Date.UTC(2021, 6, 1, 5, 30));
    expect(() => call('CONVERT_TZ', [TS, S, S], [0, 'Nowhere/Land', 'UTC'])).toThrow(/Invalid time zone: Unknown time-zone ID: Nowhere\/Land/);
  });
});

describe('dates and times', () => {
  it('parses and formats dates', () => {
    expect(call('STRINGTODATE', [S, S], ['2018-05-11Lit', "yyyy-MM-dd'Lit'"])).toBe(17662);
    expect(call('STRINGTODATE', [S, S], ['01-Jan-2022', 'dd-MMM-yyyy'])).toBe(18993);
    expect(call('PARSE_DATE', [S, S], ['11/05/2019', 'dd/MM/yyyy'])).toBe(18027);
    expect(call('FORMAT_DATE', [arg(T.DATE), S], [-1, 'yyyy-MM-dd'])).toBe('1969-12-31');
    expect(call('DATETOSTRING', [arg(T.INTEGER), S], [17662, 'yyyyMMdd'])).toBe('20180511');
  });
  it('parses and formats times', () => {
    expect(call('PARSE_TIME', [S, S], ['01:00:00 Pm', 'hh:mm:ss a'])).toBe(46800000);
    expect(call('PARSE_TIME', [S, S], ['11/05/19', 'HH/mm/ss'])).toBe(39919000);
    expect(call('FORMAT_TIME', [arg(T.TIME), S], [1234567, "HHmmss'AAAAA'"])).toBe('002034AAAAA');
    expect(call('FORMAT_TIME', [arg(T.TIME), S], [65000, 'HH_mm_ss_SSS'])).toBe('00_01_05_000');
  });
  it('adds intervals given as keywords', () => {
    const D = arg(T.DATE);
    const I = arg(T.INTEGER);
    expect(call('DATEADD', [kw('DAYS'), I, D], ['DAYS', -5, 2])).toBe(-3);
    expect(call('DATESUB', [kw('DAYS'), I, D], ['DAYS', 10, 40])).toBe(30);
    // ksqlDB adds in milliseconds, then truncates towards zero to whole days.
    expect(call('DATEADD', [kw('HOURS'), I, D], ['HOURS', 25, 10])).toBe(11);
    expect(call('DATEADD', [kw('HOURS'), I, D], ['HOURS', 1, -5])).toBe(-4);
    expect(call('DATESUB', [kw('HOURS'), I, D], ['HOURS', 1, 0])).toBe(0);
    expect(call('DATESUB', [kw('HOURS'), I, D], ['HOURS', 25, 0])).toBe(-1);
    expect(call('TIMEADD', [kw('MILLISECONDS'), I, arg(T.TIME)], ['MILLISECONDS', 10, 86399995])).toBe(5);
    expect(call('TIMESUB', [kw('HOURS'), I, arg(T.TIME)], ['HOURS', 1, 0])).toBe(82800000);
    expect(call('TIMESTAMPADD', [kw('SECONDS'), I, TS], ['SECONDS', 5, 1000])).toBe(6000);
    expect(call('TIMESTAMPSUB', [kw('MINUTES'), arg(T.BIGINT), TS], ['MINUTES', 1, 60000])).toBe(0);
  });
  it('rejects a non-keyword unit like ksqlDB', () => {
    expect(resolveError('DATESUB', [arg(T.DATE), arg(T.INTEGER), arg(T.DATE)])).toMatch(
      /^Function 'DATESUB' does not accept parameters \(DATE, INTEGER, DATE\)\./,
    );
  });
  it('epoch conversions', () => {
    expect(call('UNIX_DATE', [arg(T.DATE)], [10])).toBe(10);
    expect(call('UNIX_TIMESTAMP', [], [])).toBeGreaterThan(1_600_000_000_000);
    expect(call('FROM_UNIXTIME', [arg(T.BIGINT)], [5])).toBe(5);
    expect(call('FROM_DAYS', [arg(T.INTEGER)], [-10])).toBe(-10);
  });
});

describe('week-based pattern fields (the JVM default en_US locale: weeks start on Sunday)', () => {
  const DT = arg(T.DATE);
  const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
  it('YYYY is the week-based year, ww the week, e the day of week (Sunday = 1)', () => {
    // The week of Sunday 2019-12-29 holds 2020-01-01, so it is week 1 of 2020.
    expect(call('FORMAT_DATE', [DT, S], [day(2019, 12, 29), 'YYYY-ww e EEE'])).toBe('2020-01 1 Sun');
    expect(call('FORMAT_DATE', [DT, S], [day(2019, 12, 28), 'YYYY-ww e EEE'])).toBe('2019-52 7 Sat');
    expect(call('FORMAT_DATE', [DT, S], [day(2020, 12, 31), "yyyy 'vs' YYYY, 'week' w"])).toBe('2020 vs 2021, week 1');
    expect(call('FORMAT_DATE', [DT, S], [day(2022, 1, 2), 'YY-ww'])).toBe('22-02');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [Date.UTC(2021, 0, 3, 1), 'YYYY-ww EEEE', 'America/Los_Angeles'])).toBe('2021-01 Saturday');
  });
  it('u is the proleptic year (DateTimeFormatter), not a day number', () => {
    expect(call('FORMAT_DATE', [DT, S], [day(2020, 12, 31), 'uuuu-MM-dd'])).toBe('2020-12-31');
  });
  it('W is the week of month, e/c give text from three letters, F the aligned day of week in month', () => {
    expect(call('FORMAT_DATE', [DT, S], [day(2020, 12, 31), 'W'])).toBe('5');
    expect(call('FORMAT_DATE', [DT, S], [day(2020, 12, 5), 'W'])).toBe('1');
    expect(call('FORMAT_DATE', [DT, S], [day(2020, 12, 6), 'W'])).toBe('2');
    expect(call('FORMAT_DATE', [DT, S], [day(2020, 12, 31), 'e ee eee eeee c ccc'])).toBe('5 05 Thu Thursday 5 Thu');
    expect(call('FORMAT_DATE', [DT, S], [day(2021, 5, 10), 'F'])).toBe('3');
    expect(() => call('FORMAT_DATE', [DT, S], [0, 'WW'])).toThrow(/Too many pattern letters: W/);
    expect(() => call('FORMAT_DATE', [DT, S], [0, 'yyyy#'])).toThrow(/reserved character: '#'/);
    expect(call('FORMAT_DATE', [DT, S], [0, "yyyy'#'"])).toBe('1970#');
  });
  it('parses a week date back', () => {
    expect(call('PARSE_DATE', [S, S], ['2021-01-5', 'YYYY-ww-e'])).toBe(day(2020, 12, 31));
    expect(call('PARSE_DATE', [S, S], ['2020-01-Sun', 'YYYY-ww-EEE'])).toBe(day(2019, 12, 29));
    expect(call('PARSE_TIMESTAMP', [S, S], ['2020-W52-7 10:00', "YYYY-'W'ww-e HH:mm"])).toBe(Date.UTC(2020, 11, 26, 10));
    // Without a week field, YYYY stands in for the year.
    expect(call('PARSE_DATE', [S, S], ['2020-05-17', 'YYYY-MM-dd'])).toBe(day(2020, 5, 17));
  });
});

describe('fields a DATE or TIME does not have', () => {
  it('FORMAT_DATE / DATETOSTRING reject time-of-day and offset letters like LocalDate.format', () => {
    expect(() => call('FORMAT_DATE', [arg(T.DATE), S], [18627, 'yyyy-MM-dd HH'])).toThrow(/Unsupported field: HourOfDay/);
    expect(() => call('DATETOSTRING', [arg(T.INTEGER), S], [18627, 'yyyy X'])).toThrow(/Unsupported field: OffsetSeconds/);
  });
  it('FORMAT_TIME rejects date letters like LocalTime.format', () => {
    expect(() => call('FORMAT_TIME', [arg(T.TIME), S], [1000, 'yyyy HH'])).toThrow(/Unsupported field: YearOfEra/);
    expect(() => call('FORMAT_TIME', [arg(T.TIME), S], [1000, 'HH z'])).toThrow(/ZoneId/);
  });
  it('PARSE_DATE rejects a time of day; STRINGTODATE drops it', () => {
    expect(() => call('PARSE_DATE', [S, S], ['2021-01-01 10', 'yyyy-MM-dd HH'])).toThrow(/Date format contains time field/);
    expect(call('PARSE_DATE', [S, S], ['2021-01-01 00', 'yyyy-MM-dd HH'])).toBe(18628);
    expect(call('STRINGTODATE', [S, S], ['2021-01-01 10', 'yyyy-MM-dd HH'])).toBe(18628);
  });
});

describe('zone ids and names as Java prints them', () => {
  const JULY = 1625097600000; // 2021-07-01T00:00:00Z
  const JAN = 1609459200000; // 2021-01-01T00:00:00Z
  it('VV prints the id as given; fixed offsets are normalised like ZoneId.of', () => {
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'VV', 'Asia/Kolkata'])).toBe('Asia/Kolkata');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'VV', 'CET'])).toBe('CET');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'VV', 'US/Pacific'])).toBe('US/Pacific');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'HH:mm VV', 'GMT+5'])).toBe('05:00 GMT+05:00');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'HH:mm VV z', '+01'])).toBe('01:00 +01:00 +01:00');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'VV', '+00:00'])).toBe('Z');
  });
  it('z uses the short names Java has outside the US, by daylight time', () => {
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'z', 'Europe/London'])).toBe('BST');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JAN, 'z', 'Europe/London'])).toBe('GMT');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'z', 'Europe/Paris'])).toBe('CEST');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'z', 'Asia/Kolkata'])).toBe('IST');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JAN, 'z', 'Australia/Sydney'])).toBe('AEDT');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'z', 'America/New_York'])).toBe('EDT');
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'z zzzz', 'GMT'])).toBe('GMT Greenwich Mean Time');
  });
  it('v / vvvv print the generic (no daylight) names', () => {
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'v, vvvv', 'America/Los_Angeles'])).toBe('PT, Pacific Time');
    expect(call('PARSE_TIMESTAMP', [S, S], ['2021-07-01 12:00 PT', 'yyyy-MM-dd HH:mm v'])).toBe(Date.UTC(2021, 6, 1, 19));
  });
  it('zones without a short name get the padded GMT format', () => {
    expect(call('FORMAT_TIMESTAMP', [TS, S, S], [JULY, 'z', 'Etc/GMT-2'])).toBe('GMT+02:00');
  });
});

// ksqlDB TimeAdd/TimeSub: LocalTime.plus/minus(unit.toNanos(n), NANOS), millis truncated.
describe('TIMEADD / TIMESUB in nanoseconds', () => {
  const TM = arg(T.TIME);
  it.each([
    ['TIMEADD', 'NANOSECONDS', -1, 0, 86399999], // wraps below midnight
    ['TIMESUB', 'NANOSECONDS', 500000, 1, 0], // 1 ms - 0.5 ms truncates to 0
    ['TIMEADD', 'MICROSECONDS', 1500, 0, 1],
    ['TIMESUB', 'MICROSECONDS', 1, 0, 86399999],
    ['TIMEADD', 'DAYS', 3, 1234, 1234],
    ['TIMEADD', 'DAYS', 2147483647, 0, 85636854], // toNanos saturates at Long.MAX_VALUE
    ['TIMESUB', 'HOURS', -25, 0, 3600000],
  ] as const)('%s(%s, %d, %d) is %d', (name, unit, n, t, expected) => {
    expect(call(name, [kw(unit), arg(T.INTEGER), TM], [unit, n, t])).toBe(expected);
  });
});

// ksqlDB's StringToTimestampParser / ParseTime use DateTimeFormatter.ofPattern: the SMART resolver.
describe('parsing resolves fields as java.time SMART does', () => {
  it.each([
    ['PARSE_TIMESTAMP', ['2020-02-30', 'yyyy-MM-dd'], Date.UTC(2020, 1, 29)], // day clamps to the month's end
    ['PARSE_TIMESTAMP', ['2021-04-31', 'yyyy-MM-dd'], Date.UTC(2021, 3, 30)],
    ['PARSE_TIMESTAMP', ['2021-01-01 24:00', 'yyyy-MM-dd HH:mm'], Date.UTC(2021, 0, 2)], // 24:00 is the next midnight
    ['PARSE_TIMESTAMP', ['2021-03-28 02:30', 'yyyy-MM-dd HH:mm', 'Europe/Berlin'], Date.UTC(2021, 2, 28, 1, 30)], // gap: later by an hour
    // Overlaps keep the offset the zone had on that day in 1970 (the parser's starting point): standard time here.
    ['PARSE_TIMESTAMP', ['2021-10-31 02:30', 'yyyy-MM-dd HH:mm', 'Europe/Berlin'], Date.UTC(2021, 9, 31, 1, 30)],
    ['PARSE_TIMESTAMP', ['2021-11-07 01:30', 'yyyy-MM-dd HH:mm', 'America/New_York'], Date.UTC(2021, 10, 7, 6, 30)],
    ['STRINGTOTIMESTAMP', ['2019-02-29', 'yyyy-MM-dd'], Date.UTC(2019, 1, 28)],
    ['PARSE_TIME', ['12:59', 'hh:mm'], 59 * 60_000],
  ] as const)('%s(%j) is %d', (name, values, expected) => {
    expect(
      call(
        name,
        values.map(() => S),
        [...values],
      ),
    ).toBe(expected);
  });
  it.each([
    ['PARSE_TIMESTAMP', ['2021-13-01', 'yyyy-MM-dd'], 'Invalid value for MonthOfYear (valid values 1 - 12): 13'],
    ['PARSE_TIMESTAMP', ['2021-01-32', 'yyyy-MM-dd'], 'Invalid value for DayOfMonth (valid values 1 - 28/31): 32'],
    ['PARSE_TIMESTAMP', ['2021-01-01 24:01', 'yyyy-MM-dd HH:mm'], 'Invalid value for HourOfDay (valid values 0 - 23): 24'],
    ['PARSE_TIME', ['25:00', 'HH:mm'], 'Invalid value for HourOfDay (valid values 0 - 23): 25'],
    ['PARSE_TIME', ['10:60', 'HH:mm'], 'Invalid value for MinuteOfHour (valid values 0 - 59): 60'],
    ['PARSE_TIME', ['10:00:61', 'HH:mm:ss'], 'Invalid value for SecondOfMinute (valid values 0 - 59): 61'],
    ['PARSE_TIME', ['13:00 PM', 'hh:mm a'], 'Invalid value for ClockHourOfAmPm (valid values 1 - 12): 13'],
  ] as const)('%s(%j) fails: %s', (name, values, reason) => {
    expect(() =>
      call(
        name,
        values.map(() => S),
        [...values],
      ),
    ).toThrow(`Text '${values[0]}' could not be parsed: ${reason}`);
  });
});
