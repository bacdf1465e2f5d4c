package io.barsbackfill.orchestrator.function;

import io.barsbackfill.orchestrator.api.AuditReport;
import io.barsbackfill.orchestrator.api.CompareReport;
import io.barsbackfill.orchestrator.api.CoverageReport;
import io.barsbackfill.orchestrator.api.EnqueueResult;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.orchestrator.api.OrchestratorResponse;
import io.barsbackfill.orchestrator.api.RecountResult;
import io.barsbackfill.orchestrator.api.RemoveResult;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.orchestrator.api.UpdateResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records of {@code orchestrator-api} (plain Java, no Quarkus, so that the cli can compile against them) are
 * read and written by Jackson: registered for reflection here, every nested record listed, for the native build.
 * deploy's NativeReflectionTest finds a record missing from this list.
 */
@RegisterForReflection(
        targets = {
            OrchestratorRequest.class,
            OrchestratorResponse.class,
            TickResult.class,
            StatusReport.class,
            StatusReport.ProviderStatus.class,
            StatusReport.RunCounts.class,
            StatusReport.BarTotals.class,
            StatusReport.Progress.class,
            StatusReport.Throughput.class,
            StatusReport.InFlight.class,
            StatusReport.FailureGroup.class,
            StatusReport.DefinitionStatus.class,
            StatusReport.CompletenessStatus.class,
            StatusReport.RefreshProgress.class,
            StatusReport.HeartbeatStatus.class,
            EnqueueResult.class,
            EnqueueResult.Skipped.class,
            UpdateResult.class,
            CoverageReport.class,
            AuditReport.class,
            AuditReport.GapCounts.class,
            AuditReport.SymbolAudit.class,
            AuditReport.Finding.class,
            RemoveResult.class,
            RecountResult.class,
            RecountResult.Difference.class,
            CompareReport.class,
            CompareReport.SessionDifference.class
        })
final class OrchestratorApiReflection {

    private OrchestratorApiReflection() {}
}
