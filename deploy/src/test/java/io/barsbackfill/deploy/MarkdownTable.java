package io.barsbackfill.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of a markdown document: the heading it stands under, its header cells and its rows, every cell trimmed
 * and without backticks. A cell must not hold a {@code |}.
 */
record MarkdownTable(String heading, List<String> header, List<List<String>> rows) {

    static List<MarkdownTable> parse(List<String> lines) {
        List<MarkdownTable> tables = new ArrayList<>();
        String heading = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                heading = plain(line.replaceFirst("^#+", ""));
            } else if (line.startsWith("|")
                    && i + 1 < lines.size()
                    && lines.get(i + 1).matches("\\|[-:| ]+\\|")) {
                List<List<String>> rows = new ArrayList<>();
                int row = i + 2;
                for (; row < lines.size() && lines.get(row).startsWith("|"); row++) {
                    rows.add(cells(lines.get(row)));
                }
                tables.add(new MarkdownTable(heading, cells(line), rows));
                i = row - 1;
            }
        }
        return tables;
    }

    private static List<String> cells(String line) {
        String inner = line.trim().replaceAll("^\\||\\|$", "");
        return Arrays.stream(inner.split("\\|", -1)).map(MarkdownTable::plain).toList();
    }

    private static String plain(String cell) {
        return cell.replace("`", "").trim();
    }
}
