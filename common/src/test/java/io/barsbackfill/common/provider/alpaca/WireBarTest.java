package io.barsbackfill.common.provider.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.barsbackfill.common.domain.Bar;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alpaca's bar objects as read from the wire: absent statistics stay absent, absent prices make no bar. */
class WireBarTest {

    private static final JsonMapper JSON =
            JsonMapper.builder().findAndAddModules().build();

    @Test
    void absentVwapAndTradeCountAreNullAndABarLackingARequiredFieldIsNoBar() throws Exception {
        AlpacaPages.SymbolPage page = JSON.readValue("""
                {"bars":[
                  {"t":"2024-01-02T14:30:00Z","o":10.5,"h":11,"l":10,"c":10.75,"v":1200,"n":7,"vw":10.6},
                  {"t":"2024-01-02T14:31:00Z","o":10.75,"h":10.8,"l":10.7,"c":10.8,"v":300},
                  {"t":"2024-01-02T14:32:00Z","h":10.9,"l":10.7,"c":10.8,"v":300,"n":2,"vw":10.8},
                  {"t":"2024-01-02T14:33:00Z","o":10.8,"h":10.9,"l":10.7,"c":10.8},
                  {"o":10.8,"h":10.9,"l":10.7,"c":10.8,"v":5}
                ],"symbol":"AAPL","next_page_token":null}""", AlpacaPages.SymbolPage.class);
        List<AlpacaPages.WireBar> bars = page.bars();

        assertThat(bars.get(0).toBar())
                .contains(new Bar(Instant.parse("2024-01-02T14:30:00Z"), 10.5, 11, 10, 10.75, 1200, 10.6, 7L));
        assertThat(bars.get(1).toBar()).hasValueSatisfying(b -> {
            assertThat(b.vwap()).isNull();
            assertThat(b.tradeCount()).isNull();
            assertThat(b.isSane()).isTrue();
        });
        assertThat(bars.subList(2, 5))
                .allSatisfy(b -> assertThat(b.toBar()).as("no o, no v, no t").isEmpty());
    }

    @Test
    void timestampsInEveryRfc3339FormReadAsTheInstantTheyNameAndUnknownFieldsAreSkipped() throws Exception {
        AlpacaPages.SymbolPage page = JSON.readValue("""
                {"bars":[
                  {"t":"2024-02-29T23:59:59Z","o":1,"h":2,"l":0.5,"c":1.5,"v":10,"x":{"nested":[1,2]}},
                  {"t":"2024-01-02T09:30:00-05:00","o":"1.25","h":2,"l":0.5,"c":1.5,"v":10,"n":null},
                  {"t":"2024-01-02T14:30:00.123456789Z","o":1,"h":2,"l":0.5,"c":1.5,"v":10}
                ],"symbol":"AAPL","next_page_token":"x"}""", AlpacaPages.SymbolPage.class);

        assertThat(page.bars())
                .extracting(AlpacaPages.WireBar::t)
                .containsExactly(
                        Instant.parse("2024-02-29T23:59:59Z"),
                        Instant.parse("2024-01-02T14:30:00Z"),
                        Instant.parse("2024-01-02T14:30:00.123456789Z"));
        assertThat(page.bars().get(0).o()).isEqualTo(1.0);
        assertThat(page.bars().get(1).o()).as("a number sent as text").isEqualTo(1.25);
        assertThat(page.bars().get(1).n()).isNull();
        assertThat(page.nextPageToken()).isEqualTo("x");
        // every second of a leap day and a year's edges, as the arithmetic reads them
        for (Instant at = Instant.parse("2023-12-31T23:00:00Z");
                at.isBefore(Instant.parse("2024-01-01T01:00:00Z"));
                at = at.plusSeconds(1)) {
            assertThat(WireBarDeserializer.instant(at.toString())).isEqualTo(at);
        }
    }

    @Test
    void aTimestampThatNamesNoInstantIsAnError() {
        for (String bad :
                List.of("2024-13-02T14:30:00Z", "2024-02-30T14:30:00Z", "2024-01-02T24:00:00Z", "yesterday")) {
            assertThatThrownBy(() -> JSON.readValue(
                            "{\"bars\":[{\"t\":\"" + bad + "\",\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":1}]}",
                            AlpacaPages.SymbolPage.class))
                    .as(bad)
                    .isInstanceOf(Exception.class);
        }
    }
}
