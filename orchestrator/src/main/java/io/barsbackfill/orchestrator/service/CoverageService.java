package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.orchestrator.function.CoverageReport;
import io.barsbackfill.orchestrator.repository.CoverageRepository;
import io.barsbackfill.orchestrator.repository.CoverageRepository.Cell;
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

    CoverageService(CoverageRepository coverage) {
        this.coverage = coverage;
    }

    public Uni<CoverageReport> report(String definition) {
        if (definition == null || definition.isBlank()) {
            throw new BadInputException("definition", "coverage needs a definition name");
        }
        String name = definition.trim();
        return coverage.definition(name).chain(found -> {
            CoverageRepository.Definition def =
                    found.orElseThrow(() -> new BadInputException("definition", "no definition named '" + name + "'"));
            return coverage.runs(def.id()).map(cells -> grid(name, def, cells));
        });
    }

    static CoverageReport grid(String name, CoverageRepository.Definition def, List<Cell> cells) {
        List<Instant> slices = new ArrayList<>(
                new TreeSet<>(cells.stream().map(Cell::sliceFrom).toList()));
        Map<Instant, Integer> column = new HashMap<>();
        for (int j = 0; j < slices.size(); j++) {
            column.put(slices.get(j), j);
        }
        Map<String, Integer> row = new HashMap<>();
        char[][] letters = new char[def.symbols().size()][slices.size()];
        int[][] bars = new int[def.symbols().size()][slices.size()];
        for (int i = 0; i < def.symbols().size(); i++) {
            row.put(def.symbols().get(i), i);
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
                name,
                def.timeframe(),
                def.symbols(),
                slices.stream().map(Instant::toString).toList(),
                Arrays.stream(letters).map(String::new).toList(),
                Arrays.asList(bars));
    }
}
