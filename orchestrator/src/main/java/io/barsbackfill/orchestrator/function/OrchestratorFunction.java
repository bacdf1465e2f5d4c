package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.OrchestratorRequest;
import io.barsbackfill.common.function.OrchestratorResponse;
import io.barsbackfill.orchestrator.service.AuditService;
import io.barsbackfill.orchestrator.service.CoverageService;
import io.barsbackfill.orchestrator.service.EnqueueService;
import io.barsbackfill.orchestrator.service.QueueControlService;
import io.barsbackfill.orchestrator.service.StatusService;
import io.barsbackfill.orchestrator.service.TickService;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * {@code POST /orchestrator {action, ...}} (contract: docs/contracts.md). Every action needs the internal bearer token,
 * checked in front of Funqy by {@code FunctionHttp}, which also maps bad input to 400 {@code {error, code,
 * field}}.
 */
public class OrchestratorFunction {

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

    @Funq("orchestrator")
    public Uni<OrchestratorResponse> orchestrator(OrchestratorRequest request) {
        if (request == null) {
            throw new BadInputException("action", "request body is required: {\"action\": ...}");
        }
        OrchestratorAction action = OrchestratorAction.parse(request.action());
        action.refuseOtherFields(request);
        return switch (action) {
            case tick -> ticks.tick().map(OrchestratorResponse::of);
            case status -> status.report().map(OrchestratorResponse::of);
            case enqueue -> enqueue.enqueue(request).map(OrchestratorResponse::of);
            case retry_failed -> queue.retryFailed(request).map(OrchestratorResponse::of);
            case cancel -> queue.cancel(request).map(OrchestratorResponse::of);
            case audit -> audit.audit(request).map(OrchestratorResponse::of);
            case refresh -> queue.refresh(request).map(OrchestratorResponse::of);
            case coverage -> coverage.report(request.definition()).map(OrchestratorResponse::of);
        };
    }
}
