package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /orchestrator}. {@code action} is one of {@code tick}, {@code status}, {@code enqueue},
 * {@code retry_failed}, {@code cancel}, {@code coverage}, {@code audit}, {@code refresh}, {@code remove},
 * {@code recount}, {@code compare}; the other fields belong
 * to the action that uses them, and a field the action does not use is refused (400 naming it):
 * <ul>
 * <li>enqueue: {@code name}, {@code symbols}, {@code timeframe}, {@code from}, {@code to} (optional: up to the
 * last closed session), {@code priority} (optional, default 100), {@code on_unknown} (optional: {@code reject},
 * the default, refuses the definition when the provider does not know a ticker; {@code skip} enqueues the
 * known ones), {@code provider} ({@code alpaca} or {@code massive}, optional, default the settings'),
 * {@code feed} and {@code adjustment} (optional, default the provider's in the settings);</li>
 * <li>retry_failed and cancel: optional filters {@code definition} (a definition name), {@code symbol},
 * {@code error_code};</li>
 * <li>coverage: {@code definition} (a definition name);</li>
 * <li>audit: optional {@code definition}, or a series {@code provider}/{@code feed}/{@code adjustment}
 * (default the settings');</li>
 * <li>refresh: {@code definition}, optional {@code since} (a date or instant: slices ending after it);</li>
 * <li>remove: {@code definition}, optional {@code delete_bars} (also delete its bars no other definition covers)
 * and {@code dry_run} (only answer what it would change);</li>
 * <li>compare: {@code definition} and {@code with} (two definition names of one timeframe), optional
 * {@code tolerance} (relative difference above which two values differ, default 0.0001).</li>
 * </ul>
 * Clients leave out the fields they do not set ({@link #builder}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        String provider,
        String feed,
        String adjustment,
        String since,
        Boolean deleteBars,
        Boolean dryRun,
        String with,
        Double tolerance) {

    /** A request for {@code action}; set the fields the action uses, then {@code build()}. */
    public static OrchestratorRequestBuilder builder(String action) {
        return new OrchestratorRequestBuilder(action);
    }

    /** The fields given besides {@code action}, by wire name, in the order above. */
    public Map<String, Object> optionsGiven() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("name", name);
        all.put("symbols", symbols);
        all.put("timeframe", timeframe);
        all.put("from", from);
        all.put("to", to);
        all.put("priority", priority);
        all.put("definition", definition);
        all.put("symbol", symbol);
        all.put("error_code", errorCode);
        all.put("on_unknown", onUnknown);
        all.put("provider", provider);
        all.put("feed", feed);
        all.put("adjustment", adjustment);
        all.put("since", since);
        all.put("delete_bars", deleteBars);
        all.put("dry_run", dryRun);
        all.put("with", with);
        all.put("tolerance", tolerance);
        all.values().removeIf(Objects::isNull);
        return all;
    }
}
