package io.leadrouter.replay;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.leadrouter.common.CsvReader;

/** A data set's CSV file as rows by header name, cells stripped; a short row's missing cells are empty. */
final class Csv {

    private Csv() {
    }

    static List<Map<String, String>> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvReader reader = new CsvReader(in);
            CsvReader.Record header = wellFormed(file, reader.next());
            List<Map<String, String>> rows = new ArrayList<>();
            for (CsvReader.Record record = header == null ? null : wellFormed(file, reader.next()); record != null;
                    record = wellFormed(file, reader.next())) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.fields().size(); i++) {
                    row.put(header.fields().get(i).strip(), i < record.fields().size() ? record.fields().get(i).strip() : "");
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static CsvReader.Record wellFormed(Path file, CsvReader.Record record) throws IOException {
        if (record != null && record.malformed()) {
            throw new IOException(file + " row " + record.row() + ": " + record.error());
        }
        return record;
    }
}
