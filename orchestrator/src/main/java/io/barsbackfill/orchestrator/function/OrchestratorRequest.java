package io.barsbackfill.orchestrator.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /orchestrator}. {@code action} is one of {@code tick}, {@code status}, {@code enqueue},
 * {@code retry_failed}, {@code cancel}, {@code coverage}, {@code audit}, {@code refresh}; the other fields belong
 * to the action that uses them, and a field the action does not use is refused (400 naming it):
 * <ul>
 * <li>enqueue: {@code name}, {@code symbols}, {@code timeframe}, {@code from}, {@code to} (optional: up to the
 * last closed session), {@code priority} (optional, default 100), {@code on_unknown} (optional: {@code reject},
 * the default, refuses the definition when the provider does not know a ticker; {@code skip} enqueues the
 * known ones), {@code feed} and {@code adjustment} (optional, default the settings');</li>
 * <li>retry_failed and cancel: optional filters {@code definition} (a definition name), {@code symbol},
 * {@code error_code};</li>
 * <li>coverage: {@code definition} (a definition name);</li>
 * <li>audit: optional {@code definition}, or a series {@code feed}/{@code adjustment} (default the
 * settings');</li>
 * <li>refresh: {@code definition}, optional {@code since} (a date or instant: slices ending after it).</li>
 * </ul>
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record OrchestratorRequest(
        String action,
        String name,
        List<String> symbols,
        String timeframe,
        String from,
        String to,
        Integer priority,
        String definition,
        String symbol,
        String errorCode,
        String onUnknown,
        String feed,
        String adjustment,
        String since) {}
