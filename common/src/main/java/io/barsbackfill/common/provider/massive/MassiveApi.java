package io.barsbackfill.common.provider.massive;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Massive (formerly Polygon.io) aggregates and ticker details, raw. Answers come back as {@link Response} whatever
 * their status (the default exception mapper is off) so {@link MassiveBarsProvider} can read 429 headers and error
 * bodies. The key travels as {@code Authorization: Bearer}, never in the query.
 */
@Produces(MediaType.APPLICATION_JSON)
interface MassiveApi {

    String AUTHORIZATION = "Authorization";

    /** {@code query}: {@code adjusted}, {@code sort}, {@code limit}, and a {@code next_url}'s cursor. */
    @GET
    @Path("/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}")
    Uni<Response> aggregates(
            @RestPath String ticker,
            @RestPath String multiplier,
            @RestPath String timespan,
            @RestPath String from,
            @RestPath String to,
            @RestQuery Map<String, String> query,
            @HeaderParam(AUTHORIZATION) String authorization);

    @GET
    @Path("/v3/reference/tickers/{ticker}")
    Uni<Response> ticker(@RestPath String ticker, @HeaderParam(AUTHORIZATION) String authorization);
}
