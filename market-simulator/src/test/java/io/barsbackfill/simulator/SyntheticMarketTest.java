package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.domain.TradingSession;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticMarketTest {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();

    @RegisterExtension
    static final DefaultMarket MARKET = new DefaultMarket();

    private static List<Bar> bars(String ticker, Timeframe timeframe, String from, String to) {
        return MARKET.simulator().bars(ticker, timeframe, Instant.parse(from), Instant.parse(to));
    }

    private static LocalTime newYorkTime(Instant t) {
        return t.atZone(TradingCalendar.NEW_YORK).toLocalTime();
    }

    private static List<Bar> session(String ticker, Timeframe timeframe, TradingSession s) {
        return MARKET.simulator().bars(ticker, timeframe, s.preOpen(), s.postClose());
    }

    @Test
    void noBarsOnHolidaysOrWeekends() {
        for (Timeframe tf : List.of(Timeframe.m1, Timeframe.m30, Timeframe.h1, Timeframe.h4, Timeframe.d1)) {
            // New York's 2024-07-04, then Saturday 6th and Sunday 7th
            assertThat(bars("AAPL", tf, "2024-07-04T04:00:00Z", "2024-07-05T04:00:00Z"))
                    .as(tf.name())
                    .isEmpty();
            assertThat(bars("AAPL", tf, "2024-07-06T04:00:00Z", "2024-07-08T04:00:00Z"))
                    .as(tf.name())
                    .isEmpty();
        }
        ApiClient.Answer answer = MARKET.api()
                .get("/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min"
                        + "&start=2024-07-04T00:00:00Z&end=2024-07-04T23:59:59Z");
        assertThat(answer.raw().body()).isEqualTo("{\"bars\":{},\"next_page_token\":null}");
    }

    @Test
    void earlyCloseEndsRegularHoursAtOneAndExtendedHoursAtFive() {
        TradingSession blackFriday = NYSE.session(LocalDate.of(2024, 11, 29)).orElseThrow();
        ApiClient.Answer answer = MARKET.api()
                .get("/v2/stocks/AAPL/bars?timeframe=1Min&limit=10000"
                        + "&start=2024-11-29T00:00:00Z&end=2024-11-30T04:59:59Z");
        List<Bar> minutes = answer.barArray();
        assertThat(answer.nextPageToken()).isNull();
        assertThat(minutes).isEqualTo(session("AAPL", Timeframe.m1, blackFriday));
        assertThat(minutes)
                .last()
                .satisfies(b -> assertThat(newYorkTime(b.ts())).isBefore(LocalTime.of(17, 0)));

        long regular = minutes.stream()
                .filter(b -> !newYorkTime(b.ts()).isBefore(LocalTime.of(9, 30))
                        && newYorkTime(b.ts()).isBefore(LocalTime.of(13, 0)))
                .count();
        long afterOne = minutes.stream()
                .filter(b -> !newYorkTime(b.ts()).isBefore(LocalTime.of(13, 0)))
                .count();
        assertThat(regular).isEqualTo(210); // every minute of 09:30-13:00
        assertThat(afterOne).as("after 13:00 only sparse extended-hours bars").isBetween(190L, 239L);

        List<LocalTime> hours = session("AAPL", Timeframe.h1, blackFriday).stream()
                .map(b -> newYorkTime(b.ts()))
                .toList();
        assertThat(hours)
                .contains(LocalTime.of(9, 0), LocalTime.of(12, 0))
                .allSatisfy(t -> assertThat(t).isBetween(LocalTime.of(4, 0), LocalTime.of(16, 0)));
        assertThat(bars("AAPL", Timeframe.d1, "2024-11-29T00:00:00Z", "2024-11-30T00:00:00Z"))
                .hasSize(1);
    }

    @Test
    void hourlyBarsOfANormalSession() {
        List<TradingSession> sessions =
                NYSE.sessions(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-02-01T00:00:00Z"));
        for (String ticker : SimulatorSettings.DEFAULT_UNIVERSE) {
            for (TradingSession s : sessions) {
                List<LocalTime> hours = session(ticker, Timeframe.h1, s).stream()
                        .map(b -> newYorkTime(b.ts()))
                        .toList();
                assertThat(hours)
                        .as(ticker + " " + s.date())
                        .hasSizeBetween(13, 16)
                        .contains(
                                LocalTime.of(9, 0),
                                LocalTime.of(10, 0),
                                LocalTime.of(11, 0),
                                LocalTime.of(12, 0),
                                LocalTime.of(13, 0),
                                LocalTime.of(14, 0),
                                LocalTime.of(15, 0))
                        .allSatisfy(t -> assertThat(t.getMinute()).isZero());
            }
        }
    }

    @Test
    void extendedHoursAreSparseButRegularHoursComplete() {
        TradingSession s = NYSE.session(LocalDate.of(2024, 3, 12)).orElseThrow();
        List<Bar> minutes = session("NVDA", Timeframe.m1, s);
        long regular = minutes.stream()
                .filter(b -> !b.ts().isBefore(s.open()) && b.ts().isBefore(s.close()))
                .count();
        assertThat(regular).isEqualTo(390);
        long extended = minutes.size() - regular;
        assertThat(extended).isBetween(480L, 500L); // 570 extended minutes, 15% dropped
    }

    @Test
    void barsFollowTheNewYorkClockAcrossDaylightSavingTime() {
        List<Instant> summerFirst = SimulatorSettings.DEFAULT_UNIVERSE.stream()
                .map(t -> bars(t, Timeframe.h1, "2024-07-09T04:00:00Z", "2024-07-10T04:00:00Z")
                        .get(0)
                        .ts())
                .toList();
        assertThat(summerFirst)
                .allSatisfy(t -> assertThat(t)
                        .isIn(Instant.parse("2024-07-09T08:00:00Z"), Instant.parse("2024-07-09T09:00:00Z")))
                .contains(Instant.parse("2024-07-09T08:00:00Z"));
        List<Instant> winterFirst = SimulatorSettings.DEFAULT_UNIVERSE.stream()
                .map(t -> bars(t, Timeframe.h1, "2024-01-09T05:00:00Z", "2024-01-10T05:00:00Z")
                        .get(0)
                        .ts())
                .toList();
        assertThat(winterFirst)
                .allSatisfy(t -> assertThat(t)
                        .isIn(Instant.parse("2024-01-09T09:00:00Z"), Instant.parse("2024-01-09T10:00:00Z")))
                .contains(Instant.parse("2024-01-09T09:00:00Z"));

        assertThat(bars("AAPL", Timeframe.h4, "2024-07-09T00:00:00Z", "2024-07-10T04:00:00Z"))
                .extracting(Bar::ts)
                .allSatisfy(t -> assertThat(newYorkTime(t))
                        .isIn(LocalTime.of(4, 0), LocalTime.of(8, 0), LocalTime.of(12, 0), LocalTime.of(16, 0)))
                .contains(Instant.parse("2024-07-09T12:00:00Z"), Instant.parse("2024-07-09T16:00:00Z"));

        assertThat(bars("AAPL", Timeframe.d1, "2024-07-08T00:00:00Z", "2024-07-10T00:00:00Z"))
                .extracting(Bar::ts)
                .containsExactly(Instant.parse("2024-07-08T04:00:00Z"), Instant.parse("2024-07-09T04:00:00Z"));
        assertThat(bars("AAPL", Timeframe.d1, "2024-01-08T00:00:00Z", "2024-01-10T00:00:00Z"))
                .extracting(Bar::ts)
                .containsExactly(Instant.parse("2024-01-08T05:00:00Z"), Instant.parse("2024-01-09T05:00:00Z"));
    }

    @Test
    void weeklyBarsAreStampedOnMondayMidnightNewYork() {
        List<Instant> weeks = bars("SPY", Timeframe.w1, "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z").stream()
                .map(Bar::ts)
                .toList();
        // 2024-01-01 and 2024-01-15 are holidays on a Monday: their weeks still have a bar stamped that Monday
        assertThat(weeks)
                .containsExactly(
                        Instant.parse("2024-01-01T05:00:00Z"),
                        Instant.parse("2024-01-08T05:00:00Z"),
                        Instant.parse("2024-01-15T05:00:00Z"),
                        Instant.parse("2024-01-22T05:00:00Z"),
                        Instant.parse("2024-01-29T05:00:00Z"));
        assertThat(bars("SPY", Timeframe.w1, "2024-06-01T00:00:00Z", "2024-08-01T00:00:00Z"))
                .extracting(Bar::ts)
                .allSatisfy(t -> {
                    ZonedDateTime ny = t.atZone(TradingCalendar.NEW_YORK);
                    assertThat(ny.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
                    assertThat(ny.toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
                });
        // the week of the 2001-09-11 closures still had a session (Monday the 10th)
        assertThat(bars("SPY", Timeframe.w1, "2001-09-10T00:00:00Z", "2001-09-17T00:00:00Z"))
                .hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Timeframe.class)
    void minuteGridAlignment(Timeframe timeframe) {
        Duration length = timeframe.barLength();
        List<Bar> sample = bars("MSFT", timeframe, "2024-03-04T00:00:00Z", "2024-03-16T00:00:00Z");
        assertThat(sample).isNotEmpty();
        if (timeframe.isIntraday()) {
            assertThat(sample).allSatisfy(b -> {
                LocalTime ny = newYorkTime(b.ts());
                long minutesSincePreOpen =
                        Duration.between(LocalTime.of(4, 0), ny).toMinutes();
                assertThat(minutesSincePreOpen % length.toMinutes()).isZero();
                assertThat(ny).isBetween(LocalTime.of(4, 0), LocalTime.of(19, 59));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Timeframe.class)
    void everyBarIsSane(Timeframe timeframe) {
        String from = timeframe.isIntraday() ? "2024-11-25T00:00:00Z" : "2000-01-01T00:00:00Z";
        String to = timeframe.isIntraday() ? "2024-12-03T00:00:00Z" : "2039-12-31T00:00:00Z";
        for (String ticker : SimulatorSettings.DEFAULT_UNIVERSE) {
            List<Bar> bars = bars(ticker, timeframe, from, to);
            assertThat(bars).as(ticker).isNotEmpty();
            // plain loops: hundreds of thousands of bars are checked here
            List<Bar> insane =
                    bars.stream().filter(b -> !isWellFormed(ticker, b)).limit(5).toList();
            assertThat(insane).as(ticker).isEmpty();
            for (int i = 1; i < bars.size(); i++) {
                assertThat(bars.get(i).ts().isAfter(bars.get(i - 1).ts()))
                        .as(ticker + " order")
                        .isTrue();
            }
        }
    }

    /** Sane, prices to four decimals; VWAP and trade count present and plausible, or absent for VOXX. */
    private static boolean isWellFormed(String ticker, Bar b) {
        boolean fourDecimals = true;
        for (double price : new double[] {b.open(), b.high(), b.low(), b.close()}) {
            fourDecimals &= Math.round(price * 10_000) / 10_000.0 == price;
        }
        boolean basics = b.isSane() && fourDecimals && b.volume() > 0;
        if (BarFactory.WITHOUT_STATISTICS.contains(ticker)) {
            return basics && b.vwap() == null && b.tradeCount() == null;
        }
        return basics
                && b.tradeCount() != null
                && b.tradeCount() > 0
                && b.vwap() != null
                && Math.round(b.vwap() * 10_000) / 10_000.0 == b.vwap()
                && b.vwap() >= b.low()
                && b.vwap() <= b.high();
    }

    @Test
    void basePricesSpreadBetweenFiveAndEightHundred() {
        assertThat(SimulatorSettings.DEFAULT_UNIVERSE)
                .allSatisfy(t -> assertThat(TickerProfile.of(t).basePrice()).isBetween(5.0, 800.0));
        assertThat(SimulatorSettings.DEFAULT_UNIVERSE.stream()
                        .mapToDouble(t -> TickerProfile.of(t).basePrice())
                        .max()
                        .orElseThrow())
                .isGreaterThan(300);
    }

    @Test
    void barsDependOnlyOnTickerTimeframeAndTime() {
        List<Bar> wide = bars("AMD", Timeframe.m5, "2024-04-01T00:00:00Z", "2024-04-13T00:00:00Z");
        Instant from = Instant.parse("2024-04-03T14:17:00Z");
        Instant to = Instant.parse("2024-04-09T18:00:00Z");
        assertThat(MARKET.simulator().bars("AMD", Timeframe.m5, from, to))
                .isEqualTo(wide.stream()
                        .filter(b -> !b.ts().isBefore(from) && b.ts().isBefore(to))
                        .toList())
                .isNotEmpty();
        assertThat(bars("AMD", Timeframe.m5, "2024-04-03T00:00:00Z", "2024-04-04T00:00:00Z"))
                .isNotEqualTo(bars("AMZN", Timeframe.m5, "2024-04-03T00:00:00Z", "2024-04-04T00:00:00Z"));
    }

    @Test
    void twoSimulatorsServeTheSameBytes() {
        try (MarketSimulator other =
                MarketSimulator.start(0, SimulatorSettings.defaults().withSeed(7))) {
            String query = "/v2/stocks/bars?symbols=AAPL,TSLA,BRK.A&timeframe=15Min"
                    + "&start=2024-05-01T00:00:00Z&end=2024-05-10T00:00:00Z&limit=700";
            ApiClient.Answer mine = MARKET.api().get(query);
            ApiClient.Answer theirs = new ApiClient(other).get(query);
            assertThat(theirs.raw().body()).isEqualTo(mine.raw().body());
            String token = mine.nextPageToken();
            assertThat(new ApiClient(other)
                            .get(query + "&page_token=" + token)
                            .raw()
                            .body())
                    .isEqualTo(MARKET.api()
                            .get(query + "&page_token=" + token)
                            .raw()
                            .body());
            assertThat(other.bars(
                            "ZIM",
                            Timeframe.d1,
                            Instant.parse("2020-01-01T00:00:00Z"),
                            Instant.parse("2021-01-01T00:00:00Z")))
                    .isEqualTo(bars("ZIM", Timeframe.d1, "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"));
        }
    }

    @Test
    void unknownTickerIsRefusedByTheProgrammaticApiToo() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> bars("XYZ", Timeframe.d1, "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"));
    }
}
