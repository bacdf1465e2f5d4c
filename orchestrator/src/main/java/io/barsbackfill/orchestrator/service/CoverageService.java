package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.function.CoverageReport;
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

    public Uni<CoverageReport> report(String definition) {
        if (definition == null || definition.isBlank()) {
            throw new BadInputException("definition", "coverage needs a definition name");
        }
        String name = definition.trim();
        return definitions.named(name).chain(def -> coverage.runs(def.id()).map(cells -> grid(def, cells)));
    }

    static CoverageReport grid(Definition def, List<Cell> cells) {
        List<String> symbols = def.symbols().stream().map(Ticker::value).toList();
        List<Instant> slices = new ArrayList<>(
                new TreeSet<>(cells.stream().map(Cell::sliceFrom).toList()));
        Map<Instant, Integer> column = new HashMap<>();
        for (int j = 0; j < slices.size(); j++) {
            column.put(slices.get(j), j);
        }
        Map<String, Integer> row = new HashMap<>();
        char[][] letters = new char[symbols.size()][slices.size()];
        int[][] bars = new int[symbols.size()][slices.size()];
        for (int i = 0; i < symbols.size(); i++) {
            row.put(symbols.get(i), i);
            Arrays.fill(letters[i], CoverageReport.NOT_PLANNED);
        }
        for (Cell c : cells) {
            Integer i = row.get(c.symbol());
            if (i != null) {
                int j = column.get(c.sliceFrom());
                letters[i][j] = CoverageReport.letter(c.status());
                bars[i][j] = c.rowsWritten();
            }
        }
        return new CoverageReport(
                def.name(),
                def.timeframe().name(),
                symbols,
                slices.stream().map(Instant::toString).toList(),
                Arrays.stream(letters).map(String::new).toList(),
                Arrays.asList(bars));
    }
}
