package io.barsbackfill.orchestrator.client;

import io.barsbackfill.common.function.FetchBarsBatchRequest;
import io.barsbackfill.common.function.FetchBarsRequest;
import io.barsbackfill.common.function.LogContext;
import io.barsbackfill.common.function.ProbeRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The two fetch functions and fetch-bars' provider probe, raw. Answers come back as {@link Response} whatever
 * their status (the default exception mapper is off) so that {@link FetchersClient} can read 4xx bodies and name
 * the runs they blame.
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface FetchersApi {

    @POST
    @Path("fetch-bars")
    Uni<Response> fetchBars(
            FetchBarsRequest request,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam(LogContext.DISPATCH_HEADER) String dispatchId);

    @POST
    @Path("fetch-bars-batch")
    Uni<Response> fetchBarsBatch(
            FetchBarsBatchRequest request,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam(LogContext.DISPATCH_HEADER) String dispatchId);

    @POST
    @Path("probe")
    Uni<Response> probe(ProbeRequest request, @HeaderParam("Authorization") String authorization);
}
