package io.barsbackfill.common.client;

import static org.assertj.core.api.Assertions.assertThat;

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
}
