package io.barsbackfill.cli.report;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell; columns flagged numeric are right-aligned. */
public final class Table {

    private final List<String> header;
    private final boolean[] numeric;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
        this.numeric = new boolean[header.length];
    }

    /** Right-aligns the given columns. */
    public Table numeric(int... columns) {
        for (int c : columns) {
            numeric[c] = true;
        }
        return this;
    }

    public Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "" : c.toString());
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, each line prefixed with {@code indent}, ending with a newline. */
    public String render(String indent) {
        int[] width = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
        }
        for (List<String> row : rows) {
            for (int c = 0; c < row.size() && c < width.length; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, indent, header, width);
        for (List<String> row : rows) {
            line(out, indent, row, width);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String indent, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder(indent);
        for (int c = 0; c < width.length; c++) {
            String cell = c < cells.size() ? cells.get(c) : "";
            String pad = " ".repeat(width[c] - cell.length());
            line.append(numeric[c] ? pad + cell : cell + pad);
            if (c < width.length - 1) {
                line.append("  ");
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
