package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What one orchestrator tick did (also stored in {@code orchestrator_heartbeat.last_tick}).
 *
 * @param scanned          enabled definitions examined for planning
 * @param slicesCreated    job runs inserted by planning (one per symbol and slice)
 * @param jobsDispatched   runs delivered to a fetcher that answered 2xx
 * @param reaped           runs whose lease had expired, given back to the queue or failed
 * @param errors           what went wrong; empty when the tick was healthy. A failing claim is listed here,
 *                         never reported as an empty queue
 * @param durationMs       wall time of the tick
 * @param status           {@code healthy}, {@code warning} (some step failed) or {@code error} (claiming or
 *                         reaping failed), as written to the heartbeat
 * @param instance         the orchestrator instance that ran the tick
 * @param dispatches       HTTP requests made to fetchers (one per claimed group)
 * @param runsReleased     runs the orchestrator gave back to the queue (fetcher unreachable, 5xx, timeout)
 * @param runsFailed       runs the orchestrator failed: rejected by a fetcher as bad input, or out of attempts
 *                         after a failed dispatch or an expired lease
 * @param gate             the provider health gate when the tick claimed: {@code closed}, or e.g.
 *                         {@code open (PROVIDER_AUTH) since ..., next probe ...}: nothing was claimed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TickResult(
        int scanned,
        int slicesCreated,
        int jobsDispatched,
        int reaped,
        List<String> errors,
        long durationMs,
        String status,
        String instance,
        Integer dispatches,
        Integer runsReleased,
        Integer runsFailed,
        String gate) {}
