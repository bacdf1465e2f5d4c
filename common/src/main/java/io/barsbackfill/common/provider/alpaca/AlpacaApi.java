package io.barsbackfill.common.provider.alpaca;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Alpaca Market Data v2 historical stock bars, raw. Answers come back as {@link Response} whatever their
 * status (the default exception mapper is off) so {@link AlpacaBarsProvider} can read 429 headers and error
 * bodies. Null parameters are left out of the request.
 */
@Path("/v2/stocks")
@Produces(MediaType.APPLICATION_JSON)
interface AlpacaApi {

    String KEY_ID = "APCA-API-KEY-ID";
    String SECRET_KEY = "APCA-API-SECRET-KEY";

    @GET
    @Path("/bars")
    Uni<Response> multiSymbolBars(
            @RestQuery String symbols,
            @RestQuery String timeframe,
            @RestQuery String start,
            @RestQuery String end,
            @RestQuery int limit,
            @RestQuery("page_token") String pageToken,
            @RestQuery String feed,
            @RestQuery String adjustment,
            @RestQuery String sort,
            @HeaderParam(KEY_ID) String keyId,
            @HeaderParam(SECRET_KEY) String secretKey);

    @GET
    @Path("/{symbol}/bars")
    Uni<Response> symbolBars(
            @RestPath String symbol,
            @RestQuery String timeframe,
            @RestQuery String start,
            @RestQuery String end,
            @RestQuery int limit,
            @RestQuery("page_token") String pageToken,
            @RestQuery String feed,
            @RestQuery String adjustment,
            @RestQuery String sort,
            @HeaderParam(KEY_ID) String keyId,
            @HeaderParam(SECRET_KEY) String secretKey);
}
