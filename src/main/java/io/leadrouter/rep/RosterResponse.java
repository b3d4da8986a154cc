package io.leadrouter.rep;

import java.util.List;

/** One result per rep of a roster call, in the order sent, with counts. */
public record RosterResponse(int created, int replaced, int errors, List<RosterResult> results) {

    public static RosterResponse of(List<RosterResult> results) {
        int created = 0;
        int replaced = 0;
        for (RosterResult result : results) {
            switch (result.outcome()) {
                case CREATED -> created++;
                case REPLACED -> replaced++;
                case ERROR -> {
                }
            }
        }
        return new RosterResponse(created, replaced, results.size() - created - replaced, results);
    }
}
