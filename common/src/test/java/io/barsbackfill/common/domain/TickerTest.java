package io.barsbackfill.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TickerTest {

    @Test
    void normalisesCaseSpacesAndClassShareSeparators() {
        assertThat(Ticker.parse(" aapl ")).contains(new Ticker("AAPL"));
        assertThat(Ticker.parse("brk/b")).contains(new Ticker("BRK.B"));
        assertThat(Ticker.parse("BF-B")).contains(new Ticker("BF.B"));
        assertThat(Ticker.parse("BRK.A")).contains(new Ticker("BRK.A"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "US_BATCH_1",
                "BATCH_3",
                "",
                " ",
                "AAPL MSFT",
                "0029900E0",
                "CSP1",
                "TOOLONGX",
                "A.",
                "AAPL,MSFT",
                "../x",
                "\u0000AAPL",
                "AAPL\u0000"
            })
    void labelsAndGarbageAreNotTickers(String raw) {
        assertThat(Ticker.parse(raw)).isEmpty();
    }

    @Test
    void nullIsNotATicker() {
        assertThat(Ticker.parse(null)).isEmpty();
    }
}
