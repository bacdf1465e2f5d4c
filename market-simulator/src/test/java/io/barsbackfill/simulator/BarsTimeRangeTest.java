package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Bar;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BarsTimeRangeTest {

    private static final Instant NOW = Instant.parse("2024-07-09T15:07:00Z");
    private static MarketSimulator simulator;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        simulator = MarketSimulator.start(0, SimulatorSettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        api = new ApiClient(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static List<Instant> times(String query) {
        ApiClient.Answer answer = api.get("/v2/stocks/AAPL/bars?limit=10000&" + query);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.barArray().stream().map(Bar::ts).toList();
    }

    @Test
    void startAndEndAreBothInclusive() {
        assertThat(times("timeframe=1Day&start=2024-01-02T05:00:00Z&end=2024-01-04T05:00:00Z"))
                .containsExactly(
                        Instant.parse("2024-01-02T05:00:00Z"),
                        Instant.parse("2024-01-03T05:00:00Z"),
                        Instant.parse("2024-01-04T05:00:00Z"));
        assertThat(times("timeframe=1Day&start=2024-01-02T05:00:00.000000001Z&end=2024-01-04T04:59:59.999Z"))
                .containsExactly(Instant.parse("2024-01-03T05:00:00Z"));
        assertThat(times("timeframe=1Min&start=2024-01-02T15:00:00Z&end=2024-01-02T15:10:00Z"))
                .hasSize(11);
        assertThat(times("timeframe=1Min&start=2024-01-02T15:00:00Z&end=2024-01-02T15:00:00Z"))
                .containsExactly(Instant.parse("2024-01-02T15:00:00Z"));
    }

    @Test
    void offsetsAndFractionalSeconds() {
        List<Instant> utc = times("timeframe=1Hour&start=2024-01-02T14:00:00Z&end=2024-01-02T18:00:00Z");
        assertThat(utc).hasSize(5);
        assertThat(times("timeframe=1Hour&start=" + ApiClient.encode("2024-01-02T09:00:00-05:00") + "&end="
                        + ApiClient.encode("2024-01-02T19:00:00.000+01:00")))
                .isEqualTo(utc);
        // a '+' left unencoded arrives as a space; it is still read as an offset
        assertThat(times("timeframe=1Hour&start=2024-01-02T15:00:00+01:00&end=2024-01-02T18:00:00.000000Z"))
                .isEqualTo(utc);
    }

    @Test
    void dateOnlyMeansMidnightUtc() {
        // daily bars are stamped 05:00Z in winter, so end=2024-01-04 (00:00Z) excludes the 4th's bar
        assertThat(times("timeframe=1Day&start=2024-01-02&end=2024-01-04"))
                .containsExactly(Instant.parse("2024-01-02T05:00:00Z"), Instant.parse("2024-01-03T05:00:00Z"));
    }

    @Test
    void missingStartIsTodayAndMissingEndIsNow() {
        List<Instant> today = times("timeframe=1Hour");
        assertThat(today)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t).isBetween(Instant.parse("2024-07-09T00:00:00Z"), NOW));
        assertThat(today).last().isEqualTo(Instant.parse("2024-07-09T15:00:00Z"));
        assertThat(times("timeframe=1Hour&start=2024-07-08T00:00:00Z"))
                .last()
                .isEqualTo(Instant.parse("2024-07-09T15:00:00Z"));
        assertThat(api.get("/v2/stocks/AAPL/bars?timeframe=1Hour&start=2024-07-10T00:00:00Z")
                        .status())
                .isEqualTo(422);
    }

    @Test
    void noDataOutsideTheSimulatedYears() {
        assertThat(times("timeframe=1Day&start=1999-01-01&end=1999-12-31")).isEmpty();
        assertThat(times("timeframe=1Day&start=2040-01-02&end=2040-12-31")).isEmpty();
        assertThat(times("timeframe=1Day&start=1999-12-01&end=2000-01-05"))
                .containsExactly(Instant.parse("2000-01-03T05:00:00Z"), Instant.parse("2000-01-04T05:00:00Z"));
    }
}
