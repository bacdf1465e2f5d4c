package io.barsbackfill.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimeframeTest {

    @Test
    void theClosedSetMapsToAlpacaNames() {
        assertThat(Timeframe.NAMES).isEqualTo("m1 m5 m15 m30 h1 h4 d1 w1");
        assertThat(Timeframe.fromName("h1")).contains(Timeframe.h1);
        assertThat(Timeframe.h1.alpacaName()).isEqualTo("1Hour");
        assertThat(Timeframe.fromAlpacaName("1Week")).contains(Timeframe.w1);
        assertThat(Timeframe.d1.isIntraday()).isFalse();
        assertThat(Timeframe.h4.isIntraday()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h", "H1", "15m", "1Day", "daily", "h8", "", " h1"})
    void anythingElseIsRejectedNeverMappedToDaily(String name) {
        assertThat(Timeframe.fromName(name)).isEmpty();
    }
}
