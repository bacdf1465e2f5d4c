package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.FunctionInput;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.orchestrator.api.OrchestratorResponse;
import io.barsbackfill.orchestrator.api.UpdateResult;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.service.AuditService;
import io.barsbackfill.orchestrator.service.CompareService;
import io.barsbackfill.orchestrator.service.CoverageService;
import io.barsbackfill.orchestrator.service.EnqueueService;
import io.barsbackfill.orchestrator.service.QueueControlService;
import io.barsbackfill.orchestrator.service.QueueControlService.Refresh;
import io.barsbackfill.orchestrator.service.QueueControlService.Remove;
import io.barsbackfill.orchestrator.service.QueueControlService.RunFilter;
import io.barsbackfill.orchestrator.service.StatusService;
import io.barsbackfill.orchestrator.service.TickService;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * {@code POST /orchestrator {action, ...}} (contract: docs/contracts.md). Every action needs the internal bearer token,
 * checked in front of Funqy by {@code FunctionHttp}, which also maps bad input to 400 {@code {error, code,
 * field}}; the services' refusals become bad input in {@link OrchestratorRefusals}.
 */
public class OrchestratorFunction {

    /** The request type of this function, for {@code FunctionHttp}'s field checks. */
    @Produces
    static final FunctionInput INPUT = new FunctionInput("/orchestrator", OrchestratorRequest.class);

    @Inject
    TickService ticks;

    @Inject
    StatusService status;

    @Inject
    EnqueueService enqueue;

    @Inject
    QueueControlService queue;

    @Inject
    AuditService audit;

    @Inject
    CoverageService coverage;

    @Inject
    CompareService compare;

    @Inject
    OrchestratorConfig config;

    @Inject
    BackfillConfig backfill;

    @Inject
    Clock clock;

    @Funq("orchestrator")
    public Uni<OrchestratorResponse> orchestrator(OrchestratorRequest request) {
        if (request == null) {
            throw new BadInputException("action", "request body is required: {\"action\": ...}");
        }
        OrchestratorAction action = OrchestratorAction.parse(request.action());
        action.refuseOtherFields(request);
        return answer(action, request).onFailure().transform(OrchestratorRefusals::answer);
    }

    private Uni<OrchestratorResponse> answer(OrchestratorAction action, OrchestratorRequest request) {
        return switch (action) {
            case tick -> ticks.tick().map(t -> OrchestratorResponse.of(OrchestratorAnswers.tick(t)));
            case status -> status.status().map(s -> OrchestratorResponse.of(StatusReports.of(s)));
            case enqueue ->
                enqueue.enqueue(OrchestratorCommands.enqueue(request, config.orchestrator(), backfill, clock.instant()))
                        .map(e -> OrchestratorResponse.of(OrchestratorAnswers.enqueue(e)));
            case retry_failed ->
                queue.retryFailed(OrchestratorCommands.runFilter(request))
                        .map(n -> OrchestratorResponse.of(
                                new UpdateResult("retry_failed", n, request.definition(), null)));
            case cancel -> {
                RunFilter filter = OrchestratorCommands.runFilter(request);
                yield queue.cancel(filter)
                        .map(n -> OrchestratorResponse.of(new UpdateResult(
                                "cancel", n, request.definition(), filter.definition() == null ? null : true)));
            }
            case audit ->
                audit.audit(OrchestratorCommands.audit(request, backfill))
                        .map(a -> OrchestratorResponse.of(OrchestratorAnswers.audit(a)));
            case refresh -> {
                Refresh refresh = OrchestratorCommands.refresh(request);
                yield queue.refresh(refresh)
                        .map(n -> OrchestratorResponse.of(new UpdateResult("refresh", n, refresh.definition(), null)));
            }
            case remove -> {
                Remove remove = OrchestratorCommands.remove(request);
                yield queue.remove(remove).map(r -> OrchestratorResponse.of(OrchestratorAnswers.remove(remove, r)));
            }
            case recount -> queue.recount().map(d -> OrchestratorResponse.of(OrchestratorAnswers.recount(d)));
            case coverage ->
                coverage.report(OrchestratorCommands.coverage(request))
                        .map(g -> OrchestratorResponse.of(OrchestratorAnswers.coverage(g)));
            case compare ->
                compare.compare(OrchestratorCommands.compare(request))
                        .map(c -> OrchestratorResponse.of(OrchestratorAnswers.compare(c)));
        };
    }
}
