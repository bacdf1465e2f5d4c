package io.barsbackfill.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.orchestrator.api.StatusReport.DefinitionStatus;
import org.junit.jupiter.api.Test;

class DemoDefinitionsTest {

    @Test
    void isTheOriginalsScenario() {
        assertThat(DemoScenario.US_BATCH_1)
                .hasSize(50)
                .doesNotHaveDuplicates()
                .startsWith("A", "AA", "AAPL")
                .endsWith("TJX")
                .contains("BRK.A");
        assertThat(DemoScenario.US_BATCH_2)
                .containsExactly("TMUS", "TSLA", "UNH", "V", "VIX", "VOXX", "VZ", "WMT", "XOM", "ZBH", "ZIM");
        assertThat(DemoScenario.tickers())
                .hasSize(61)
                .doesNotHaveDuplicates()
                .allMatch(t -> t.matches("[A-Z]{1,6}(\\.[A-Z]{1,3})?"));
        assertThat(DemoScenario.DEFINITIONS)
                .extracting(DefinitionSpec::name)
                .containsExactly("US_BATCH_1", "US_BATCH_2");
        assertThat(DemoScenario.FROM).hasToString("2024-01-01T00:00:00Z");
        assertThat(DemoScenario.TO).hasToString("2026-01-10T00:00:00Z");
    }

    @Test
    void anExistingDefinitionWithTheSameSettingsIsAlreadyThere() {
        DefinitionSpec wanted = DemoScenario.DEFINITIONS.get(1);
        DefinitionStatus same = definition("{\"name\":\"US_BATCH_2\",\"timeframe\":\"h1\",\"symbols\":11,"
                + "\"window_from\":\"2024-01-01T00:00:00Z\",\"window_to\":\"2026-01-10T00:00:00.000Z\"}");
        assertThat(DemoCommand.difference(same, wanted)).isNull();
        DefinitionStatus other = definition("{\"name\":\"US_BATCH_2\",\"timeframe\":\"d1\",\"symbols\":12,"
                + "\"window_from\":\"2020-01-01T00:00:00Z\"}");
        assertThat(DemoCommand.difference(other, wanted))
                .isEqualTo("timeframe d1, 12 symbols instead of 11, window_from 2020-01-01T00:00:00Z, window_to open");
        DefinitionStatus noSymbols = definition("{\"name\":\"US_BATCH_2\",\"timeframe\":\"h1\",\"symbols\":0,"
                + "\"window_from\":\"2024-01-01T00:00:00Z\",\"window_to\":\"2026-01-10T00:00:00Z\"}");
        assertThat(DemoCommand.difference(noSymbols, wanted)).isEqualTo("0 symbols instead of 11");
    }

    @Test
    void aDefinitionThatSkippedTickersTheProviderDidNotKnowIsTheSame() {
        DefinitionStatus skippedVix = definition("{\"name\":\"US_BATCH_2\",\"timeframe\":\"h1\",\"symbols\":10,"
                + "\"window_from\":\"2024-01-01T00:00:00Z\",\"window_to\":\"2026-01-10T00:00:00Z\"}");
        assertThat(DemoCommand.difference(skippedVix, DemoScenario.DEFINITIONS.get(1)))
                .isNull();
    }

    private static DefinitionStatus definition(String json) {
        return HttpJson.read(HttpJson.parse(json), DefinitionStatus.class);
    }
}
