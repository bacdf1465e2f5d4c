package io.barsbackfill.benchmarks;

import io.barsbackfill.common.config.BackfillConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** The functions' settings outside Quarkus: the real mapping, read as the functions read it. */
final class BenchmarkSettings {

    /** Every {@code backfill.*} setting at its default. */
    static BackfillConfig defaults() {
        return new SmallRyeConfigBuilder()
                .withMapping(BackfillConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(), "benchmark", 500))
                .build()
                .getConfigMapping(BackfillConfig.class);
    }

    private BenchmarkSettings() {}
}
