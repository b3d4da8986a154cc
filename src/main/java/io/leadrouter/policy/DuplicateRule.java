package io.leadrouter.policy;

import java.time.Duration;
import java.util.List;

/**
 * What makes a lead sent in a duplicate of an open lead: the same value of any of {@code keys} ({@code email}
 * ignoring case, {@code phone} ignoring everything but digits and {@code +}, {@code externalId},
 * {@code attributes.<name>}) on a lead created within {@code window}. No keys: nothing is a duplicate.
 */
public record DuplicateRule(List<String> keys, Duration window) {

    public static final DuplicateRule DEFAULT = new DuplicateRule(List.of("email"), Duration.ofDays(30));

    public boolean off() {
        return keys.isEmpty();
    }
}
