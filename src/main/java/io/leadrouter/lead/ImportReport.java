package io.leadrouter.lead;

import java.util.List;

import io.leadrouter.common.Problem;

/**
 * What became of an imported CSV: every data row counted as created, replayed (its key was taken before: an
 * import run again creates nothing new), a duplicate of an open lead, or refused, and the first refused rows listed
 * with their problems; {@code errorRowsOmitted} refused rows were counted but not listed.
 */
public record ImportReport(int rows, int created, int replayed, int duplicates, int errors, List<ErrorRow> errorRows,
        int errorRowsOmitted) {

    /** A refused row: its row as a spreadsheet numbers it (the header is row 1) and the line of the file it starts on. */
    public record ErrorRow(int row, int line, Problem error) {
    }
}
