package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.repository.CoverageRepository;
import io.barsbackfill.orchestrator.repository.CoverageRepository.Cell;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The {@code coverage} grid of one definition: tickers x slices, run status and bars written per cell. */
@ApplicationScoped
public class CoverageService {

    private final CoverageRepository coverage;
    private final DefinitionRepository definitions;

    CoverageService(CoverageRepository coverage, DefinitionRepository definitions) {
        this.coverage = coverage;
        this.definitions = definitions;
    }

    /**
     * One definition's runs: {@code status.get(i)[j]} is the status of the run of {@code symbols[i]} (the
     * definition's order) for {@code slices[j]} (slice starts, ascending), null where none is planned yet;
     * {@code bars.get(i)[j]} the bars that run wrote; {@code completeness.get(i)[j]} the percent of its sessions
     * holding a bar, -1 when unknown (not finished, or finished before sessions were recorded).
     */
    public record Grid(
            String definition,
            Timeframe timeframe,
            List<Ticker> symbols,
            List<Instant> slices,
            List<JobStatus[]> status,
            List<int[]> bars,
            List<int[]> completeness) {}

    /** {@code name}: of a definition (fails with {@code DefinitionNotFoundException} when nobody has it). */
    public Uni<Grid> report(String name) {
        return definitions.named(name).chain(def -> coverage.runs(def.id()).map(cells -> grid(def, cells)));
    }

    static Grid grid(Definition def, List<Cell> cells) {
        List<Instant> slices = new ArrayList<>(
                new TreeSet<>(cells.stream().map(Cell::sliceFrom).toList()));
        Map<Instant, Integer> column = new HashMap<>();
        for (int j = 0; j < slices.size(); j++) {
            column.put(slices.get(j), j);
        }
        Map<String, Integer> row = new HashMap<>();
        JobStatus[][] status = new JobStatus[def.symbols().size()][slices.size()];
        int[][] bars = new int[def.symbols().size()][slices.size()];
        int[][] completeness = new int[def.symbols().size()][slices.size()];
        Arrays.stream(completeness).forEach(r -> Arrays.fill(r, -1));
        for (int i = 0; i < def.symbols().size(); i++) {
            row.put(def.symbols().get(i).value(), i);
        }
        for (Cell c : cells) {
            Integer i = row.get(c.symbol());
            if (i != null) {
                int j = column.get(c.sliceFrom());
                status[i][j] = JobStatus.valueOf(c.status());
                bars[i][j] = c.rowsWritten();
                completeness[i][j] = c.completeness();
            }
        }
        return new Grid(
                def.name(),
                def.timeframe(),
                def.symbols(),
                List.copyOf(slices),
                Arrays.asList(status),
                Arrays.asList(bars),
                Arrays.asList(completeness));
    }
}
