package io.leadrouter.lead;

import java.util.List;

/** One result per item of a batch, in the order sent, with counts. */
public record BatchResponse(int created, int replayed, int duplicates, int errors, List<IntakeResult> results) {

    public static BatchResponse of(List<IntakeResult> results) {
        int created = 0;
        int replayed = 0;
        int duplicates = 0;
        int errors = 0;
        for (IntakeResult result : results) {
            switch (result.outcome()) {
                case CREATED -> created++;
                case REPLAYED -> replayed++;
                case DUPLICATE -> duplicates++;
                case ERROR -> errors++;
            }
        }
        return new BatchResponse(created, replayed, duplicates, errors, results);
    }
}
